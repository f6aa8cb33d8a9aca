"""Countries partners are sought in: the EU and EEA, with the Baltic Sea region (EUSBSR) first in mind."""

from django.utils.translation import gettext_lazy as _

BALTIC_SEA_REGION = frozenset({"SE", "DK", "EE", "FI", "DE", "LV", "LT", "PL"})

COUNTRIES = [
    ("BE", _("Belgien")),
    ("BG", _("Bulgarien")),
    ("CY", _("Cypern")),
    ("DK", _("Danmark")),
    ("EE", _("Estland")),
    ("FI", _("Finland")),
    ("FR", _("Frankrike")),
    ("GR", _("Grekland")),
    ("IE", _("Irland")),
    ("IS", _("Island")),
    ("IT", _("Italien")),
    ("HR", _("Kroatien")),
    ("LV", _("Lettland")),
    ("LI", _("Liechtenstein")),
    ("LT", _("Litauen")),
    ("LU", _("Luxemburg")),
    ("MT", _("Malta")),
    ("NL", _("Nederländerna")),
    ("NO", _("Norge")),
    ("PL", _("Polen")),
    ("PT", _("Portugal")),
    ("RO", _("Rumänien")),
    ("CH", _("Schweiz")),
    ("SK", _("Slovakien")),
    ("SI", _("Slovenien")),
    ("ES", _("Spanien")),
    ("SE", _("Sverige")),
    ("CZ", _("Tjeckien")),
    ("DE", _("Tyskland")),
    ("UA", _("Ukraina")),
    ("HU", _("Ungern")),
    ("AT", _("Österrike")),
]
COUNTRY_NAMES = dict(COUNTRIES)

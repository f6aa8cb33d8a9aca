from django import forms
from django.utils.translation import gettext_lazy as _

from .formats import FORMATS
from .services import MAPPING

FORMAT_LABELS = {
    "tillvaxtverket-json": _("Tillväxtverkets projektlista (JSON)"),
    "art49-csv": _("Förteckning enligt artikel 49 (CSV)"),
    "dk-operations-csv": _("Dansk förteckning över insatser (CSV)"),
    "fi-operations-csv": _("Finsk förteckning över insatser (CSV)"),
    "kohesio-csv": _("Kohesio, insatser per land och period (CSV)"),
    "esf-csv": _("Svenska ESF-rådets projektbank (CSV)"),
    "keep-xlsx": _("keep.eu, Interregprojekt med partner (XLSX)"),
    MAPPING: _("Annan förteckning, med en mappningsfil (CSV, XLSX eller JSON)"),
}


class UploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[(f, FORMAT_LABELS.get(f, f)) for f in [*FORMATS, MAPPING]])
    file = forms.FileField(
        label=_("Fil"), help_text=_("Förteckningen kontrolleras först; inget sparas förrän du startar importen.")
    )
    mapping = forms.FileField(
        label=_("Mappningsfil (TOML)"),
        required=False,
        help_text=_("Bara för en annan förteckning: vilka kolumner som är projektets och partnernas fält."),
    )

    def clean(self):
        data = super().clean()
        if data.get("format") == MAPPING and not data.get("mapping"):
            self.add_error("mapping", _("Ladda upp mappningsfilen som beskriver förteckningens kolumner."))
        return data

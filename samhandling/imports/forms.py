from django import forms
from django.utils.translation import gettext_lazy as _

from .formats import FORMATS

FORMAT_LABELS = {
    "tillvaxtverket-json": _("Tillväxtverkets projektlista (JSON)"),
    "art49-csv": _("Förteckning enligt artikel 49 (CSV)"),
    "dk-operations-csv": _("Dansk förteckning över insatser (CSV)"),
    "fi-operations-csv": _("Finsk förteckning över insatser (CSV)"),
}


class UploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[(f, FORMAT_LABELS.get(f, f)) for f in FORMATS])
    file = forms.FileField(
        label=_("Fil"), help_text=_("Förteckningen kontrolleras först; inget sparas förrän du startar importen.")
    )

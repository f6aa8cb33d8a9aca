from django import forms
from django.utils.translation import gettext_lazy as _

from samhandling.core.text import CheckedForm
from samhandling.partnership.scope import scoped

from .models import MaturityEvaluation, SmartSpecialisationArea, Target


class TargetForm(CheckedForm, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["area", "theme", "share_percent", "decided_in", "published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = scoped(SmartSpecialisationArea.objects)  # the partnership's own areas

    def clean(self):
        data = super().clean()
        if bool(data.get("area")) == bool(data.get("theme")):
            raise forms.ValidationError(_("Område eller tema: välj exakt ett av dem."))
        return data


class MaturityForm(CheckedForm, forms.ModelForm):
    """The short questionnaire: one question per field, in the words of the evaluation model."""

    class Meta:
        model = MaturityEvaluation
        fields = [
            "actor",
            "project",
            "evaluated_on",
            "step",
            "phase",
            "ordering_capacity",
            "receiving_capacity",
            "influencing_capacity",
            "resource_capacity",
            "comment",
        ]
        widgets = {
            "evaluated_on": forms.DateInput(attrs={"type": "date"}),
            "step": forms.RadioSelect,
            "phase": forms.RadioSelect,
        }
        help_texts = {
            "step": _(
                "Hur långt har aktörerna kommit i frågan: samtalar de, delar de synen, verkar de gemensamt "
                "eller bidrar var och en i det dagliga arbetet till de gemensamma målen?"
            ),
            "phase": _(
                "Latent: egna organisationen i fokus. Framväxande: aktörerna ser sig som del av regionen. "
                "Mognad: gemensamma ambitioner präglar det dagliga arbetet."
            ),
            "ordering_capacity": _("1–5: finns en tydlig beställning i strategier och program?"),
            "receiving_capacity": _(
                "1–5: finns projektägare som kan ta emot, ligga ute med medel och driva processer?"
            ),
            "influencing_capacity": _(
                "1–5: engageras universitet, näringsliv, civilsamhälle och kommuner i inriktningen?"
            ),
            "resource_capacity": _("1–5: finns EU-medel och nationell, regional och lokal medfinansiering?"),
        }

from django import forms
from django.utils.translation import gettext_lazy as _

from samhandling.core.text import CheckedForm
from samhandling.partnership.scope import scoped

from samhandling.partnership.models import Partnership
from samhandling.programmes.models import Indicator, SpecificObjective
from samhandling.projects.models import Project

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


class IndicatorTargetForm(CheckedForm, forms.Form):
    """The secretariat's target for an indicator in a 2021–2027 objective, for the programme or a partnership."""

    indicator = forms.ModelChoiceField(Indicator.objects.all(), label=_("Indikator"))
    objective = forms.ModelChoiceField(
        SpecificObjective.objects.filter(programme__period__start_year__gte=2021).select_related("fund"),
        label=_("Specifikt mål"),
    )
    partnership = forms.ModelChoiceField(
        Partnership.objects.all(),
        label=_("Partnerskap"),
        required=False,
        help_text=_("Tomt: programmets eget målvärde"),
    )
    target = forms.DecimalField(label=_("Målvärde"), min_value=0, max_digits=16, decimal_places=2)
    year = forms.IntegerField(label=_("Målår"), min_value=2021, max_value=2035, initial=2029)


class IndicatorValueForm(CheckedForm, forms.Form):
    """A project's planned and/or achieved value for an indicator, as the project reports it."""

    project = forms.IntegerField(label=_("Projektets id"), min_value=1, max_value=2**63 - 1)
    indicator = forms.ModelChoiceField(Indicator.objects.all(), label=_("Indikator"))
    planned = forms.DecimalField(
        label=_("Planerat värde"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    achieved = forms.DecimalField(
        label=_("Uppnått värde"), min_value=0, max_digits=16, decimal_places=2, required=False
    )

    def clean_project(self):
        project = Project.objects.granted().filter(pk=self.cleaned_data["project"]).first()
        if project is None:
            raise forms.ValidationError(_("Projektets id: inget beviljat projekt har det id:t."))
        return project

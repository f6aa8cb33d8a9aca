"""The earmark form: an objective's share set aside for a steering model, with its intermediate body."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samhandling.core.text import CheckedForm
from samhandling.partnership.models import Partnership
from samhandling.projects.services import find_organisation
from samhandling.projects.validators import normalise_org_number

from .models import Earmark, SpecificObjective


class ObjectiveInProgramme(forms.ModelChoiceField):
    """An objective named with its programme: the same code stands in every region's programme and period."""

    def label_from_instance(self, obj):
        return f"{obj} ({obj.programme.name})"


class EarmarkForm(CheckedForm, forms.Form):
    objective = ObjectiveInProgramme(
        label=_("Specifikt mål"),
        queryset=SpecificObjective.objects.select_related("fund", "programme").order_by(
            "programme__programme_region__code", "-programme__period__start_year", "fund", "code"
        ),
    )
    name = forms.CharField(label=_("Namn"), max_length=200, help_text=_("T.ex. ITI Göteborg"))
    kind = forms.ChoiceField(label=_("Typ"), choices=Earmark.Kind.choices, initial=Earmark.Kind.ITI)
    amount = forms.DecimalField(
        label=_("Öronmärkt belopp (kr, EU-medel)"), min_value=1, max_digits=15, decimal_places=2
    )
    intermediate_body = forms.CharField(
        label=_("Förmedlande organ"),
        max_length=300,
        required=False,
        help_text=_("Organisationens namn eller organisationsnummer, som den finns i Samhandling"),
    )
    partnership = forms.ModelChoiceField(label=_("Partnerskap"), queryset=Partnership.objects.all(), required=False)
    implementation_plan = forms.CharField(
        label=_("Genomförandeplan"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean_intermediate_body(self):
        """The organisation named by its organisation number or its name (as imports match them)."""
        text = self.cleaned_data["intermediate_body"].strip()
        if not text:
            return None
        try:
            number = normalise_org_number(text)
        except ValidationError:
            number = ""
        found = find_organisation("" if number else text, org_number=number)
        if found is None:
            raise ValidationError(_("Ingen organisation i Samhandling heter så eller har det numret."))
        return found

"""The applicant's web form. It only collects raw input; the checks live in calls.applications (shared with API/import)."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samhandling.core.forms import FilteredCheckboxes, mark_required
from samhandling.core.templatetags.samhandling import localized
from samhandling.projects.models import County, Municipality

from .applications import REQUIRED_ON_SUBMIT


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Projektnamn"), max_length=500, required=False)
    summary = forms.CharField(label=_("Sammanfattning"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    applicant_name = forms.CharField(label=_("Sökande organisation"), max_length=300, required=False)
    applicant_org_number = forms.CharField(label=_("Sökandes organisationsnummer"), max_length=13, required=False)
    partners = forms.CharField(
        label=_("Samverkansparter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En per rad: namn; organisationsnummer"),
    )
    objective = forms.ChoiceField(label=_("Specifikt mål"), required=False)
    amount_applied = forms.CharField(label=_("Sökt belopp (kr)"), required=False)
    cofinancing = forms.CharField(label=_("Medfinansiering (kr)"), required=False)
    start_date = forms.CharField(label=_("Startdatum"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.CharField(label=_("Slutdatum"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    target_group = forms.CharField(label=_("Målgrupp"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    planned_participants = forms.CharField(label=_("Planerat antal deltagare"), required=False)
    counties = forms.MultipleChoiceField(
        label=_("Län"), required=False, widget=FilteredCheckboxes(filter_label=_("Filtrera län"))
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Kommuner"), required=False, widget=FilteredCheckboxes(filter_label=_("Filtrera kommuner"))
    )

    def __init__(self, *args, call, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].choices = [("", "—")] + [
            (co.objective.code, f"{co.objective.code} {co.objective.name}")
            for co in call.call_objectives.filter(held=True).select_related("objective")
        ]
        self.fields["counties"].choices = list(County.objects.values_list("code", "name"))
        self.fields["municipalities"].choices = list(Municipality.objects.values_list("code", "name"))
        for c in criteria:
            self.fields[f"criterion_{c.number}"] = forms.CharField(
                label=format_html("{}. {}", c.number, localized(c)),
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.criterion_numbers = [c.number for c in criteria]
        mark_required(self, [*REQUIRED_ON_SUBMIT, *(f"criterion_{n}" for n in self.criterion_numbers)])

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        partners = []
        for line in data.pop("partners", "").splitlines():
            if line.strip():
                name, _, number = line.partition(";")
                partners.append({"name": name.strip(), "org_number": number.strip()})
        data["partners"] = partners
        data["criterion_texts"] = {str(n): data.pop(f"criterion_{n}", "") for n in self.criterion_numbers}
        return data

    @staticmethod
    def initial_from(data: dict) -> dict:
        initial = {k: v for k, v in data.items() if k not in ("partners", "criterion_texts")}
        initial["partners"] = "\n".join(f"{p['name']}; {p['org_number']}".rstrip("; ") for p in data["partners"])
        for number, text in data["criterion_texts"].items():
            initial[f"criterion_{number}"] = text
        return initial

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)

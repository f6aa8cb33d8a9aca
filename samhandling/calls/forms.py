"""The applicant's web form. It only collects raw input; the checks live in calls.applications (shared with API
and import)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samhandling.access.roles import Role
from samhandling.core.forms import FilteredCheckboxes, mark_required
from samhandling.core.templatetags.samhandling import localized
from samhandling.core.text import CheckedForm
from samhandling.partnership.models import Item
from samhandling.partnership.scope import scoped
from samhandling.partnership.selectors import open_items
from samhandling.programmes.models import Fund, SpecificObjective
from samhandling.projects.models import County, Municipality

from .applications import REQUIRED_ON_SUBMIT
from .models import Call, CallStrand
from .selectors import fund_objectives, strand_summary


class ApplicationForm(CheckedForm, forms.Form):
    edited_from = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
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
    strand = forms.ChoiceField(
        label=_("Delutlysning"),
        required=False,
        help_text=_("Reglerna för stöd och medfinansiering gäller den delutlysning du väljer."),
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
        self.fields["strand"].choices = [("", "—")] + [
            (str(s.pk), strand_summary(s)) for s in call.strands.prefetch_related("objectives")
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
        data.pop("edited_from", None)
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


class ObjectiveChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.fund.code} {obj.code} {obj.name}"


class ObjectivesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.fund.code} {obj.code} {obj.name}"


def _money_field(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, max_digits=14, decimal_places=2, required=False, **kwargs)


class CallForm(forms.Form):
    """A call's own fields; its objectives and strands are the two formsets below. The status is never a field."""

    fund = forms.ModelChoiceField(label=_("Fond"), queryset=Fund.objects.order_by("code"))
    year = forms.IntegerField(label=_("År"), min_value=2021, max_value=2100)
    number = forms.IntegerField(
        label=_("Nummer"), min_value=1, max_value=99, help_text=_("T.ex. 2 för utlysning 2026:2")
    )
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    orientation = forms.CharField(
        label=_("Inriktning"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conditions = forms.CharField(
        label=_("Villkor i ord"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("T.ex. att ett mål utlyses bara om en tidigare utlysning lämnar medel."),
    )
    opens_on = forms.DateField(label=_("Öppnar"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Stänger"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class InPartnership:
    """Choices read when the form is made, in the request's partnership: its objectives and its calls only
    (a class-level queryset would be fixed at import, and would offer every partnership's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("objective", "objectives"):
            if name in self.fields:
                self.fields[name].queryset = fund_objectives()
        if "not_held_if_exhausted_by" in self.fields:
            calls = scoped(Call.objects).select_related("fund").order_by("fund__code", "year", "number")
            self.fields["not_held_if_exhausted_by"].queryset = calls


class CallObjectiveForm(InPartnership, forms.Form):
    objective = ObjectiveChoice(label=_("Specifikt mål"), queryset=SpecificObjective.objects.none(), required=False)
    amount = _money_field(_("Belopp (kr)"))
    not_held_if_exhausted_by = forms.ModelChoiceField(
        label=_("Hålls bara om denna utlysning lämnar medel"), queryset=Call.objects.none(), required=False
    )
    recommendation = forms.CharField(
        label=_("Förvaltande myndighetens rekommendation"),
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    focus_areas = forms.CharField(
        label=_("Fokusområden (ett per rad)"),
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    intervention_types = forms.CharField(
        label=_("Insatstyper (en per rad)"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def row(self, index):
        data = self.cleaned_data
        if not data.get("objective"):
            if data.get("amount") is not None:
                self.add_error("objective", _("Specifikt mål: välj målet som beloppet gäller."))
            return None
        return {"row": index, **data}


class CallStrandForm(InPartnership, forms.Form):
    name = forms.CharField(label=_("Namn på delutlysningen"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Typ"), choices=CallStrand.Kind.choices, initial=CallStrand.Kind.IMPLEMENTATION)
    objectives = ObjectivesChoice(
        label=_("Specifika mål"),
        queryset=SpecificObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_support = _money_field(_("Högsta stöd per projekt (kr)"))
    cofinancing_percent = forms.DecimalField(
        label=_("Lägsta medfinansiering från projektet (%)"),
        min_value=0,
        max_value=99,
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    amount = _money_field(_("Belopp för delutlysningen (kr)"))
    simplified_reporting = forms.BooleanField(label=_("Förenklad redovisning"), required=False)
    final_report_only = forms.BooleanField(label=_("Enbart slutrapport"), required=False)

    def row(self, index):
        data = dict(self.cleaned_data)
        if not data.get("name"):
            if data.get("objectives") or data.get("max_support") is not None:
                self.add_error("name", _("Namn: ge delutlysningen ett namn."))
            return None
        percent = data.pop("cofinancing_percent")
        data["cofinancing_share"] = None if percent is None else percent / 100
        data["objectives"] = list(data["objectives"])
        return {"row": index, **data}


CallObjectiveFormSet = forms.formset_factory(CallObjectiveForm, extra=2, max_num=30)
CallStrandFormSet = forms.formset_factory(CallStrandForm, extra=2, max_num=20)


def call_initial(call: Call) -> tuple[dict, list[dict], list[dict]]:
    """The forms' initial values for editing an existing call."""
    fields = {
        name: getattr(call, name)
        for name in ("fund", "year", "number", "title", "orientation", "conditions", "opens_on", "closes_on")
    }
    objectives = [
        {
            "objective": co.objective,
            "amount": co.amount,
            "not_held_if_exhausted_by": co.not_held_if_exhausted_by,
            "recommendation": co.recommendation,
            "focus_areas": co.focus_areas,
            "intervention_types": co.intervention_types,
        }
        for co in call.call_objectives.select_related("objective")
    ]
    strands = [
        {
            "name": s.name,
            "kind": s.kind,
            "objectives": list(s.objectives.all()),
            "max_support": s.max_support,
            "cofinancing_percent": None if s.cofinancing_share is None else s.cofinancing_share * 100,
            "amount": s.amount,
            "simplified_reporting": s.simplified_reporting,
            "final_report_only": s.final_report_only,
        }
        for s in call.strands.prefetch_related("objectives")
    ]
    return fields, objectives, strands


class PlanForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("Fond"), queryset=Fund.objects.order_by("code"))
    year = forms.IntegerField(label=_("År"), min_value=2021, max_value=2100)


class PlanEntryForm(InPartnership, forms.Form):
    number = forms.IntegerField(label=_("Utlysningens nummer"), min_value=1, max_value=99)
    objective = ObjectiveChoice(label=_("Specifikt mål"), queryset=SpecificObjective.objects.none())
    amount = forms.DecimalField(label=_("Belopp (kr)"), min_value=0, max_digits=14, decimal_places=2)
    opens_on = forms.DateField(label=_("Öppnar"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Stänger"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class PlanRevisionForm(forms.Form):
    reason = forms.CharField(label=_("Skäl till ändringen"), max_length=500)


class PlanAgreementForm(forms.Form):
    """The § (of an open meeting) where the plan is agreed, picked from a list, never a typed id."""

    item = forms.ModelChoiceField(
        label=_("Paragraf där planen kommer överens (öppna sammanträden)"), queryset=Item.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = open_items()
        self.fields["item"].label_from_instance = lambda i: f"{i.meeting.code} § {i.number} {i.title}"


class AssessorsForm(forms.Form):
    """Who assesses the call's applications: people holding the assessor role."""

    assessors = forms.ModelMultipleChoiceField(
        label=_("Bedömare"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = (
            get_user_model().objects.filter(groups__name=Role.ASSESSOR.value, is_active=True).order_by("username")
        )
        self.fields["assessors"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.get_username()} ({u.get_username()})"
        )

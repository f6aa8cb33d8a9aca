import io
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samhandling.partnership.scope import scoped
from samhandling.access.roles import Role, has_role
from samhandling.core import cells
from samhandling.core.models import ConcurrentEditError
from samhandling.partnership.selectors import current_partnership, items as partnership_items, open_items
from samhandling.projects.models import Project

from . import applications, services
from .access import EDITORS
from .forms import (
    ApplicationForm,
    AssessorsForm,
    CallForm,
    CallObjectiveFormSet,
    CallStrandFormSet,
    PlanAgreementForm,
    PlanEntryForm,
    PlanForm,
    PlanRevisionForm,
    call_initial,
)
from .models import Call, CallPlan, CallPlanEntry
from .selectors import applications_for, calls_for, latest_call_plans, public_call_plan, strand_rules

# Steps a person takes on the call's page; assessment and decision come from prioritisation and the minutes.
MANUAL_STEPS = {Call.Status.PROPOSED, Call.Status.ORIENTATION_DRAFT, Call.Status.PARTNERSHIP_OPINION}
MANUAL_STEPS |= {Call.Status.APPROVED, Call.Status.OPEN, Call.Status.CLOSED}


def call_list(request):
    editor = has_role(request.user, *EDITORS)
    return render(request, "calls/list.html", {"calls": calls_for(request.user), "editor": editor})


def call_detail(request, pk):
    call = get_object_or_404(
        scoped(Call.objects).select_related("fund", "approved_at__meeting", "condition_lifted_at__meeting"), pk=pk
    )
    editor = has_role(request.user, *EDITORS)
    if not call.is_public and not editor:
        raise Http404
    strands = [(s, strand_rules(s)) for s in call.strands.prefetch_related("objectives")]
    return render(
        request,
        "calls/detail.html",
        {
            "call": call,
            "objectives": call.call_objectives.select_related("objective", "not_held_if_exhausted_by__fund"),
            "strands": strands,
            "editor": editor,
            "editable": call.status in services.EDITABLE,
            "next_statuses": [Call.Status(s) for s in services.TRANSITIONS[call.status] if s in MANUAL_STEPS],
            "items": open_items() if editor else [],
            "transitions": call.transitions.select_related("by", "item__meeting") if editor else [],
            "can_apply": call.status == Call.Status.OPEN and has_role(request.user, Role.APPLICANT),
            "assessors_form": AssessorsForm(initial={"assessors": call.assessors.all()}) if editor else None,
        },
    )


def call_assessors(request, pk):
    call = get_object_or_404(scoped(Call.objects), pk=pk)
    form = AssessorsForm(request.POST)
    if form.is_valid():
        try:
            services.set_assessors(call, form.cleaned_data["assessors"])
            messages.success(request, _("Utlysningens bedömare är sparade."))
        except ValidationError as exc:
            _messages(request, exc)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, _("Bedömare: %(error)s") % {"error": message})
    return redirect("calls:detail", pk=call.pk)


def _item(request, name="item"):
    raw = request.POST.get(name) or ""
    return partnership_items().filter(pk=raw).first() if raw.isdigit() and len(raw) < 10 else None


def _messages(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def call_status(request, pk):
    call = get_object_or_404(scoped(Call.objects), pk=pk)
    status = request.POST.get("status", "")
    try:
        if status not in MANUAL_STEPS:
            raise ValidationError({"status": _("Den statusen sätts av prioriteringen eller beslutet, inte här.")})
        services.change_status(
            call, status, by=request.user, item=_item(request), reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Utlysningens status är ändrad."))
    except ValidationError as exc:
        _messages(request, exc)
    return redirect("calls:detail", pk=call.pk)


def lift_condition(request, pk):
    call = get_object_or_404(scoped(Call.objects), pk=pk)
    try:
        services.lift_condition(call, item=_item(request), reason=request.POST.get("reason", ""))
        messages.success(request, _("Beslutet att häva villkoret är registrerat."))
    except ValidationError as exc:
        _messages(request, exc)
    return redirect("calls:detail", pk=call.pk)


def call_edit(request, pk=None):
    """Creates or edits a call with its objectives and strands, as one form; nothing is stored unless all is valid."""
    call = get_object_or_404(scoped(Call.objects), pk=pk) if pk else None
    if call is not None and call.status not in services.EDITABLE:
        messages.error(request, _("Utlysningen har öppnat och kan inte längre ändras."))
        return redirect("calls:detail", pk=call.pk)
    section_errors = {}
    if request.method == "POST":
        form = CallForm(request.POST)
        objectives = CallObjectiveFormSet(request.POST, prefix="objectives")
        strands = CallStrandFormSet(request.POST, prefix="strands")
        if form.is_valid() & objectives.is_valid() & strands.is_valid():
            objective_rows = [r for i, f in enumerate(objectives.forms) if (r := f.row(i))]
            strand_rows = [r for i, f in enumerate(strands.forms) if (r := f.row(i))]
            if objectives.is_valid() and strands.is_valid():
                try:
                    call = services.save_call(
                        call, fields=form.cleaned_data, objectives=objective_rows, strands=strand_rows
                    )
                    messages.success(request, _("Utlysning %(call)s är sparad.") % {"call": call})
                    return redirect("calls:detail", pk=call.pk)
                except ConcurrentEditError as exc:
                    section_errors["call"] = str(exc)
                except ValidationError as exc:
                    section_errors = _place_errors(exc, form, {"objectives": objectives, "strands": strands})
    else:
        fields, objective_initial, strand_initial = call_initial(call) if call else ({}, [], [])
        form = CallForm(initial=fields)
        objectives = CallObjectiveFormSet(initial=objective_initial, prefix="objectives")
        strands = CallStrandFormSet(initial=strand_initial, prefix="strands")
    invalid = bool(section_errors or form.errors or any(objectives.errors) or any(strands.errors))
    return render(
        request,
        "calls/call_form.html",
        {"call": call, "form": form, "objectives": objectives, "strands": strands, "section_errors": section_errors},
        status=400 if invalid else 200,
    )


def _place_errors(exc: ValidationError, form, formsets) -> dict:
    """Puts each service error next to its field: "number", "strands-1-max_support"; the rest per section."""
    section = {}
    for key, messages_ in exc.message_dict.items():
        prefix, _sep, rest = key.partition("-")
        if prefix in formsets and rest:
            index, _sep, field = rest.partition("-")
            formsets[prefix].forms[int(index)].add_error(field, messages_)
        elif key in form.fields:
            form.add_error(key, messages_)
        else:
            section[key] = " ".join(messages_)
    return section


# Call plans (the secretariat's and the managing authority's working copy) --------------------------------


def plan_list(request):
    plans = scoped(CallPlan.objects.select_related("fund", "agreed_at__meeting")).order_by(
        "-year", "fund__code", "-version"
    )
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_call_plan(partnership=current_partnership(), **form.cleaned_data)
            messages.success(request, _("Utlysningsplanen är skapad."))
            return redirect("calls:plan", pk=plan.pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(
        request,
        "calls/plans.html",
        {"plans": plans, "latest": {p.pk for p in latest_call_plans()}, "form": form},
        status=400 if form.errors else 200,
    )


def plan_detail(request, pk):
    plan = get_object_or_404(scoped(CallPlan.objects.select_related("fund", "agreed_at__meeting")), pk=pk)
    form = PlanEntryForm(request.POST or None, prefix="entry")
    revision = PlanRevisionForm(prefix="revision")
    if request.method == "POST" and form.is_valid():
        try:
            services.add_plan_entry(plan, **form.cleaned_data)
            messages.success(request, _("Raden är tillagd i utlysningsplanen."))
            return redirect("calls:plan", pk=plan.pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return _plan_page(request, plan, form, revision)


def plan_agree(request, pk):
    plan = get_object_or_404(scoped(CallPlan.objects.select_related("fund", "agreed_at__meeting")), pk=pk)
    agreement = PlanAgreementForm(request.POST, prefix="agreement")
    if agreement.is_valid():
        try:
            services.agree_call_plan(plan, item=agreement.cleaned_data["item"])
            messages.success(request, _("Utlysningsplanen är överenskommen."))
            return redirect("calls:plan", pk=plan.pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                agreement.add_error(field if field in agreement.fields else None, errors)
    return _plan_page(request, plan, PlanEntryForm(prefix="entry"), PlanRevisionForm(prefix="revision"), agreement)


def _plan_page(request, plan, form, revision, agreement=None):
    agreement = agreement or PlanAgreementForm(prefix="agreement")
    return render(
        request,
        "calls/plan.html",
        {
            "plan": plan,
            "entries": plan.entries.select_related("objective"),
            "form": form,
            "revision": revision,
            "agreement": agreement,
            "editable": plan.pk in {p.pk for p in latest_call_plans()} and not plan.agreed_at_id,
            "is_latest": plan.pk in {p.pk for p in latest_call_plans()},
        },
        status=400 if form.errors or revision.errors or agreement.errors else 200,
    )


def plan_entry_delete(request, pk):
    entry = get_object_or_404(scoped(CallPlanEntry.objects.select_related("plan"), "plan__partnership"), pk=pk)
    try:
        services.remove_plan_entry(entry)
        messages.success(request, _("Raden är borttagen ur utlysningsplanen."))
    except ValidationError as exc:
        _messages(request, exc)
    return redirect("calls:plan", pk=entry.plan_id)


def plan_revise(request, pk):
    plan = get_object_or_404(scoped(CallPlan.objects.select_related("fund")), pk=pk)
    revision = PlanRevisionForm(request.POST, prefix="revision")
    if revision.is_valid():
        try:
            new = services.revise_call_plan(plan, reason=revision.cleaned_data["reason"])
            messages.success(
                request, _("Version %(version)s av utlysningsplanen är skapad.") % {"version": new.version}
            )
            return redirect("calls:plan", pk=new.pk)
        except ValidationError as exc:
            revision.add_error(None, exc.messages)
    return _plan_page(request, plan, PlanEntryForm(prefix="entry"), revision)


# The public call plan --------------------------------------------------------------------------------------

PLAN_COLUMNS = [
    "fund",
    "call",
    "title",
    "status",
    "objectives",
    "strands",
    "amount",
    "opens_on",
    "closes_on",
    "condition",
]


def public_plan(request):
    return render(request, "calls/public_plan.html", {"rows": public_call_plan()})


def public_plan_file(request, fmt):
    """The call plan as open data; built from the database on each request, so it follows every change."""
    rows = [row.as_dict() for row in public_call_plan()]
    if fmt == "json":
        body = json.dumps({"calls": rows}, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        out = io.StringIO()
        writer = cells.writer(out, lineterminator="\n")
        writer.writerow(PLAN_COLUMNS)
        for row in rows:
            writer.writerow(["; ".join(v) if isinstance(v, list) else v for v in (row[c] for c in PLAN_COLUMNS)])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="utlysningsplan.{fmt}"'
    return response


# Applications ----------------------------------------------------------------------------------------------


def my_applications(request):
    return render(request, "calls/my_applications.html", {"applications": applications_for(request.user)})


def _form_page(request, call, application=None):
    criteria = applications.criteria()
    if request.method == "POST":
        form = ApplicationForm(request.POST, call=call, criteria=criteria)
        if form.is_valid():
            draft = application
            try:
                with transaction.atomic():  # a refused submission stores nothing: no stray second draft
                    application = applications.save_draft(
                        call=call,
                        owner=request.user,
                        data=form.data_for_service(),
                        application=application,
                        edited_from=form.cleaned_data["edited_from"],
                    )
                    if "submit" in request.POST:
                        applications.submit(application, by=request.user)
                if "submit" in request.POST:
                    messages.success(request, _("Ansökan är inlämnad."))
                    return redirect("calls:my-applications")
                messages.success(request, _("Utkastet är sparat."))
                return redirect("calls:application", pk=application.pk)
            except ValidationError as exc:
                application = draft
                if "submit" in request.POST:  # what is missing too, not only what is malformed
                    exc = ValidationError(
                        {**applications.missing_on_submit(form.data_for_service()), **exc.message_dict}
                    )
                form.add_service_errors(exc)
    else:
        initial = ApplicationForm.initial_from(applications.application_data(application)) if application else {}
        if application:
            initial["edited_from"] = applications.edit_token(application)
        form = ApplicationForm(initial=initial, call=call, criteria=criteria)
    return render(
        request,
        "calls/application_form.html",
        {"form": form, "call": call, "application": application},
        status=400 if form.errors else 200,
    )


def apply(request, pk):
    call = get_object_or_404(scoped(Call.objects), pk=pk, status=Call.Status.OPEN)
    return _form_page(request, call)


def application(request, pk):
    """An applicant's own application: editable as a draft, read-only once submitted. Those who handle calls
    read any submitted application (never one they are jävig for), with its grant decision or the way to it."""
    found = get_object_or_404(Project.objects.select_related("call__fund", "strand"), pk=pk, call__isnull=False)
    if found.owner_id != request.user.pk:
        return _handled_application(request, found)
    if found.status != Project.Status.DRAFT:
        if request.method == "POST":
            raise PermissionDenied(_("Ansökan är inlämnad och kan inte längre ändras."))
        return render(
            request, "calls/application_view.html", {"application": found, "data": applications.application_data(found)}
        )
    return _form_page(request, found.call, found)


def _handled_application(request, found):
    from samhandling.assessment.selectors import can_register_grant
    from samhandling.partnership.conflict_of_interest import user_grounds

    elsewhere = found.call.partnership_id != current_partnership().pk  # handled by another partnership
    if (
        request.method != "GET"
        or not has_role(request.user, *EDITORS)
        or found.status == Project.Status.DRAFT
        or elsewhere
    ):
        raise Http404
    if user_grounds(request.user, found):
        raise PermissionDenied(_("Du är jävig för den här ansökan och kan inte läsa den."))
    return render(
        request,
        "calls/application_view.html",
        {
            "application": found,
            "data": applications.application_data(found),
            "can_grant": can_register_grant(request.user),
        },
    )

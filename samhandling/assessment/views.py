from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.partnership.scope import scoped
from samhandling.calls.models import Call
from samhandling.calls.selectors import partnership_mode
from samhandling.partnership.selectors import items as partnership_items, open_items
from samhandling.projects.models import Project

from . import services
from .models import Assessment, PrioritisationEntry, SelectionCriterion
from .selectors import (
    can_prioritise,
    can_register_grant,
    latest_prioritisation,
    unallocated,
    visible_results,
    work_list,
)


def mine(request):
    return render(request, "assessment/mine.html", {"rows": work_list(request.user)})


def score(request, pk):
    application = get_object_or_404(
        scoped(Project.objects.select_related("call", "applicant", "objective"), "call__partnership"), pk=pk
    )
    services.check_assessor(request.user, application)
    criteria = scoped(SelectionCriterion.objects.prefetch_related("sub_aspects")).order_by("number")
    assessment = Assessment.objects.filter(application=application, assessor=request.user).first()
    values = (
        {s.criterion.number: (s.score, s.motivation) for s in assessment.scores.select_related("criterion")}
        if assessment
        else {}
    )
    errors = {}
    note = assessment.private_note if assessment else ""
    if request.method == "POST":
        values = {
            c.number: (request.POST.get(f"score_{c.number}", ""), request.POST.get(f"motivation_{c.number}", ""))
            for c in criteria
        }
        note = request.POST.get("private_note", "")
        try:
            services.save_assessment(
                application,
                request.user,
                scores=values,
                private_note=note,
                complete="complete" in request.POST,
                version=request.POST.get("version") if assessment else None,
            )
            messages.success(request, _("Bedömningen är sparad."))
            return redirect("assessment:mine")
        except ValidationError as exc:
            errors = {k: v[0] for k, v in exc.message_dict.items()}
            if "__all__" in errors:
                messages.error(request, errors["__all__"])
    call = application.call
    rows = [
        {
            "criterion": c,
            "score": str(values.get(c.number, ("", ""))[0] or ""),
            "motivation": values.get(c.number, ("", ""))[1],
            "score_error": errors.get(f"score_{c.number}"),
            "motivation_error": errors.get(f"motivation_{c.number}"),
        }
        for c in criteria
    ]
    return render(
        request,
        "assessment/score.html",
        {
            "application": application,
            "rows": rows,
            "note": note,
            "version": assessment.version if assessment else "",
            "errors": errors,
            "scale": range(call.score_min, call.score_max + 1),
        },
        status=400 if errors else 200,
    )


def call_overview(request, pk):
    """Aggregated scores (for those assigned to the call, never on a jäv application) and the prioritisation."""
    call = get_object_or_404(scoped(Call.objects.select_related("fund")), pk=pk)
    prioritisation = latest_prioritisation(call)
    results, hidden = visible_results(request.user, call)
    return render(
        request,
        "assessment/call.html",
        {
            "call": call,
            "results": results,
            "hidden": hidden,
            "sees_scores": results is not None,
            "prioritisation": prioritisation,
            "unallocated": unallocated(prioritisation) if prioritisation else [],
            "can_prioritise": can_prioritise(request.user, call),
            "can_grant": can_register_grant(request.user),
            "mode": partnership_mode(call),
            "items": open_items(),
        },
    )


def _guard(request, call):
    if not can_prioritise(request.user, call):
        raise PermissionDenied(_("Du får inte prioritera ansökningar i den här utlysningen."))


def _run(request, call, action):
    _guard(request, call)
    try:
        action()
        messages.success(request, _("Ändringen är sparad."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("assessment:call", pk=call.pk)


def prioritise(request, pk):
    call = get_object_or_404(scoped(Call.objects), pk=pk)
    return _run(request, call, lambda: services.propose_prioritisation(call, by=request.user))


def move(request, pk):
    entry = get_object_or_404(
        scoped(PrioritisationEntry.objects.select_related("prioritisation__call"), "prioritisation__call__partnership"),
        pk=pk,
    )
    return _run(
        request,
        entry.prioritisation.call,
        lambda: services.move(
            entry,
            prioritised=request.POST.get("prioritised") == "1",
            reason=request.POST.get("reason", ""),
            by=request.user,
        ),
    )


def decide(request, pk):
    call = get_object_or_404(scoped(Call.objects), pk=pk)
    item = get_object_or_404(partnership_items(), pk=_id(request.POST.get("item")))

    def write():
        prioritisation = latest_prioritisation(call)
        if prioritisation is None:
            raise ValidationError(
                {"item": _("Det finns ingen prioritering att föra in; föreslå först en prioritering.")}
            )
        services.write_decision(prioritisation, item, by=request.user)

    return _run(request, call, write)


def _id(value) -> int:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 10 else 0


def grant(request, pk):
    """The grant decision for one prioritised application, on its own page (linked from the list)."""
    application = get_object_or_404(
        scoped(Project.objects.select_related("call__fund", "applicant", "objective", "strand"), "call__partnership"),
        pk=pk,
        call__isnull=False,
    )
    if not can_register_grant(request.user):
        raise PermissionDenied(_("Du får inte registrera beslut om stöd."))
    errors = {}
    values = {"amount": application.amount_applied or "", "decided_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        values = {"amount": request.POST.get("amount", ""), "decided_on": request.POST.get("decided_on", "")}
        try:
            try:
                decided_on = date.fromisoformat(values["decided_on"])
            except ValueError:
                raise ValidationError({"decided_on": _("Beslutsdatum: ange datum som ÅÅÅÅ-MM-DD.")}) from None
            services.register_grant(application, values["amount"], decided_on=decided_on, by=request.user)
            messages.success(request, _("Beslutet om stöd är registrerat för ”%(name)s”.") % {"name": application.name})
            return redirect("assessment:call", pk=application.call_id)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
    return render(
        request,
        "assessment/grant.html",
        {"application": application, "values": values, "errors": errors},
        status=400 if errors else 200,
    )

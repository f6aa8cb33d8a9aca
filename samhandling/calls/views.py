from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samhandling.access.roles import STAFF, Role, has_role
from samhandling.partnership.models import Item
from samhandling.projects.models import Project

from . import applications, services
from .forms import ApplicationForm
from .models import Call
from .selectors import applications_for, public_calls


def call_list(request):
    return render(request, "calls/list.html", {"calls": public_calls()})


def call_detail(request, pk):
    call = get_object_or_404(Call.objects.select_related("fund", "approved_at__meeting"), pk=pk)
    editor = has_role(request.user, *STAFF, Role.MA_OFFICER)
    if not call.is_public and not editor:
        raise Http404
    return render(
        request,
        "calls/detail.html",
        {
            "call": call,
            "objectives": call.call_objectives.select_related("objective"),
            "editor": editor,
            "next_statuses": [Call.Status(s) for s in services.TRANSITIONS[call.status]],
            "can_apply": call.status == Call.Status.OPEN and has_role(request.user, Role.APPLICANT),
        },
    )


def call_status(request, pk):
    call = get_object_or_404(Call, pk=pk)
    item = Item.objects.filter(pk=request.POST.get("item") or None).first()
    try:
        services.change_status(call, request.POST.get("status", ""), item=item)
        messages.success(request, _("Utlysningens status är ändrad."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("calls:detail", pk=call.pk)


def my_applications(request):
    return render(request, "calls/my_applications.html", {"applications": applications_for(request.user)})


def _form_page(request, call, application=None):
    criteria = applications.criteria()
    if request.method == "POST":
        form = ApplicationForm(request.POST, call=call, criteria=criteria)
        if form.is_valid():
            try:
                application = applications.save_draft(
                    call=call, owner=request.user, data=form.data_for_service(), application=application
                )
                if "submit" in request.POST:
                    applications.submit(application, by=request.user)
                    messages.success(request, _("Ansökan är inlämnad."))
                    return redirect("calls:my-applications")
                messages.success(request, _("Utkastet är sparat."))
                return redirect("calls:application", pk=application.pk)
            except ValidationError as exc:
                if "submit" in request.POST:  # what is missing too, not only what is malformed
                    exc = ValidationError(
                        {**applications.missing_on_submit(form.data_for_service()), **exc.message_dict}
                    )
                form.add_service_errors(exc)
    else:
        initial = ApplicationForm.initial_from(applications.application_data(application)) if application else {}
        form = ApplicationForm(initial=initial, call=call, criteria=criteria)
    return render(
        request,
        "calls/application_form.html",
        {"form": form, "call": call, "application": application},
        status=400 if form.errors else 200,
    )


def apply(request, pk):
    call = get_object_or_404(Call, pk=pk, status=Call.Status.OPEN)
    return _form_page(request, call)


def application(request, pk):
    """An applicant's own application: editable as a draft, read-only once submitted; others' are not found."""
    found = get_object_or_404(
        Project.objects.select_related("call__fund"), pk=pk, owner=request.user, call__isnull=False
    )
    if found.status != Project.Status.DRAFT:
        if request.method == "POST":
            raise PermissionDenied(_("Ansökan är inlämnad och kan inte längre ändras."))
        return render(
            request, "calls/application_view.html", {"application": found, "data": applications.application_data(found)}
        )
    return _form_page(request, found.call, found)

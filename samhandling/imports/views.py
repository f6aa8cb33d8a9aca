from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import organisations, selectors, web
from .forms import UploadForm
from .models import ImportUpload, MatchProposal


def history(request):
    return render(request, "imports/history.html", {"runs": selectors.recent_runs()})


def matches(request):
    if request.method == "POST":
        proposal = get_object_or_404(MatchProposal, pk=request.POST.get("proposal"))
        action = request.POST.get("action")
        if action == "confirm":
            organisations.confirm(proposal, request.user)
            messages.success(
                request, _("Matchningen är bekräftad: namnet är nu ett alternativt namn och projekten är flyttade.")
            )
        elif action == "reject":
            organisations.reject(proposal, request.user)
            messages.success(request, _("Matchningen är avvisad: organisationerna hålls isär."))
        else:
            messages.error(request, _("Okänd åtgärd."))
        return redirect("imports:matches")
    status = request.GET.get("status", MatchProposal.Status.PENDING)
    if status not in MatchProposal.Status.values:
        status = MatchProposal.Status.PENDING
    return render(
        request,
        "imports/matches.html",
        {
            "proposals": selectors.proposals(status),
            "status": status,
            "statuses": MatchProposal.Status.choices,
        },
    )


def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            received = web.receive(
                fmt=form.cleaned_data["format"],
                file=form.cleaned_data["file"],
                user=request.user,
                mapping_file=form.cleaned_data.get("mapping"),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field, errors)
        else:
            return redirect("imports:upload-detail", pk=received.pk)
    return render(
        request,
        "imports/upload.html",
        {"form": form, "uploads": ImportUpload.objects.select_related("by")[:20]},
        status=400 if form.errors else 200,
    )


def _upload_context(upload_obj):
    preview = upload_obj.preview or {}
    total = preview.get("rows") or 0
    done = web.progress(upload_obj)
    return {
        "upload": upload_obj,
        "done": done,
        "total": total,
        "percent": min(100, round(100 * done / total)) if total else 0,
        "has_rejects": web.rejects_file(upload_obj) is not None,
        "valid_rows": sum(preview.get(k, 0) for k in ("created", "updated", "unchanged")),
        "polling": upload_obj.status
        in (ImportUpload.Status.CHECKING, ImportUpload.Status.QUEUED, ImportUpload.Status.RUNNING),
    }


def upload_detail(request, pk):
    upload_obj = get_object_or_404(ImportUpload, pk=pk)
    return render(request, "imports/upload_detail.html", _upload_context(upload_obj))


def upload_status(request, pk):
    upload_obj = get_object_or_404(ImportUpload, pk=pk)
    return render(request, "imports/_upload_status.html", _upload_context(upload_obj))


@require_POST
def upload_start(request, pk):
    upload_obj = get_object_or_404(ImportUpload, pk=pk)
    try:
        web.start(upload_obj)
        messages.success(request, _("Importen är startad. Sidan visar hur långt den har kommit."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("imports:upload-detail", pk=upload_obj.pk)


def upload_rejects(request, pk):
    upload_obj = get_object_or_404(ImportUpload, pk=pk)
    path = web.rejects_file(upload_obj)
    if path is None:
        raise Http404
    name = f"avvisade-rader-{PurePath(upload_obj.file_name).stem}.csv"
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response

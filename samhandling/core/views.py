from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from samhandling.programmes.selectors import funds_overview
from samhandling.partnership.selectors import current_partnership

from . import audit, tasks


def home(request):
    return render(request, "core/home.html", {"partnership": current_partnership(), "funds": funds_overview()})


def my_tasks(request):
    """Mina uppgifter: the signed-in user's start page, with what waits for them in each of their roles."""
    sections = tasks.sections_for(request.user) if request.user.is_authenticated else []
    return render(request, "core/tasks.html", {"sections": sections})


def _case(model_label, pk):
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        raise Http404(_("Okänd typ av ärende.")) from None
    if not audit.is_audited(model):
        raise Http404(_("Okänd typ av ärende."))
    try:
        return model, model._base_manager.filter(pk=pk).first()
    except (ValueError, ValidationError):
        raise Http404(_("Okänt ärende.")) from None


def audit_trail(request, model, pk):
    """The history of one case (secretariat): who changed what and when, before and after."""
    model_cls, obj = _case(model, pk)
    entries = audit.visible_to(audit.trail(model, pk), request.user)[:1000]
    return render(
        request,
        "core/audit_trail.html",
        {
            "model_label": model,
            "pk": pk,
            "verbose_name": model_cls._meta.verbose_name,
            "obj": obj,
            "entries": [(e, audit.actor_label(e), audit.change_rows(e)) for e in entries],
        },
    )


def audit_trail_csv(request, model, pk):
    _case(model, pk)
    response = HttpResponse(
        audit.trail_csv(audit.visible_to(audit.trail(model, pk), request.user)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="granskningslogg-{model.replace(".", "-")}-{pk}.csv"'
    return response

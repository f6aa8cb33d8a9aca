from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from samhandling.programmes.selectors import funds_overview
from samhandling.partnership.selectors import current_partnership, partnerships_overview

from . import audit, tasks
from .context_processors import PRODUCT_NAME
from .ratelimit import API_PREFIX


def home(request):
    partnership = current_partnership()
    return render(
        request,
        "core/home.html",
        {
            "partnership": partnership,
            "partnerships": partnerships_overview(),
            "funds": funds_overview(partnership=partnership),
        },
    )


def my_tasks(request):
    """Mina uppgifter: the signed-in user's start page, with what waits for them in each of their roles."""
    groups = tasks.by_partnership(request.user) if request.user.is_authenticated else []
    return render(request, "core/tasks.html", {"groups": groups})


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


def accessibility_statement(request):
    """The accessibility statement (tillgänglighetsredogörelse) that the Swedish DOS law asks public services for."""
    return render(
        request,
        "core/accessibility.html",
        {"accessibility_contact": settings.ACCESSIBILITY_CONTACT, "statement_date": STATEMENT_DATE},
    )


STATEMENT_DATE = date(2026, 12, 6)  # update with the statement's text


def error_page(request, status, title, message):
    """A styled, translated error page with the site's header and a way back; an htmx request gets only the
    message, which the page shows where the request came from (site.js lets 4xx answers swap in). A request to
    the API (an address it does not have, say) gets the message as JSON, as the API's own errors are."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    context = {"status": status, "error_title": title, "error_message": message}
    if not getattr(request, "htmx", False):
        return render(request, "core/error.html", context, status=status)
    response = render(request, "core/_error.html", context, status=status)
    response["HX-Retarget"], response["HX-Reswap"] = "#messages", "innerHTML"
    return response


def _message(exception) -> str:
    """The message a view raised with (`PermissionDenied(_("…"))`, `Http404(_("…"))`), when it is one for people:
    Django's own resolver 404 carries a dict, not a sentence."""
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    return exception.args[0]


def bad_request(request, exception=None):
    return error_page(request, 400, _("Felaktig begäran"), _("Begäran kunde inte tolkas."))


def forbidden(request, exception=None):
    return error_page(
        request, 403, _("Du saknar behörighet"), _message(exception) or _("Du saknar behörighet för den här sidan.")
    )


def not_found(request, exception=None):
    return error_page(
        request, 404, _("Sidan finns inte"), _message(exception) or _("Sidan du söker finns inte eller har flyttats.")
    )


def server_error(request):
    """500: rendered without the database-backed context (it may be what failed), falling back to plain text;
    JSON for the API."""
    message = _("Ett fel uppstod hos oss. Försök igen om en stund; felet är loggat.")
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=500)
    context = {
        "status": 500,
        "product_name": PRODUCT_NAME,
        "error_title": _("Något gick fel"),
        "error_message": message,
    }
    try:
        return HttpResponse(render_to_string("core/error.html", context), status=500)
    except Exception:  # noqa: BLE001 – the last resort must always answer
        return HttpResponse(context["error_message"], status=500, content_type="text/plain; charset=utf-8")

"""Thin views over the portfolio selectors and services."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samhandling.partnership.scope import scoped
from samhandling.access.roles import has_role
from samhandling.core.ratelimit import limit_anonymous
from samhandling.core import background
from samhandling.core.views import error_page
from samhandling.programmes import followup as followup_services
from samhandling.programmes.models import RegulationObjective
from samhandling.projects.models import Project

from . import charts, classification, selectors, services
from .access import INSIDERS
from .forms import IndicatorTargetForm, IndicatorValueForm, MaturityForm, TargetForm
from .models import ProjectLabel, SmartSpecialisationArea, Target, Theme
from .network import current as current_network
from .tasks import build_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


NETWORK_PAGE = 100


def _public(request) -> bool:
    return not has_role(request.user, *INSIDERS)


def _years(request):
    def year(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and len(value) == 4 else None

    return year("fran"), year("till")


def dashboard(request):
    year_from, year_to = _years(request)
    context = selectors.dashboard(_public(request), year_from, year_to)
    context.update(year_from=year_from, year_to=year_to, query=request.GET.urlencode())
    return render(request, "portfolio/dashboard.html", context)


def chart(request, key):
    year_from, year_to = _years(request)
    by_key = {t.key: t for t in selectors.figures(year_from, year_to).tables}
    if key not in by_key:
        raise Http404
    # Drawn once per table of figures and language, in the cache every server shares (matplotlib is slow).
    name = "portfolio:chart:" + hashlib.sha256(repr((by_key[key], get_language())).encode()).hexdigest()
    svg = cache.get_or_set(name, lambda: charts.table_chart(by_key[key]), 24 * 3600)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    # Opened on its own (not as an <img>), the drawing is a document under the site's policy, which refuses the
    # style attributes matplotlib writes: it would show unstyled. Its own policy allows styles and nothing else.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def orientation(request):
    key = request.GET.get("mal", "")
    choices = selectors.objective_choices()
    suggestions = selectors.orientation(key) if key else []
    return render(
        request,
        "portfolio/orientation.html",
        {"choices": choices, "key": key, "suggestions": suggestions, "selected": dict(choices).get(key, "")},
    )


@limit_anonymous("network")
def network(request):
    """Organisations by centrality, a page at a time, from the newest network a background task computed."""
    found = current_network()
    context = {"build": found.build, "outdated": found.outdated}
    if found.build is not None:
        page = Paginator(found.build.organisations.order_by("rank"), NETWORK_PAGE).get_page(request.GET.get("sida"))
        selected = request.GET.get("org", "")
        context.update(
            measures=page,
            page=page,
            shares=found.build.shares,
            nodes=found.build.nodes,
            edges=found.build.edges,
            detail=_organisation_detail(found.build, int(selected)) if selected.isdigit() else None,
        )
    return render(request, "portfolio/network.html", context)


def _organisation_detail(build, pk):
    if build is None:
        raise Http404(_("Samverkansnätverket beräknas just nu. Försök igen om en stund."))
    row = build.organisations.filter(organisation_id=pk).first()
    if row is None:
        raise Http404
    return {"pk": pk, "name": row.name, "sector": row.sector, "counties": row.counties, "partners": row.partner_list}


@limit_anonymous("network")
def network_organisation(request, pk):
    detail = _organisation_detail(current_network().build, pk)
    template = "portfolio/_organisation.html" if request.htmx else "portfolio/organisation.html"
    return render(request, template, {"detail": detail})


@limit_anonymous("network")
def network_csv(request):
    found = current_network()
    if found.build is None:
        response = error_page(
            request,
            503,
            _("Nätverket beräknas"),
            _("Samverkansnätverket beräknas just nu. Försök igen om en stund."),
        )
        response["Retry-After"] = "60"
        return response
    response = HttpResponse(found.build.csv, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="samverkansnatverk.csv"'
    return response


def labels(request):
    if request.method == "POST":
        try:
            _decide(request)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(request.get_full_path())
    projects = (
        Project.objects.filter(portfolio_labels__isnull=False)
        .distinct()
        .prefetch_related("portfolio_labels__area", "portfolio_labels__theme")
        .order_by("name")[:200]
    )
    return render(
        request,
        "portfolio/labels.html",
        {
            "projects": projects,
            "objectives": classification.labels_in_training_file(),
            "specific_objectives": RegulationObjective.objects.all(),
            "areas": scoped(SmartSpecialisationArea.objects),
            "themes": Theme.objects.all(),
        },
    )


def _decide(request):
    action = request.POST.get("action")
    if action in ("confirm", "reject"):
        label = get_object_or_404(ProjectLabel, pk=request.POST.get("label"))
        (services.confirm_label if action == "confirm" else services.reject_label)(label, request.user)
        messages.success(request, _("Etiketten är sparad."))
    elif action == "objective":
        project = get_object_or_404(Project, pk=request.POST.get("project"))
        services.set_objective(project, request.POST.get("value", ""), request.user)
        messages.success(request, _("Tematiskt mål är sparat och används när modellen tränas om."))
    elif action == "specific":
        project = get_object_or_404(Project, pk=request.POST.get("project"))
        services.set_specific_objective(project, request.POST.get("value", ""), request.user)
        messages.success(request, _("Specifikt mål är sparat; det räknas i portföljen och lär förslagen."))
    elif action == "add":
        project = get_object_or_404(Project, pk=request.POST.get("project"))
        area = scoped(SmartSpecialisationArea.objects).filter(pk=request.POST.get("area") or None).first()
        theme = Theme.objects.filter(pk=request.POST.get("theme") or None).first()
        services.add_label(project, request.user, area=area, theme=theme)
        messages.success(request, _("Etiketten är tillagd."))
    else:
        raise ValidationError(_("Okänd åtgärd."))


def targets(request):
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_target(**form.cleaned_data)
        messages.success(request, _("Målet är sparat."))
        return redirect("portfolio:targets")
    return render(
        request,
        "portfolio/targets.html",
        {"form": form, "targets": scoped(Target.objects.select_related("area", "theme"))},
    )


def followup(request):
    """Indicator targets (programme or partnership) and projects' planned and achieved values, with the overview."""
    action = request.POST.get("action") if request.method == "POST" else None
    target_form = IndicatorTargetForm(request.POST if action == "target" else None, prefix="target")
    value_form = IndicatorValueForm(request.POST if action == "value" else None, prefix="value")
    form = {"target": target_form, "value": value_form}.get(action)
    if form is not None and form.is_valid():
        write = (
            followup_services.set_indicator_target if action == "target" else followup_services.record_indicator_value
        )
        try:
            write(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Indikatorvärdet är sparat."))
            return redirect("portfolio:followup")
    return render(
        request,
        "portfolio/followup.html",
        {
            "target_form": target_form,
            "value_form": value_form,
            "indicators": followup_services.indicator_overview(),
            "money": followup_services.snapshot_series(),
        },
    )


def maturity(request):
    actor = request.GET.get("aktor")
    return render(
        request,
        "portfolio/maturity.html",
        {"timelines": selectors.maturity_timelines(int(actor) if actor and actor.isdigit() else None)},
    )


def maturity_new(request):
    form = MaturityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_evaluation(form, request.user)
        messages.success(request, _("Svaren är sparade."))
        return redirect("portfolio:maturity")
    return render(request, "portfolio/maturity_form.html", {"form": form})


REPORT_FORMATS = ("pdf", "docx")


@require_POST
def report_new(request):
    """Queues the report (PDF ~2–5 s on the demo: a background task, not the web worker) and follows it."""
    fmt = request.POST.get("format", "")
    this_year = timezone.localdate().year
    try:
        year_from = int(request.POST.get("fran") or 2021)
        year_to = int(request.POST.get("till") or this_year)
    except ValueError:
        year_from = year_to = 0
    if fmt not in REPORT_FORMATS or not (2000 <= year_from <= year_to <= this_year + 10):
        messages.error(request, _("Välj PDF eller DOCX och ett giltigt intervall av beslutsår (från ≤ till)."))
        return redirect("portfolio:dashboard")
    result_id = background.submit(build_report, fmt, year_from, year_to)
    return redirect("portfolio:report", result_id=result_id)


def _report_result(result_id):
    result = background.result_of(build_report, str(result_id))
    if result is None:
        raise Http404
    return result


def report(request, result_id):
    result = _report_result(result_id)
    template = "portfolio/_report_status.html" if request.htmx else "portfolio/report_status.html"
    return render(request, template, {"result": result, "status": result.status.lower(), "result_id": result_id})


def report_file(request, result_id):
    result = _report_result(result_id)
    if result.status != "SUCCESSFUL":
        raise Http404
    made = result.return_value
    path = settings.VAR_DIR / "reports" / made["file"]
    if not path.is_file():
        raise Http404
    content_type = "application/pdf" if path.suffix == ".pdf" else DOCX
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=made["name"], content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response

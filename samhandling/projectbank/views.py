"""The public project bank (no login): search with facets, a project, an organisation, and the open data."""

from functools import partial

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import http_date
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from samhandling.core.pages import render_shared
from samhandling.core.ratelimit import limit_anonymous
from samhandling.core.text import CONTROL
from samhandling.core.views import error_page
from samhandling.partnership.minutes import decisions_resource
from samhandling.programmes import opendata as followup_opendata

from . import opendata, selectors, tasks
from .loader import stored_version
from .models import OpenDataBuild
from .selectors import BadParameter

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def open_data(request):
    """The public page listing the open-data downloads."""
    return render(
        request,
        "projectbank/open_data.html",
        {
            # Counted once per data version (a million rows), in the cache every server shares.
            "count": cache.get_or_set(
                f"projectbank:open-count:{stored_version()}", opendata.open_projects().count, 24 * 3600
            ),
            "formats": opendata.FORMATS,
            "columns": opendata.COLUMNS,
            "files": OpenDataBuild.newest_ready(),
        },
    )


@limit_anonymous("open-data")
def open_data_file(request, fmt):
    """A download of the newest open-data files (`datapackage` describes them), streamed from the storage."""
    filename = f"{opendata.FILE_STEM}.{fmt}"
    if fmt == "datapackage":
        urls = {
            f: request.build_absolute_uri(reverse("projectbank:open-data-file", args=[f])) for f in opendata.FORMATS
        }
        followup = {
            name: request.build_absolute_uri(reverse("projectbank:open-data-file", args=[name]))
            for name in followup_opendata.FILES
        }
        descriptor = opendata.datapackage(urls, followup)
        descriptor["resources"].append(  # the minutes' decisions (partnership app) are part of the open data
            decisions_resource(request.build_absolute_uri(reverse("partnership:decisions")))
        )
        response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'inline; filename="datapackage.json"'
        return response
    if fmt in followup_opendata.FILES:  # small tables of figures, written on request
        response = HttpResponse(followup_opendata.csv_text(fmt), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{fmt}.csv"'
        return response
    if fmt not in CONTENT_TYPES:
        raise Http404
    # Written once per data version by a background task (a million rows take minutes), never in a request.
    build, _outdated = OpenDataBuild.current(stored_version(), tasks.write_open_data)
    if build is None:
        response = error_page(
            request,
            503,
            _("Filerna tas fram"),
            _("Filerna med öppna data tas fram just nu. Försök igen om några minuter."),
        )
        response["Retry-After"] = "120"
        return response
    response = FileResponse(
        default_storage.open(build.name(fmt)), as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt]
    )
    response["Last-Modified"] = http_date(build.built_at.timestamp())  # the data as of then
    return response


@limit_anonymous("suggestions", "SEARCH_RATE_LIMIT")
def suggestions(request):
    """The search box's suggestions while typing (an HTMX partial: a datalist the browser offers under the
    box): places and the best projects for what is typed so far, as `GET /api/v1/projects/suggest` gives."""
    found = selectors.suggest(request.GET.get("q", ""))  # it bounds the text itself, as for the API
    return render(request, "projectbank/_suggestions.html", {"suggestions": found})


def _results_html(context: dict, request=None) -> SafeString:
    """The facets and results (a Jinja2 template, samhandling/core/jinja.py), safe to put into the page."""
    return mark_safe(render_to_string("projectbank/_results.html", context, request))


@limit_anonymous("search", "SEARCH_RATE_LIMIT")
def search(request):
    """The search page; an HTMX request gets only the facets and results, which it swaps in place.

    The facets-and-results fragment holds nothing personal (no user, no CSRF token), so it is rendered
    once per search and page and reused while the project bank is unchanged; so is the whole page for
    visitors who are not signed in (`render_shared`).
    """
    context = {"sorts": selectors.SORTS}
    status = 200
    try:
        params, field_errors = selectors.parse_params_with_errors(request.GET)
        result = context["result"] = selectors.search(params)
    except BadParameter as exc:
        shown = CONTROL.sub("\ufffd", request.GET.get("q", "")[: selectors.MAX_QUERY_CHARS])  # as typed, but printable
        params, field_errors = selectors.SearchParams(q=shown), {}
        context["error"], status = exc, exc.status
        fragment = _results_html(context, request)
    else:
        if field_errors:  # the results without the bad values, and each message next to its field
            context["field_errors"] = [
                {"anchor": name if name in ("amount_min", "amount_max", "sort") else "search-body", **vars(exc)}
                | {"label": exc.label}
                for name, exc in field_errors.items()
            ]
            context["raw"] = {name: request.GET.get(name, "")[:100] for name in field_errors} | {
                f"{name}_error": exc.message for name, exc in field_errors.items()
            }
            status = 400
            fragment = _results_html(context, request)
        else:  # a function, which the page's template calls: a page served whole from the shared cache never does
            fragment = partial(_results_html, context)
            if request.htmx or request.user.is_authenticated:  # an anonymous visitor's page is kept whole instead
                fragment = partial(selectors.remembered, result, "html", fragment)
    context = {**context, "params": params}
    if not request.htmx:
        holes = {"q": params.q, "fragment": fragment}  # what differs between two searches' pages
        if status != 200:
            return render(request, "projectbank/search.html", {**context, **holes}, status=status)
        return render_shared(
            request,
            "projectbank/search.html",
            context,
            lambda compute: selectors.remembered(result, ("page", request.get_full_path()), compute),
            holes,
            varies=(params.sort,),
        )
    response = HttpResponse(fragment() if callable(fragment) else fragment, status=status)
    query = params.query_string()  # the address bar shows the search without the form's empty fields
    response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    return response


def project(request, pk):
    return render(request, "projectbank/project.html", {"project": selectors.public_project(pk)})


def organisation(request, pk):
    return render(request, "projectbank/organisation.html", {"page": selectors.public_organisation(pk)})

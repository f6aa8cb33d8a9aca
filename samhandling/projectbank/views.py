"""The public project bank (no login): search with facets, a project, an organisation, and the open data."""

import tempfile

from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from samhandling.core.ratelimit import limit_anonymous
from samhandling.core.pages import render_shared
from samhandling.programmes import opendata as followup_opendata

from . import opendata, selectors
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
            "count": opendata.open_projects().count(),
            "formats": opendata.FORMATS,
            "columns": opendata.COLUMNS,
        },
    )


@limit_anonymous("open-data")
def open_data_file(request, fmt):
    """A download, streamed so a million operations never sit in memory; `datapackage` describes them."""
    filename = f"{opendata.FILE_STEM}.{fmt}"
    if fmt == "datapackage":
        urls = {
            f: request.build_absolute_uri(reverse("projectbank:open-data-file", args=[f])) for f in opendata.FORMATS
        }
        followup = {
            name: request.build_absolute_uri(reverse("projectbank:open-data-file", args=[name]))
            for name in followup_opendata.FILES
        }
        response = JsonResponse(
            opendata.datapackage(urls, followup), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = 'inline; filename="datapackage.json"'
        return response
    if fmt in followup_opendata.FILES:
        response = HttpResponse(followup_opendata.csv_text(fmt), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{fmt}.csv"'
        return response
    if fmt == "xlsx":
        # openpyxl writes a zip file, which needs seeking: it goes to a temporary file that is streamed and removed.
        handle = tempfile.TemporaryFile()
        opendata.write_xlsx(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"])
    if fmt not in CONTENT_TYPES:
        raise Http404
    chunks = opendata.csv_chunks() if fmt == "csv" else opendata.json_chunks()
    response = StreamingHttpResponse((c.encode("utf-8") for c in chunks), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
        params, field_errors = selectors.SearchParams(q=request.GET.get("q", "")[: selectors.MAX_QUERY_CHARS]), {}
        context["error"], status = exc, exc.status
        fragment = render_to_string("projectbank/_results.html", context, request)
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
            fragment = render_to_string("projectbank/_results.html", context, request)
        else:
            fragment = selectors.remembered(
                result, "html", lambda: render_to_string("projectbank/_results.html", context)
            )
    context["params"] = params
    if not request.htmx:
        page = {**context, "fragment": fragment}
        if status != 200:
            return render(request, "projectbank/search.html", page, status=status)
        return render_shared(
            request,
            "projectbank/search.html",
            page,
            lambda compute: selectors.remembered(result, ("page", request.get_full_path()), compute),
        )
    response = HttpResponse(fragment, status=status)
    query = params.query_string()  # the address bar shows the search without the form's empty fields
    response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    return response


def project(request, pk):
    return render(request, "projectbank/project.html", {"project": selectors.public_project(pk)})


def organisation(request, pk):
    return render(request, "projectbank/organisation.html", {"page": selectors.public_organisation(pk)})

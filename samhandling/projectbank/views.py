"""The public project bank (no login): search with facets, a project, an organisation."""
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from . import selectors
from .selectors import BadParameter


def search(request):
    """The search page; an HTMX request gets only the facets and results, which it swaps in place.

    The facets-and-results fragment holds nothing personal (no user, no CSRF token), so it is rendered
    once per search and page and reused while the project bank is unchanged.
    """
    context = {"sorts": selectors.SORTS}
    status = 200
    try:
        params = selectors.parse_params(request.GET)
        result = context["result"] = selectors.search(params)
    except BadParameter as exc:
        params = selectors.SearchParams(q=request.GET.get("q", "")[: selectors.MAX_QUERY_CHARS])
        context["error"], status = exc, exc.status
        fragment = render_to_string("projectbank/_results.html", context, request)
    else:
        fragment = selectors.remembered(result, "html", lambda: render_to_string("projectbank/_results.html", context))
    context["params"] = params
    if not request.htmx:
        return render(request, "projectbank/search.html", {**context, "fragment": fragment}, status=status)
    response = HttpResponse(fragment, status=status)
    query = params.query_string()  # the address bar shows the search without the form's empty fields
    response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    return response


def project(request, pk):
    return render(request, "projectbank/project.html", {"project": selectors.public_project(pk)})


def organisation(request, pk):
    return render(request, "projectbank/organisation.html", {"page": selectors.public_organisation(pk)})

"""The public project bank (no login): search with facets, a project, an organisation."""
from django.shortcuts import render

from . import selectors
from .selectors import BadParameter


def search(request):
    """The search page; an HTMX request gets only the facets and results, which it swaps in place."""
    context = {"sorts": selectors.SORTS}
    status = 200
    try:
        params = selectors.parse_params(request.GET)
        context["result"] = selectors.search(params)
    except BadParameter as exc:
        params = selectors.SearchParams(q=request.GET.get("q", "")[: selectors.MAX_QUERY_CHARS])
        context["error"], status = exc, exc.status
    context["params"] = params
    if not request.htmx:
        return render(request, "projectbank/search.html", context, status=status)
    response = render(request, "projectbank/_results.html", context, status=status)
    query = params.query_string()  # the address bar shows the search without the form's empty fields
    response["HX-Push-Url"] = request.path + (f"?{query}" if query else "")
    return response


def project(request, pk):
    return render(request, "projectbank/project.html", {"project": selectors.public_project(pk)})


def organisation(request, pk):
    return render(request, "projectbank/organisation.html", {"page": selectors.public_organisation(pk)})

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
    template = "projectbank/_results.html" if request.htmx else "projectbank/search.html"
    return render(request, template, context, status=status)


def project(request, pk):
    return render(request, "projectbank/project.html", {"project": selectors.public_project(pk)})


def organisation(request, pk):
    return render(request, "projectbank/organisation.html", {"page": selectors.public_organisation(pk)})

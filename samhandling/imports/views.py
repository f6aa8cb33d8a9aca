from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import organisations, selectors
from .models import MatchProposal


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

"""The earmarks' pages: their ledger for everyone, setting one aside and taking it back for the managing
authority. Writes go through `services`, which refuse what the objective's budget cannot hold."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samhandling.access.roles import has_role

from . import services
from .access import SETTERS
from .forms import EarmarkForm
from .models import Earmark
from .selectors import earmark_balances


def earmark_list(request):
    return render(
        request,
        "programmes/earmarks.html",
        {"rows": earmark_balances(), "setter": has_role(request.user, *SETTERS)},
    )


def earmark_create(request):
    form = EarmarkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            earmark = services.earmark(
                data["objective"],
                data["name"],
                data["amount"],
                kind=data["kind"],
                intermediate_body=data["intermediate_body"],
                implementation_plan=data["implementation_plan"],
                partnership=data["partnership"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)  # a dict names its field; the shortfall message is the whole form's
        else:
            messages.success(request, _("Öronmärkningen %(name)s är sparad.") % {"name": earmark.name})
            return redirect("programmes:earmarks")
    return render(request, "programmes/earmark_form.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def earmark_delete(request, pk):
    earmark = get_object_or_404(Earmark, pk=pk)
    try:
        services.remove_earmark(earmark)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Öronmärkningen %(name)s är borttagen.") % {"name": earmark.name})
    return redirect("programmes:earmarks")

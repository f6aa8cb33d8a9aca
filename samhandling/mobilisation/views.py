"""Thin views: forms in, services for writes, selectors for reads and object-level rules."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from samhandling.access.permissions import is_secretariat
from samhandling.core.ratelimit import exceeded
from samhandling.core.redirects import redirect_next
from samhandling.projects.models import Organisation

from . import selectors, services
from .countries import COUNTRY_NAMES
from .forms import (
    IdeaFilterForm,
    IdeaForm,
    InterestForm,
    LinkApplicationForm,
    MeetingForm,
    NoticeFilterForm,
    NoticeForm,
    OrganisationForm,
    PlatformForm,
    RegistrationForm,
)
from .matching import match_idea
from .models import InformationMeeting, PartnerSearchNotice

SECTOR_NAMES = dict(Organisation.Sector.choices)


def _add_errors(form, error: ValidationError):
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _visible_idea(request, pk):
    return get_object_or_404(selectors.visible_ideas(request.user), pk=pk)


def ideas(request):
    form = IdeaFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return render(
        request,
        "mobilisation/ideas.html",
        {
            "ideas": selectors.filter_ideas(selectors.visible_ideas(request.user), **filters),
            "form": form,
            "sees_all": selectors.sees_all_ideas(request.user),
            "organisation": selectors.organisation_of(request.user),
            "secretariat": is_secretariat(request.user),
            "platforms": selectors.platforms(),
            "taking_ideas": set(selectors.open_platforms().values_list("pk", flat=True)),
        },
    )


def organisation(request):
    current = selectors.organisation_of(request.user)
    initial = (
        {"name": current.name, "org_number": current.org_number, "sector": current.sector, "country": current.country}
        if current
        else None
    )
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation, pending = services.link_user_to_organisation(request.user, **form.cleaned_data)
        if pending is None:
            messages.success(request, _("Du företräder nu %(org)s.") % {"org": organisation.name})
            return redirect_next(request, "mobilisation:ideas")
        messages.info(
            request,
            _(
                "%(org)s finns redan. Din begäran att företräda organisationen väntar på godkännande av "
                "sekretariatet eller av någon som redan företräder den."
            )
            % {"org": organisation.name},
        )
        return redirect("mobilisation:organisation")
    return render(
        request,
        "mobilisation/organisation.html",
        {
            "form": form,
            "current": current,
            "pending": selectors.pending_link_requests_of(request.user),
            "to_decide": selectors.link_requests_to_decide(request.user).exists(),
        },
    )


def link_requests(request):
    """Pending requests to act for an existing organisation, for those who may vouch for it."""
    return render(
        request,
        "mobilisation/link_requests.html",
        {"requests": selectors.link_requests_to_decide(request.user)[:200]},
    )


def link_request_decide(request, pk):
    link_request = get_object_or_404(selectors.link_requests_to_decide(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_link_request(link_request, by=request.user, approve=approve)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        template = (
            _("%(user)s företräder nu %(org)s.")
            if approve
            else _("Begäran från %(user)s att företräda %(org)s avslogs.")
        )
        messages.success(request, template % {"user": link_request.user, "org": link_request.organisation})
    return redirect("mobilisation:link-requests")


def _edit_idea(request, idea=None):
    if selectors.organisation_of(request.user) is None:
        messages.info(request, _("Ange först vilken organisation du företräder."))
        return redirect(f"{reverse('mobilisation:organisation')}?next={request.path}")
    if idea is not None and not selectors.can_manage_idea(request.user, idea):
        raise PermissionDenied(_("Bara organisationen som äger idén kan ändra den."))
    form = IdeaForm(request.POST or None, instance=idea)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.save_idea(form, request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Projektidén är sparad."))
            return redirect("mobilisation:idea", pk=idea.pk)
    return render(
        request, "mobilisation/idea_form.html", {"form": form, "idea": idea}, status=400 if form.errors else 200
    )


def idea_new(request):
    return _edit_idea(request)


def idea_edit(request, pk):
    return _edit_idea(request, _visible_idea(request, pk))


def idea(request, pk):
    obj = _visible_idea(request, pk)
    manage = selectors.can_manage_idea(request.user, obj, secretariat=True)
    link_form = (
        LinkApplicationForm(
            candidates=selectors.candidate_applications(obj), initial={"application": obj.application_id}
        )
        if manage
        else None
    )
    return render(
        request,
        "mobilisation/idea.html",
        {
            "idea": obj,
            "owner": selectors.can_manage_idea(request.user, obj),
            "link_form": link_form,
            "countries": [COUNTRY_NAMES.get(c, c) for c in obj.partner_countries],
            "sectors": [SECTOR_NAMES.get(s, s) for s in obj.partner_sectors],
        },
    )


def idea_application(request, pk):
    obj = _visible_idea(request, pk)
    form = LinkApplicationForm(request.POST, candidates=selectors.candidate_applications(obj))
    if form.is_valid():
        try:
            services.link_application(obj, form.cleaned_data["application"], request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Kopplingen till ansökan är sparad."))
    else:
        messages.error(request, _("Ansökan som idén blev: välj en ansökan från listan."))
    return redirect("mobilisation:idea", pk=obj.pk)


def idea_matches(request, pk):
    obj = _visible_idea(request, pk)
    matches = match_idea(obj)
    codes = selectors.idea_objective_codes(matches)
    suggested = [s.organisation.pk for s in matches.partners]
    evidence = selectors.partner_evidence(suggested, codes)
    return render(
        request,
        "mobilisation/matches.html",
        {
            "idea": obj,
            "matches": matches,
            "objective_codes": codes,
            "partner_rows": [(s, evidence.get(s.organisation.pk)) for s in matches.partners],
            "experienced": selectors.experienced_partners(codes, exclude=[obj.organisation_id]),
        },
    )


def notices(request):
    form = NoticeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.current_notices(theme=data.get("theme"), country=data.get("country", ""))
    return render(request, "mobilisation/notices.html", {"form": form, "notices": qs})


def notice_new(request):
    organisation = selectors.organisation_of(request.user)
    if organisation is None:
        messages.info(request, _("Ange först vilken organisation du företräder."))
        return redirect(f"{reverse('mobilisation:organisation')}?next={request.path}")
    form = NoticeForm(request.POST or None, organisation=organisation, initial={"contact_email": request.user.email})
    if request.method == "POST" and form.is_valid():
        notice = services.publish_notice(form, request.user)
        messages.success(request, _("Partnersökningen är publicerad."))
        return redirect("mobilisation:notice", pk=notice.pk)
    return render(request, "mobilisation/notice_form.html", {"form": form}, status=400 if form.errors else 200)


def notice(request, pk):
    obj = get_object_or_404(PartnerSearchNotice.objects.select_related("organisation", "theme", "idea"), pk=pk)
    owner = selectors.is_notice_owner(request.user, obj)
    form = InterestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.express_interest(obj, request.user, form.cleaned_data["message"])
            except ValidationError as error:
                _add_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Er intresseanmälan är skickad till organisationen."))
                return redirect("mobilisation:notice", pk=obj.pk)
    interests = obj.interests.select_related("organisation", "user") if owner else None
    return render(
        request,
        "mobilisation/notice.html",
        {
            "notice": obj,
            "form": form,
            "owner": owner,
            "interests": interests,
            "interest_count": obj.interests.count(),
            "e": selectors.partner_evidence([obj.organisation_id]).get(obj.organisation_id),
        },
        status=400 if form.errors else 200,
    )


def meetings(request):
    return render(
        request,
        "mobilisation/meetings.html",
        {
            "meetings": selectors.meetings(upcoming=True),
            "past": selectors.meetings(upcoming=False)[:20],
            "secretariat": is_secretariat(request.user),
        },
    )


def platform_edit(request, pk=None):
    """The secretariat's form for a project platform of its partnership (new, or changed)."""
    platform = get_object_or_404(selectors.platforms(), pk=pk) if pk is not None else None
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        platform = services.save_platform(form)
        messages.success(request, _("Projektplattformen %(name)s är sparad.") % {"name": platform.name})
        return redirect(reverse("mobilisation:ideas") + f"?platform={platform.pk}")
    context = {"form": form, "platform": platform}
    return render(request, "mobilisation/platform_form.html", context, status=400 if form.errors else 200)


def meeting_new(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.save_meeting(form)
        messages.success(request, _("Mötet är publicerat."))
        return redirect("mobilisation:meeting", pk=meeting.pk)
    return render(request, "mobilisation/meeting_form.html", {"form": form}, status=400 if form.errors else 200)


def meeting(request, pk):
    obj = get_object_or_404(InformationMeeting.objects.select_related("call__fund"), pk=pk)
    user = request.user
    initial = {"name": user.get_full_name(), "email": user.email} if user.is_authenticated else None
    organisation = selectors.organisation_of(user)
    if organisation:
        initial["organisation_name"] = organisation.name
    form = RegistrationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and _signup_limited(request):
        form.add_error(None, _("För många anmälningar från din adress. Försök igen om en stund."))
        status = 429
    elif request.method == "POST" and form.is_valid():
        try:
            registration = services.register_for_meeting(
                obj,
                user=user,
                confirm_url=lambda token: request.build_absolute_uri(
                    reverse("mobilisation:registration-confirm", args=[token])
                ),
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Nästan klart: vi har skickat en länk till %(email)s. Platsen är din när du har bekräftat "
                    "anmälan via länken."
                )
                % {"email": registration.email},
            )
            return redirect("mobilisation:meeting", pk=obj.pk)
    return render(
        request,
        "mobilisation/meeting.html",
        {
            "meeting": obj,
            "form": form,
            "registered": obj.registrations.filter(confirmed_at__isnull=False).count(),
            "secretariat": is_secretariat(user),
        },
        status=400 if status == 200 and form.errors else status,
    )


def _signup_limited(request) -> bool:
    """Anonymous sign-ups per client address are rate-limited (core.ratelimit, in the shared cache)."""
    if request.user.is_authenticated:
        return False
    return bool(exceeded(request, "mobilisation-signup", settings.SIGNUP_RATE_LIMIT, method="POST"))


def registration_confirm(request, token):
    """The link in the confirmation e-mail: a page with a button (so mail scanners that open links confirm
    nothing), and the confirmation itself on POST."""
    error = None
    registration = None
    if request.method == "POST":
        try:
            registration = services.confirm_registration(token)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("Din anmälan till %(title)s är bekräftad.") % {"title": registration.meeting.title}
            )
            return redirect("mobilisation:meeting", pk=registration.meeting_id)
    return render(request, "mobilisation/registration_confirm.html", {"error": error}, status=400 if error else 200)


def attendees(request, pk):
    obj = get_object_or_404(InformationMeeting, pk=pk)
    return render(
        request,
        "mobilisation/attendees.html",
        {
            "meeting": obj,
            "attendees": obj.registrations.filter(confirmed_at__isnull=False),
            "unconfirmed": obj.registrations.filter(confirmed_at__isnull=True).count(),
        },
    )


def outcomes(request):
    return render(request, "mobilisation/outcomes.html", {"calls": selectors.closed_calls_with_ideas()})

"""Writes for mobilisation, shared by the web UI, the demo and any later API."""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.mail import services as mail
from samhandling.mail.calendar import event_ics
from samhandling.mail.models import OutgoingMail
from samhandling.projects.models import Organisation, Project
from samhandling.projects.services import find_organisation

from .models import (
    InformationMeeting,
    Interest,
    OrganisationLinkRequest,
    OrganisationUser,
    PartnerSearchNotice,
    ProjectIdea,
    ProjectPlatform,
    Registration,
)
from .selectors import can_manage_idea, may_decide_link_request, organisation_of

CONFIRM_SALT = "samhandling.mobilisation.registration"


@transaction.atomic
def link_user_to_organisation(
    user, *, name: str, org_number: str = "", sector: str, country: str = "SE"
) -> tuple[Organisation, OrganisationLinkRequest | None]:
    """(organisation, None) when the user now acts for it; (organisation, pending request) when it exists.

    A new organisation is the user's own at once. Acting for an existing one needs someone to vouch (the
    secretariat, or a user already linked to it): naming it only files a request, and the user goes on
    acting for whatever they acted for before.
    """
    existing = find_organisation(name, org_number)
    if existing is None:
        organisation = Organisation.objects.create(
            name=name.strip(), org_number=org_number, sector=sector, country=country
        )
        OrganisationUser.objects.update_or_create(user=user, defaults={"organisation": organisation})
        return organisation, None
    if OrganisationUser.objects.filter(user=user, organisation=existing).exists():
        return existing, None
    request, _created = OrganisationLinkRequest.objects.get_or_create(
        user=user, organisation=existing, status=OrganisationLinkRequest.Status.PENDING
    )
    return existing, request


@transaction.atomic
def decide_link_request(link_request: OrganisationLinkRequest, *, by, approve: bool) -> OrganisationLinkRequest:
    """Approves (the user then acts for the organisation) or refuses a pending request; audited with its actor."""
    link_request = OrganisationLinkRequest.objects.select_for_update().get(pk=link_request.pk)
    if not may_decide_link_request(by, link_request):
        raise PermissionDenied(
            _("Bara sekretariatet eller någon som redan företräder organisationen kan besluta om begäran.")
        )
    if link_request.status != OrganisationLinkRequest.Status.PENDING:
        raise ValidationError(_("Begäran är redan beslutad."))
    S = OrganisationLinkRequest.Status
    link_request.status = S.APPROVED if approve else S.REFUSED
    link_request.decided_by, link_request.decided_at = by, timezone.now()
    link_request.save()
    if approve:
        OrganisationUser.objects.update_or_create(
            user=link_request.user, defaults={"organisation": link_request.organisation}
        )
    return link_request


def _require_organisation(user) -> Organisation:
    organisation = organisation_of(user)
    if organisation is None:
        raise PermissionDenied(_("Ange först vilken organisation du företräder."))
    return organisation


@transaction.atomic
def save_idea(form, user) -> ProjectIdea:
    """Registers a new idea for the user's organisation, or saves the owner's changes to one."""
    idea = form.instance
    if idea.pk is None:
        idea.organisation = _require_organisation(user)
        idea.created_by = user
    elif not can_manage_idea(user, idea):
        raise PermissionDenied(_("Bara organisationen som äger idén kan ändra den."))
    return form.save()


@transaction.atomic
def link_application(idea: ProjectIdea, project: Project | None, user) -> ProjectIdea:
    """Records which application an idea became; only the idea's own organisation can have applied."""
    if not can_manage_idea(user, idea, secretariat=True):
        raise PermissionDenied(_("Bara idéns organisation eller sekretariatet kan koppla en ansökan."))
    if project is not None and project.applicant_id != idea.organisation_id:
        raise ValidationError({"application": _("Ansökan måste vara inlämnad av idéns organisation.")})
    idea.application = project
    idea.save()
    return idea


@transaction.atomic
def publish_notice(form, user) -> PartnerSearchNotice:
    notice = form.instance
    notice.organisation = _require_organisation(user)
    notice.created_by = user
    return form.save()


@transaction.atomic
def express_interest(notice: PartnerSearchNotice, user, message: str) -> Interest:
    """Stores the interest and tells the notice's owner by e-mail (queued, sent after the commit)."""
    organisation = _require_organisation(user)
    if organisation.pk == notice.organisation_id:
        raise ValidationError({"message": _("Du kan inte anmäla intresse för din egen organisations partnersökning.")})
    try:
        with transaction.atomic():
            interest = Interest.objects.create(notice=notice, organisation=organisation, user=user, message=message)
    except IntegrityError:
        raise ValidationError(
            {"message": _("Din organisation har redan anmält intresse för den här partnersökningen.")}
        ) from None
    body = _(
        '%(org)s har anmält intresse för er partnersökning "%(title)s".\n\nMeddelande:\n%(message)s\n\n'
        "Svara på det här mejlet för att kontakta dem."
    ) % {"org": organisation.name, "title": notice.title, "message": message}
    mail.queue(
        OutgoingMail.Kind.INTEREST,
        interest,
        [mail.Recipient(notice.organisation.name, notice.contact_email)],
        subject=_("Intresseanmälan: %(title)s") % {"title": notice.title},
        body=body,
        reply_to=user.email or "",
    )
    return interest


@transaction.atomic
def save_platform(form) -> ProjectPlatform:
    """Creates or changes a project platform of the request's partnership (audited with its actor)."""
    return form.save()


@transaction.atomic
def save_meeting(form) -> InformationMeeting:
    return form.save()


def _seats_taken(meeting: InformationMeeting) -> int:
    return meeting.registrations.filter(confirmed_at__isnull=False).count()


def register_for_meeting(
    meeting: InformationMeeting, *, name: str, email: str, organisation_name: str = "", user=None, confirm_url
) -> Registration:
    """Records a sign-up and e-mails a confirmation link (with the meeting as .ics); no seat until confirmed.

    `confirm_url(token)` gives the absolute link. Signing up again with an address not yet confirmed sends a
    new link; a confirmed address, a meeting already held or one whose seats are all confirmed is refused.
    """
    email = email.strip().lower()
    with transaction.atomic():
        meeting = InformationMeeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.starts_at < timezone.now():
            raise ValidationError({"email": _("Mötet har redan ägt rum.")})
        if meeting.capacity is not None and _seats_taken(meeting) >= meeting.capacity:
            raise ValidationError({"email": _("Mötet är fullbokat.")})
        registration = meeting.registrations.filter(email__iexact=email).first()
        if registration is not None and registration.confirmed_at:
            raise ValidationError({"email": _("Den här e-postadressen är redan anmäld till mötet.")})
        if registration is None:
            registration = Registration(meeting=meeting, email=email)
        registration.name, registration.organisation_name = name, organisation_name
        registration.user = user if user is not None and user.is_authenticated else None
        registration.save()
        _send_confirmation(meeting, registration, confirm_url(confirmation_token(registration)))
    return registration


def confirmation_token(registration: Registration) -> str:
    """A signed, expiring token naming the sign-up and its address (Django's signing; nothing stored)."""
    return signing.dumps({"r": registration.pk, "e": registration.email}, salt=CONFIRM_SALT, compress=True)


def confirm_registration(token: str) -> Registration:
    """Confirms the sign-up the token names, if the link is genuine and recent and a seat is free."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=timedelta(days=Registration.CONFIRM_DAYS))
    except signing.SignatureExpired:
        raise ValidationError(_("Länken har gått ut. Anmäl dig igen för att få en ny.")) from None
    except signing.BadSignature:
        raise ValidationError(_("Länken är ogiltig. Kontrollera att hela länken kom med.")) from None
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(pk=data.get("r"), email=data.get("e"))
            .select_related("meeting")
            .first()
        )
        if registration is None:
            raise ValidationError(_("Anmälan finns inte längre."))
        if registration.confirmed_at:
            return registration
        meeting = InformationMeeting.objects.select_for_update().get(pk=registration.meeting_id)
        if meeting.starts_at < timezone.now():
            raise ValidationError(_("Mötet har redan ägt rum."))
        if meeting.capacity is not None and _seats_taken(meeting) >= meeting.capacity:
            raise ValidationError(_("Mötet är fullbokat."))
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["confirmed_at"])
    return registration


def _send_confirmation(meeting: InformationMeeting, registration: Registration, link: str):
    when = timezone.localtime(meeting.starts_at)
    body = _(
        "Hej %(name)s!\n\nDu har anmält dig till %(title)s den %(date)s kl. %(time)s, %(place)s.\n\n"
        "Bekräfta anmälan genom att öppna länken nedan. Först då är platsen din. Länken gäller i %(days)s dygn.\n\n"
        "%(link)s\n\nHar du inte anmält dig kan du bortse från det här meddelandet."
    ) % {
        "name": registration.name,
        "title": meeting.title,
        "date": when.strftime("%Y-%m-%d"),
        "time": when.strftime("%H:%M"),
        "place": meeting.place,
        "days": Registration.CONFIRM_DAYS,
        "link": link,
    }
    mail.queue(
        OutgoingMail.Kind.REGISTRATION,
        registration,
        [mail.Recipient(registration.name, registration.email)],
        subject=_("Bekräfta din anmälan: %(title)s") % {"title": meeting.title},
        body=body,
        calendar=event_ics(
            uid=f"information-meeting-{meeting.pk}@samhandling",
            summary=meeting.title,
            start=meeting.starts_at,
            location=meeting.place,
            description=meeting.description,
        ),
    )

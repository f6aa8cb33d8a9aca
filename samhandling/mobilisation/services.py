"""Writes for mobilisation, shared by the web UI, the demo and any later API."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.projects.models import Organisation, Project
from samhandling.projects.services import find_organisation

from .models import (
    InformationMeeting,
    Interest,
    OrganisationLinkRequest,
    OrganisationUser,
    PartnerSearchNotice,
    ProjectIdea,
    Registration,
)
from .selectors import can_manage_idea, may_decide_link_request, organisation_of

log = logging.getLogger(__name__)


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


def express_interest(notice: PartnerSearchNotice, user, message: str) -> Interest:
    """Stores the interest and tells the notice's owner by e-mail (Django's mail framework)."""
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
    reply_to = [user.email] if user.email else None
    body = _(
        '%(org)s har anmält intresse för er partnersökning "%(title)s".\n\nMeddelande:\n%(message)s\n\n'
        "Svara på det här mejlet för att kontakta dem."
    ) % {"org": organisation.name, "title": notice.title, "message": message}
    try:
        EmailMessage(
            subject=_("Intresseanmälan: %(title)s") % {"title": notice.title},
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notice.contact_email],
            reply_to=reply_to,
        ).send()
    except OSError:
        log.exception("Could not send interest notification for notice %s", notice.pk)
    return interest


@transaction.atomic
def save_meeting(form) -> InformationMeeting:
    return form.save()


def register_for_meeting(meeting: InformationMeeting, *, name: str, email: str, organisation_name: str = "", user=None):
    """Registers one attendee; a full meeting or a second registration with the same e-mail is refused."""
    with transaction.atomic():
        taken = InformationMeeting.objects.select_for_update().filter(pk=meeting.pk).get().registrations.count()
        if meeting.starts_at < timezone.now():
            raise ValidationError({"email": _("Mötet har redan ägt rum.")})
        if meeting.capacity is not None and taken >= meeting.capacity:
            raise ValidationError({"email": _("Mötet är fullbokat.")})
        if meeting.registrations.filter(email__iexact=email).exists():
            raise ValidationError({"email": _("Den här e-postadressen är redan anmäld till mötet.")})
        return Registration.objects.create(
            meeting=meeting,
            name=name,
            email=email.lower(),
            organisation_name=organisation_name,
            user=user if user is not None and user.is_authenticated else None,
        )

"""Mobilisation before calls: project ideas, partner-search notices and information meetings.

An idea belongs to an organisation and is written by one of its users (OrganisationUser links the two).
Names and e-mail addresses of people (attendees, interested users) are personal data: only the secretariat
and the owner of a notice see them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samhandling.core.models import TimeStampedModel, VersionedModel
from samhandling.core.money import MoneyField
from samhandling.projects.models import Organisation

from .countries import COUNTRIES
from samhandling.partnership.scope import partnership_field


class OrganisationUser(models.Model):
    """The organisation a user acts for when registering ideas and notices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="organisation_link",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="users"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("användare i organisation")
        verbose_name_plural = _("användare i organisationer")

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class OrganisationLinkRequest(models.Model):
    """A user's request to act for an organisation that already exists, until someone who may vouch decides.

    Anyone can name an existing organisation; only the secretariat or a user already linked to that
    organisation can approve the link (the request is the invitation's other half). A new organisation is
    the user's own at once and needs no request.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("väntar på beslut")
        APPROVED = "approved", _("godkänd")
        REFUSED = "refused", _("avslagen")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="organisation_requests",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="link_requests"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("begärd"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslutad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)

    class Meta:
        verbose_name = _("begäran att företräda en organisation")
        verbose_name_plural = _("begäranden att företräda organisationer")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_link_request_per_user_and_organisation",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.get_status_display()})"


class ProjectPlatform(models.Model):
    """A project platform (e.g. Malmö's): it gathers and works up project ideas ahead of calls, for the whole
    partnership or for one earmark, so that the calls meet ideas that are ready."""

    partnership = partnership_field("project_platforms")
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    earmark = models.ForeignKey(
        "programmes.Earmark",
        verbose_name=_("öronmärkning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="platforms",
    )
    open_from = models.DateField(_("tar emot idéer från"), null=True, blank=True)
    open_until = models.DateField(_("tar emot idéer till"), null=True, blank=True)

    class Meta:
        verbose_name = _("projektplattform")
        verbose_name_plural = _("projektplattformar")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProjectIdea(VersionedModel, TimeStampedModel):
    partnership = partnership_field("project_ideas")
    platform = models.ForeignKey(
        ProjectPlatform,
        verbose_name=_("projektplattform"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        help_text=_("Plattformen som samlar idén inför kommande utlysningar"),
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="project_ideas"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerad av"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="project_ideas",
    )
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"))
    themes = models.ManyToManyField("portfolio.Theme", verbose_name=_("teman"), blank=True, related_name="ideas")
    areas = models.ManyToManyField(
        "portfolio.SmartSpecialisationArea",
        verbose_name=_("smarta specialiseringsområden"),
        blank=True,
        related_name="ideas",
    )
    target_groups = models.TextField(_("målgrupper"), blank=True)
    counties = models.ManyToManyField("projects.County", verbose_name=_("län"), blank=True, related_name="ideas")
    budget_min = MoneyField(_("budget från"), null=True, blank=True)
    budget_max = MoneyField(_("budget till"), null=True, blank=True)
    partner_sectors = models.JSONField(_("önskade parters sektorer"), default=list, blank=True)
    partner_countries = models.JSONField(_("önskade parters länder"), default=list, blank=True)
    partner_competence = models.TextField(_("önskad kompetens hos parter"), blank=True)
    seeks_transnational = models.BooleanField(_("söker transnationella parter"), default=False)
    is_public = models.BooleanField(
        _("visa för allmänheten"),
        default=False,
        help_text=_("Annars syns idén bara för inloggade organisationer"),
    )
    application = models.ForeignKey(
        "projects.Project",
        verbose_name=_("blev ansökan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )

    class Meta:
        verbose_name = _("projektidé")
        verbose_name_plural = _("projektidéer")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise ValidationError({"budget_max": _("Budget till får inte vara lägre än budget från.")})

    @property
    def text(self) -> str:
        """What the matching reads: the idea's own words and the partners' competence."""
        return "\n".join([self.title, self.description, self.target_groups, self.partner_competence])


class PartnerSearchNotice(TimeStampedModel):
    class Role(models.TextChoices):
        LEAD = "lead", _("Projektägare (huvudsökande)")
        PARTNER = "partner", _("Samverkanspart")
        ASSOCIATED = "associated", _("Associerad part")
        EXPERT = "expert", _("Expert eller kunskapspart")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="partner_notices"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicerad av"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="partner_notices",
    )
    idea = models.ForeignKey(
        ProjectIdea,
        verbose_name=_("projektidé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
    )
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"))
    theme = models.ForeignKey(
        "portfolio.Theme", verbose_name=_("tema"), on_delete=models.PROTECT, related_name="notices"
    )
    country = models.CharField(_("land där parter söks"), max_length=2, choices=COUNTRIES)
    role_sought = models.CharField(_("roll som söks"), max_length=16, choices=Role.choices)
    deadline = models.DateField(_("sista dag för intresseanmälan"))
    contact_email = models.EmailField(
        _("e-post för intresseanmälningar"), help_text=_("Visas inte för andra; intresseanmälningar skickas hit")
    )

    class Meta:
        verbose_name = _("partnersökning")
        verbose_name_plural = _("partnersökningar")
        ordering = ["deadline", "-id"]
        indexes = [models.Index(fields=["country", "deadline"])]

    def __str__(self):
        return self.title


class Interest(models.Model):
    """An organisation's interest in a notice; the notice's owner is told by e-mail."""

    notice = models.ForeignKey(
        PartnerSearchNotice, verbose_name=_("partnersökning"), on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="notice_interests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="notice_interests",
    )
    message = models.TextField(_("meddelande"))
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)

    class Meta:
        verbose_name = _("intresseanmälan")
        verbose_name_plural = _("intresseanmälningar")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["notice", "organisation"], name="uniq_interest_per_org")]

    def __str__(self):
        return f"{self.organisation} → {self.notice}"


class InformationMeeting(TimeStampedModel):
    """An information meeting or workshop the secretariat holds before a call."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Informationsmöte")
        WORKSHOP = "workshop", _("Workshop")

    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.INFORMATION)
    title = models.CharField(_("rubrik"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    starts_at = models.DateTimeField(_("tid"))
    place = models.CharField(_("plats"), max_length=300, help_text=_("Adress eller länk till digitalt möte"))
    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("utlysning"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="information_meetings",
    )
    capacity = models.PositiveIntegerField(_("antal platser"), null=True, blank=True)

    class Meta:
        verbose_name = _("informationsmöte")
        verbose_name_plural = _("informationsmöten och workshoppar")
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    @property
    def is_upcoming(self) -> bool:
        return self.starts_at >= timezone.now()


class Registration(models.Model):
    """Personal data: name and e-mail are shown to the secretariat only.

    A sign-up takes a seat once confirmed through the link e-mailed to its address (so nobody can fill a
    meeting with made-up addresses); an unconfirmed one holds no seat and lapses after CONFIRM_DAYS.
    """

    CONFIRM_DAYS = 3

    meeting = models.ForeignKey(
        InformationMeeting, verbose_name=_("möte"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
    )
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"))
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("bekräftad"),
        null=True,
        blank=True,
        help_text=_("Anmälan tar en plats först när den är bekräftad via e-post."),
    )

    class Meta:
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="uniq_registration_email")]

    def __str__(self):
        return f"{self.name} – {self.meeting}"

"""Organisations, Swedish geography and projects (an application, and once granted, a project)."""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samhandling.core.money import MoneyField

from .validators import normalise_org_number, validate_org_number


class ProgrammeRegion(models.Model):
    code = models.CharField(_("kod"), max_length=8, unique=True, help_text=_("NUTS 2-kod, t.ex. SE11"))
    name = models.CharField(_("namn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("programområde")
        verbose_name_plural = _("programområden")
        ordering = ["code"]

    def __str__(self):
        return self.name


class County(models.Model):
    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=100, unique=True)
    programme_region = models.ForeignKey(
        ProgrammeRegion, verbose_name=_("programområde"), on_delete=models.PROTECT, related_name="counties"
    )

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    county = models.ForeignKey(County, verbose_name=_("län"), on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["code"]

    def __str__(self):
        return self.name


def normalise_name(name: str) -> str:
    """Key for matching organisation names: case, accents on foreign letters, punctuation and legal forms folded."""
    text = unicodedata.normalize("NFKC", name or "").casefold().strip()
    text = re.sub(r"\b(ab|aktiebolag|ekonomisk förening|ek\. ?för\.?|ideell förening|publ)\b", " ", text)
    text = re.sub(r"[^\wåäöæøüé]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:300]  # NFKC can lengthen a name past the column


class Organisation(models.Model):
    class Sector(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")
        STATE_AGENCY = "state_agency", _("Statlig myndighet")
        UNIVERSITY = "university", _("Universitet eller högskola")
        BUSINESS_ORGANISATION = "business_organisation", _("Näringslivsorganisation")
        LABOUR_MARKET_ORGANISATION = "labour_market_organisation", _("Arbetsmarknadsorganisation")
        CIVIL_SOCIETY = "civil_society", _("Civilsamhälle")
        COMPANY = "company", _("Företag")
        OTHER = "other", _("Annan")

    name = models.CharField(_("namn"), max_length=300)
    normalised_name = models.CharField(_("normaliserat namn"), max_length=300, db_index=True, editable=False)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[validate_org_number],
        help_text=_("Tio siffror, t.ex. 232100-0016"),
    )
    sector = models.CharField(_("sektor"), max_length=32, choices=Sector.choices, default=Sector.OTHER)
    pic = models.CharField(
        _("PIC"), max_length=9, blank=True, db_index=True, help_text=_("EU:s deltagaridentitetskod, nio siffror")
    )
    vat_number = models.CharField(
        _("momsregistreringsnummer"), max_length=20, blank=True, db_index=True, help_text=_("T.ex. SE232100001601")
    )
    country = models.CharField(_("land"), max_length=2, default="SE", help_text=_("ISO 3166-1-kod"))
    county = models.ForeignKey(
        County, verbose_name=_("län"), on_delete=models.SET_NULL, null=True, blank=True, related_name="organisations"
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_number"], condition=~models.Q(org_number=""), name="uniq_org_number_when_given"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        if self.org_number:
            self.org_number = normalise_org_number(self.org_number)
        super().save(*args, **kwargs)


class OrganisationAlias(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alternativt namn"), max_length=300)
    normalised_name = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        verbose_name = _("alternativt namn")
        verbose_name_plural = _("alternativa namn")
        constraints = [models.UniqueConstraint(fields=["normalised_name"], name="uniq_alias")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)


class ProjectQuerySet(models.QuerySet):
    def granted(self):
        """Granted, ongoing and completed projects: the portfolio, the public project bank and its open data."""
        return self.filter(status__in=Project.GRANTED_STATES)


class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inlämnad")
        ASSESSED = "assessed", _("Bedömd")
        PRIORITISED = "prioritised", _("Prioriterad")
        NOT_PRIORITISED = "not_prioritised", _("Inte prioriterad")
        GRANTED = "granted", _("Beviljad")
        REJECTED = "rejected", _("Avslagen")
        ONGOING = "ongoing", _("Pågående")
        COMPLETED = "completed", _("Avslutad")
        WITHDRAWN = "withdrawn", _("Återtagen")

    GRANTED_STATES = (Status.GRANTED, Status.ONGOING, Status.COMPLETED)

    objects = ProjectQuerySet.as_manager()

    name = models.CharField(_("projektnamn"), max_length=500)
    applicant = models.ForeignKey(
        Organisation,
        verbose_name=_("sökande organisation"),
        on_delete=models.PROTECT,
        related_name="projects_as_applicant",
        null=True,
        blank=True,
    )
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("samverkansparter"), blank=True, related_name="projects_as_partner"
    )
    fund = models.ForeignKey(
        "programmes.Fund", verbose_name=_("fond"), on_delete=models.PROTECT, related_name="projects"
    )
    period = models.ForeignKey(
        "programmes.ProgrammePeriod",
        verbose_name=_("programperiod"),
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
    )
    programme_region = models.ForeignKey(
        ProgrammeRegion,
        verbose_name=_("programområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    objective = models.ForeignKey(
        "programmes.SpecificObjective",
        verbose_name=_("specifikt mål"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    objective_code = models.CharField(
        _("specifikt mål (kod)"),
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("Förordningarnas kod, t.ex. RSO1.1, ESO4.1 eller ISO6.1, även för program utanför Samhandling"),
    )
    programme_name = models.CharField(
        _("program"),
        max_length=300,
        blank=True,
        help_text=_("Programmet som förteckningen anger, t.ex. Interreg Aurora"),
    )
    thematic_objective = models.CharField(
        _("tematiskt mål"), max_length=300, blank=True, help_text=_("Programperioden 2014–2020")
    )
    priority = models.CharField(_("insatsområde"), max_length=300, blank=True)
    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("utlysning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        db_index=False,  # Meta.indexes: only projects that have one
    )
    strand = models.ForeignKey(
        "calls.CallStrand",
        verbose_name=_("delutlysning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        db_index=False,  # Meta.indexes: only projects that have one
    )
    amount_applied = MoneyField(_("sökt belopp"), null=True, blank=True)
    amount_granted = MoneyField(_("beviljat belopp"), null=True, blank=True)
    cofinancing = MoneyField(_("medfinansiering"), null=True, blank=True)
    total_cost = MoneyField(_("total kostnad"), null=True, blank=True)
    cofinancing_rate = models.DecimalField(
        _("EU:s medfinansieringsgrad (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Artikel 49.3 i förordning (EU) 2021/1060"),
    )
    intervention_type = models.CharField(
        _("typ av insats"), max_length=300, blank=True, help_text=_("Interventionsområde enligt bilaga I, t.ex. 013")
    )
    intervention_field = models.ForeignKey(
        "programmes.InterventionField",
        verbose_name=_("interventionsområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    country = models.CharField(_("land"), max_length=2, default="SE")
    counties = models.ManyToManyField(County, verbose_name=_("län"), blank=True, related_name="projects")
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("kommuner"), blank=True, related_name="projects"
    )
    location_text = models.CharField(_("plats (fritext)"), max_length=500, blank=True)
    target_group = models.TextField(_("målgrupp"), blank=True)
    planned_participants = models.PositiveIntegerField(_("planerat antal deltagare"), null=True, blank=True)
    summary = models.TextField(_("sammanfattning"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    flagship = models.BooleanField(_("flaggskeppsprojekt"), default=False)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sökande användare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        help_text=_("Kontot som har skrivit ansökan; bara det får se och ändra den före inlämning"),
        db_index=False,  # Meta.indexes: only projects that have one
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    criterion_texts = models.JSONField(
        _("texter per bedömningskriterium"),
        default=dict,
        blank=True,
        help_text=_("Sökandes beskrivning per kriterienummer"),
    )
    source = models.CharField(_("källa"), max_length=64, blank=True, default="samhandling")
    source_id = models.CharField(_("id i källan"), max_length=128, blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("projekt")
        verbose_name_plural = _("projekt")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~models.Q(source_id=""), name="uniq_project_source_id"
            )
        ]
        # updated_at: applications are listed latest change first (calls.selectors, the applications API).
        # A call, strand and owner belong to applications only, never to projects from a list of operations:
        # their indexes hold only the projects that have one, so they stay small and such an import need not
        # build them again.
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["start_date"]),
            models.Index(fields=["updated_at"]),
            models.Index(fields=["call"], condition=models.Q(call__isnull=False), name="project_call"),
            models.Index(fields=["strand"], condition=models.Q(strand__isnull=False), name="project_strand"),
            models.Index(fields=["owner"], condition=models.Q(owner__isnull=False), name="project_owner"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_granted(self) -> bool:
        return self.status in self.GRANTED_STATES


class Participation(models.Model):
    """An organisation's part in an imported project, as the list gives it: lead partner (the beneficiary) or
    partner, its budget and where it sits. Partners abroad keep their country and NUTS 3 code. The applicant
    and the partners of the project are the same organisations; this adds what the list says about each."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Huvudpart")
        PARTNER = "partner", _("Partner")

    project = models.ForeignKey(
        Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices, default=Role.PARTNER)
    role_in_source = models.CharField(_("roll i förteckningen"), max_length=100, blank=True)
    amount = MoneyField(_("partnerns budget"), null=True, blank=True)
    country = models.CharField(_("land"), max_length=2, default="SE")
    county = models.ForeignKey(
        County, verbose_name=_("län"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nuts3 = models.CharField(_("NUTS 3-kod"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("deltagande organisation")
        verbose_name_plural = _("deltagande organisationer")
        ordering = ["project_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="uniq_participation"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.role} {self.project_id}"


class ProjectStatusChange(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="status_history"
    )
    from_status = models.CharField(_("från"), max_length=20, choices=Project.Status.choices, blank=True)
    to_status = models.CharField(_("till"), max_length=20, choices=Project.Status.choices)
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.SET_NULL, null=True, blank=True
    )
    note = models.CharField(_("kommentar"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("statusändring")
        verbose_name_plural = _("statushistorik")
        ordering = ["at", "id"]


class ContactPerson(models.Model):
    """Personal data: shown to the secretariat only, never on public pages, the public API or exports."""

    project = models.ForeignKey(Project, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=200, blank=True)
    phone = models.CharField(_("telefon"), max_length=50, blank=True)
    email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self):
        return self.name

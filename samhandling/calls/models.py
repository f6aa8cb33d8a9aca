"""Calls for applications (utlysningar), the yearly call plan and the partnership's mode per period."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samhandling.core.models import VersionedModel
from samhandling.core.money import MoneyField
from samhandling.partnership.scope import partnership_field


class PartnershipMode(models.Model):
    """How a partnership works in a programme period.

    Under lag 2007:459 (repealed 1 August 2025) the partnership gave a binding prioritisation of applications;
    since then it agrees the orientation of calls and the managing authority assesses and decides, so
    assessment and prioritisation become the officers' tools and the partnership sees the outcome.
    """

    class Mode(models.TextChoices):
        BINDING_PRIORITISATION = "binding_prioritisation", _("Bindande prioritering (lag 2007:459)")
        CALL_ORIENTATION = "call_orientation", _("Inriktning av utlysningar (från 1 augusti 2025)")

    partnership = models.ForeignKey(
        "partnership.Partnership", verbose_name=_("partnerskap"), on_delete=models.CASCADE, related_name="modes"
    )
    period = models.ForeignKey(
        "programmes.ProgrammePeriod", verbose_name=_("programperiod"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("arbetssätt"), max_length=32, choices=Mode.choices)

    class Meta:
        verbose_name = _("partnerskapets arbetssätt")
        verbose_name_plural = _("partnerskapets arbetssätt")
        constraints = [models.UniqueConstraint(fields=["partnership", "period"], name="uniq_mode_per_period")]

    def __str__(self):
        return f"{self.partnership} {self.period}: {self.get_mode_display()}"


class CallPlan(models.Model):
    """The yearly call plan (utlysningsplan) of a fund. A change makes a new version; old ones stay."""

    partnership = models.ForeignKey(
        "partnership.Partnership", verbose_name=_("partnerskap"), on_delete=models.CASCADE, related_name="call_plans"
    )
    fund = models.ForeignKey(
        "programmes.Fund", verbose_name=_("fond"), on_delete=models.PROTECT, related_name="call_plans"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    agreed_at = models.ForeignKey(
        "partnership.Item",
        verbose_name=_("överenskommen vid paragraf"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_plans",
    )
    change_reason = models.CharField(_("skäl till ändring"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("utlysningsplan")
        verbose_name_plural = _("utlysningsplaner")
        ordering = ["-year", "fund__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "fund", "year", "version"], name="uniq_call_plan_version")
        ]

    def __str__(self):
        return f"{self.fund.code} {self.year} v{self.version}"


class CallPlanEntry(models.Model):
    plan = models.ForeignKey(
        CallPlan, verbose_name=_("utlysningsplan"), on_delete=models.CASCADE, related_name="entries"
    )
    number = models.PositiveSmallIntegerField(_("utlysningens nummer"))
    objective = models.ForeignKey(
        "programmes.SpecificObjective", verbose_name=_("specifikt mål"), on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(_("belopp"))
    opens_on = models.DateField(_("öppnar"), null=True, blank=True)
    closes_on = models.DateField(_("stänger"), null=True, blank=True)

    class Meta:
        verbose_name = _("rad i utlysningsplan")
        verbose_name_plural = _("rader i utlysningsplan")
        ordering = ["plan", "number", "objective__code"]


class Call(VersionedModel):
    partnership = partnership_field("calls", models.PROTECT)
    earmark = models.ForeignKey(
        "programmes.Earmark",
        verbose_name=_("öronmärkning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        help_text=_("Utlysning inom en öronmärkt del av målets budget (t.ex. en ITI)"),
    )
    directed_to = models.ManyToManyField(
        "projects.Organisation",
        verbose_name=_("riktad till"),
        blank=True,
        related_name="directed_calls",
        help_text=_("En riktad utlysning: bara dessa organisationer får söka. Tomt: öppen för alla."),
    )
    fund = models.ForeignKey("programmes.Fund", verbose_name=_("fond"), on_delete=models.PROTECT, related_name="calls")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("nummer"))

    class Status(models.TextChoices):
        ORIENTATION_DRAFT = "orientation_draft", _("Utkast till inriktning")
        PROPOSED = "proposed", _("Föreslagen av förvaltande myndighet")
        PARTNERSHIP_OPINION = "partnership_opinion", _("Partnerskapets synpunkter")
        APPROVED = "approved", _("Godkänd vid sammanträde")
        OPEN = "open", _("Öppen")
        CLOSED = "closed", _("Stängd")
        ASSESSED = "assessed", _("Bedömd")
        DECIDED = "decided", _("Beslutad")

    title = models.CharField(_("rubrik"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.ORIENTATION_DRAFT)
    orientation = models.TextField(
        _("inriktning"), blank=True, help_text=_("Fokusområden, insatstyper och prioriteringar")
    )
    partnership_views = models.TextField(_("partnerskapets synpunkter"), blank=True)
    conditions = models.TextField(_("villkor"), blank=True)
    approved_at = models.ForeignKey(
        "partnership.Item",
        verbose_name=_("godkänd vid paragraf"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_calls",
    )
    objectives = models.ManyToManyField(
        "programmes.SpecificObjective",
        verbose_name=_("specifika mål"),
        through="CallObjective",
        through_fields=("call", "objective"),
        related_name="calls",
    )
    opens_on = models.DateField(_("öppnar"), null=True, blank=True)
    closes_on = models.DateField(_("stänger"), null=True, blank=True)
    condition_lifted_at = models.ForeignKey(
        "partnership.Item",
        verbose_name=_("villkoret hävt vid paragraf"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lifted_call_conditions",
    )
    condition_lifted_reason = models.CharField(_("skäl till att villkoret hävs"), max_length=500, blank=True)
    score_min = models.PositiveSmallIntegerField(_("lägsta poäng"), default=1)
    score_max = models.PositiveSmallIntegerField(_("högsta poäng"), default=5)
    min_quality = models.DecimalField(
        _("lägsta kvalitet"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Lägsta medelpoäng per kriterium som en ansökan måste nå för att kunna prioriteras"),
    )
    disagreement_threshold = models.DecimalField(
        _("gräns för oenighet"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(2),
        help_text=_("Skillnad mellan högsta och lägsta poäng på ett kriterium som flaggas för diskussion"),
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("bedömare"), blank=True, related_name="assigned_calls"
    )

    class Meta:
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysningar")
        ordering = ["-year", "fund__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["fund", "year", "number"], name="uniq_call_id_per_fund")]

    @property
    def code(self) -> str:
        return f"{self.year}:{self.number}"

    def __str__(self):
        return f"{self.fund.code} {self.code}"

    @property
    def is_public(self) -> bool:
        """Calls are public once the orientation has been approved at a meeting."""
        return self.status not in (self.Status.ORIENTATION_DRAFT, self.Status.PROPOSED, self.Status.PARTNERSHIP_OPINION)

    @property
    def condition_calls(self) -> list["Call"]:
        """The calls this one waits for: an objective is held only if the earlier call leaves money for it."""
        found = {co.not_held_if_exhausted_by for co in self.call_objectives.all() if co.not_held_if_exhausted_by_id}
        return sorted(found, key=lambda c: (c.year, c.number))


class CallStrand(models.Model):
    """A strand (delutlysning) of a call with its own rules: e.g. implementation projects or pre-studies."""

    class Kind(models.TextChoices):
        IMPLEMENTATION = "implementation", _("Genomförandeprojekt")
        PRE_STUDY = "pre_study", _("Förstudie")

    call = models.ForeignKey(Call, verbose_name=_("utlysning"), on_delete=models.CASCADE, related_name="strands")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.IMPLEMENTATION)
    objectives = models.ManyToManyField(
        "programmes.SpecificObjective", verbose_name=_("specifika mål"), related_name="call_strands"
    )
    max_support = MoneyField(_("högsta stöd per projekt"), null=True, blank=True)
    cofinancing_share = models.DecimalField(
        _("lägsta andel medfinansiering"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Andel av projektets totala budget, t.ex. 0,46 för 46 %"),
    )
    simplified_reporting = models.BooleanField(_("förenklad redovisning"), default=False)
    final_report_only = models.BooleanField(_("enbart slutrapport"), default=False)
    amount = MoneyField(_("belopp"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("delutlysning")
        verbose_name_plural = _("delutlysningar")
        ordering = ["call", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="uniq_strand_name_per_call")]

    def __str__(self):
        return f"{self.call} – {self.name}"

    @property
    def objective_codes(self) -> list[str]:
        return sorted(o.code for o in self.objectives.all())


class CallTransition(models.Model):
    """One step of a call's lifecycle, as the state machine took it: who, when, why, at which paragraph."""

    call = models.ForeignKey(Call, verbose_name=_("utlysning"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("från status"), max_length=24, choices=Call.Status.choices)
    to_status = models.CharField(_("till status"), max_length=24, choices=Call.Status.choices)
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("skäl"), max_length=500, blank=True)
    item = models.ForeignKey(
        "partnership.Item",
        verbose_name=_("paragraf"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_transitions",
    )

    class Meta:
        verbose_name = _("statusändring för utlysning")
        verbose_name_plural = _("statusändringar för utlysningar")
        ordering = ["call", "at", "pk"]

    def __str__(self):
        return f"{self.call}: {self.from_status} → {self.to_status}"


class CallObjective(models.Model):
    """A specific objective of a call: the amount it makes available and the managing authority's recommendation."""

    call = models.ForeignKey(
        Call, verbose_name=_("utlysning"), on_delete=models.CASCADE, related_name="call_objectives"
    )
    objective = models.ForeignKey(
        "programmes.SpecificObjective",
        verbose_name=_("specifikt mål"),
        on_delete=models.PROTECT,
        related_name="call_objectives",
    )
    amount = MoneyField(_("belopp"))
    recommendation = models.TextField(
        _("förvaltande myndighetens rekommendation"), blank=True, help_text=_("Vad portföljen saknar")
    )
    focus_areas = models.TextField(_("fokusområden"), blank=True, help_text=_("Ett per rad"))
    intervention_types = models.TextField(_("insatstyper"), blank=True, help_text=_("En per rad"))
    not_held_if_exhausted_by = models.ForeignKey(
        Call,
        verbose_name=_("hålls inte om utlysningen tömmer målet"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    held = models.BooleanField(_("hålls"), default=True)

    class Meta:
        verbose_name = _("mål i utlysning")
        verbose_name_plural = _("mål i utlysningar")
        ordering = ["call", "objective__code"]
        constraints = [models.UniqueConstraint(fields=["call", "objective"], name="uniq_call_objective")]

    def __str__(self):
        return f"{self.call} {self.objective.code}"

    @property
    def focus_area_list(self) -> list[str]:
        return [line.strip() for line in self.focus_areas.splitlines() if line.strip()]

    @property
    def intervention_type_list(self) -> list[str]:
        return [line.strip() for line in self.intervention_types.splitlines() if line.strip()]

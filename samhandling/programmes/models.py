"""Funds, programme periods, programmes, specific objectives and the budget ledger per objective."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from samhandling.core.money import MoneyField


class Fund(models.Model):
    code = models.CharField(_("kod"), max_length=16, unique=True, help_text=_("T.ex. ERUF eller ESF+"))
    name = models.CharField(_("namn"), max_length=200)
    name_en = models.CharField(_("namn på engelska"), max_length=200, blank=True)
    managing_authority = models.CharField(_("förvaltande myndighet"), max_length=200)

    class Meta:
        verbose_name = _("fond")
        verbose_name_plural = _("fonder")
        ordering = ["code"]

    def __str__(self):
        return self.code


class ProgrammePeriod(models.Model):
    start_year = models.PositiveSmallIntegerField(_("första år"), unique=True)
    end_year = models.PositiveSmallIntegerField(_("sista år"))

    class Meta:
        verbose_name = _("programperiod")
        verbose_name_plural = _("programperioder")
        ordering = ["start_year"]

    @property
    def name(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def __str__(self):
        return self.name


class Programme(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_ERDF = "regional_erdf", _("Regionalfondsprogram")
        ESF_ACTION_PLAN = "esf_action_plan", _("Regional handlingsplan för ESF+")
        NATIONAL = "national", _("Nationellt program")

    name = models.CharField(_("namn"), max_length=300)
    kind = models.CharField(_("typ"), max_length=32, choices=Kind.choices)
    fund = models.ForeignKey(Fund, verbose_name=_("fond"), on_delete=models.PROTECT, related_name="programmes")
    period = models.ForeignKey(
        ProgrammePeriod, verbose_name=_("programperiod"), on_delete=models.PROTECT, related_name="programmes"
    )
    programme_region = models.ForeignKey(
        "projects.ProgrammeRegion",
        verbose_name=_("programområde"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["period__start_year", "fund__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "period", "programme_region", "kind"], name="uniq_programme")
        ]

    def __str__(self):
        return f"{self.name} ({self.period})"


class InterventionField(models.Model):
    """A category of intervention of Annex I to Regulation (EU) 2021/1060 (codes 001–182), from data/."""

    code = models.CharField(_("kod"), max_length=3, unique=True, help_text=_("Tre siffror, t.ex. 013"))
    name = models.CharField(_("namn"), max_length=300)
    name_en = models.CharField(_("namn på engelska"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("interventionsområde")
        verbose_name_plural = _("interventionsområden")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class RegulationObjective(models.Model):
    """A specific objective as the 2021–2027 fund regulations number it (RSO1.1, ESO4.1, ISO6.1), from data/.

    Programmes number their own objectives (1.1, A.1); each may point to the regulation's objective, which is
    what the project bank, open data and the portfolio count across programmes and partnerships.
    """

    code = models.CharField(_("kod"), max_length=8, unique=True, help_text=_("T.ex. RSO1.1, ESO4.1 eller ISO6.1"))
    fund = models.CharField(_("fond"), max_length=16, help_text=_("ERUF, ESF+ eller Interreg"))
    policy_objective = models.PositiveSmallIntegerField(_("politiskt mål"))
    name = models.CharField(_("namn"), max_length=300)
    name_en = models.CharField(_("namn på engelska"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("specifikt mål enligt förordningen")
        verbose_name_plural = _("specifika mål enligt förordningarna")
        ordering = ["fund", "policy_objective", "id"]

    def __str__(self):
        return f"{self.code} {self.name}"


class SpecificObjective(models.Model):
    code = models.CharField(_("kod"), max_length=16, help_text=_("T.ex. 1.1, 1.7 eller A.1"))
    name = models.CharField(_("namn"), max_length=300)
    name_en = models.CharField(_("namn på engelska"), max_length=300, blank=True)
    fund = models.ForeignKey(Fund, verbose_name=_("fond"), on_delete=models.PROTECT, related_name="objectives")
    programme = models.ForeignKey(
        Programme, verbose_name=_("program"), on_delete=models.PROTECT, related_name="objectives"
    )
    regulation_objective = models.ForeignKey(
        RegulationObjective,
        verbose_name=_("specifikt mål enligt förordningen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_objectives",
    )

    class Meta:
        verbose_name = _("specifikt mål")
        verbose_name_plural = _("specifika mål")
        ordering = ["programme_id", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="uniq_objective_code_per_programme")]

    def __str__(self):
        return f"{self.fund.code} {self.code} {self.name}"


class BudgetMovement(models.Model):
    """One line in the ledger of an objective. Amounts are signed SEK of EU funds.

    budget = allocations + reallocations; remaining to call = budget − reserved − granted.
    """

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Tilldelning")
        REALLOCATION = "reallocation", _("Omfördelning")
        RESERVATION = "reservation", _("Reservation")
        GRANT = "grant", _("Beviljat")

    objective = models.ForeignKey(
        SpecificObjective, verbose_name=_("specifikt mål"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    amount = MoneyField(_("belopp (EU-medel)"))
    national_cofinancing = MoneyField(_("nationell medfinansiering"), default=0)
    date = models.DateField(_("datum"))
    reason = models.CharField(_("motivering"), max_length=500)
    counterpart = models.OneToOneField(
        "self",
        verbose_name=_("motpost"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Vid omfördelning: posten på det andra målet."),
    )
    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("utlysning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_movements",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projekt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_movements",
    )
    key = models.CharField(
        _("nyckel"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stabil nyckel så att en import eller demodata aldrig bokförs två gånger."),
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.objective.code}: {self.amount}"


class Indicator(models.Model):
    """A common output (RCO, EECO) or result (RCR, EECR) indicator of the fund regulations, from data/."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("Utfallsindikator")
        RESULT = "result", _("Resultatindikator")

    code = models.CharField(_("kod"), max_length=8, unique=True, help_text=_("T.ex. RCO01 eller RCR01"))
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices)
    fund = models.CharField(_("fond"), max_length=16)
    name = models.CharField(_("namn"), max_length=300)
    name_en = models.CharField(_("namn på engelska"), max_length=300, blank=True)
    unit = models.CharField(_("enhet"), max_length=60)
    unit_en = models.CharField(_("enhet på engelska"), max_length=60, blank=True)
    objectives = models.ManyToManyField(
        RegulationObjective, verbose_name=_("specifika mål"), related_name="indicators", blank=True
    )

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["kind", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class IndicatorTarget(models.Model):
    """The target value of an indicator for a programme's specific objective: the programme's own (no
    partnership) or a partnership's share of it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="targets"
    )
    objective = models.ForeignKey(
        SpecificObjective, verbose_name=_("specifikt mål"), on_delete=models.PROTECT, related_name="indicator_targets"
    )
    partnership = models.ForeignKey(
        "partnership.Partnership",
        verbose_name=_("partnerskap"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_targets",
        help_text=_("Tomt för programmets eget mål"),
    )
    target = models.DecimalField(_("målvärde"), max_digits=16, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("målår"), default=2029)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("målvärde för indikator")
        verbose_name_plural = _("målvärden för indikatorer")
        ordering = ["objective_id", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "objective", "partnership"], name="uniq_indicator_target_per_partnership"
            ),
            models.UniqueConstraint(
                fields=["indicator", "objective"],
                condition=models.Q(partnership__isnull=True),
                name="uniq_indicator_target_per_programme",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.objective.code}: {self.target}"


class ProjectIndicatorValue(models.Model):
    """What a project plans for an indicator (in its application) and has achieved (as reported)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="project_values"
    )
    planned = models.DecimalField(_("planerat värde"), max_digits=16, decimal_places=2, null=True, blank=True)
    achieved = models.DecimalField(_("uppnått värde"), max_digits=16, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("projektets indikatorvärde")
        verbose_name_plural = _("projektens indikatorvärden")
        ordering = ["project_id", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["project", "indicator"], name="uniq_project_indicator")]

    def __str__(self):
        return f"{self.project_id} {self.indicator.code}"


class FinancialSnapshot(models.Model):
    """Money followed through for one programme objective on one day, cumulative since the programme began:
    the shape of the transmissions of Article 42 of Regulation (EU) 2021/1060 (total eligible cost of the
    selected operations, their public contribution, and the eligible expenditure declared / paid).

    `planned` is the objective's budget, `decided` what has been granted, `paid` what has been paid out (only
    where an import or the managing authority gives it; null means not known, not zero). A snapshot is never
    edited: a later day is a new row. `partnership` empty: the whole programme objective.
    """

    date = models.DateField(_("datum"))
    objective = models.ForeignKey(
        SpecificObjective, verbose_name=_("specifikt mål"), on_delete=models.PROTECT, related_name="snapshots"
    )
    partnership = models.ForeignKey(
        "partnership.Partnership",
        verbose_name=_("partnerskap"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financial_snapshots",
    )
    planned = MoneyField(_("planerat (budget)"))
    decided = MoneyField(_("beslutat (beviljat)"))
    paid = MoneyField(_("utbetalt"), null=True, blank=True)
    projects = models.PositiveIntegerField(_("antal beviljade projekt"), default=0)
    source = models.CharField(_("källa"), max_length=64, default="samhandling")
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("ekonomisk ögonblicksbild")
        verbose_name_plural = _("ekonomiska ögonblicksbilder")
        ordering = ["date", "objective_id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "objective", "partnership"], name="uniq_snapshot_per_partnership"),
            models.UniqueConstraint(
                fields=["date", "objective"],
                condition=models.Q(partnership__isnull=True),
                name="uniq_snapshot_per_programme",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.objective.code}"


class Earmark(models.Model):
    """A share of an objective's budget set aside for one steering model, e.g. an integrated territorial
    investment (ITI) with its own implementation plan, within which an intermediate body prioritises.

    Reservations and grants of calls made under the earmark (Call.earmark) count against it; the rest of the
    objective's budget is what the partnership orients in its ordinary calls.
    """

    class Kind(models.TextChoices):
        ITI = "iti", _("Integrerad territoriell investering (ITI)")
        OTHER = "other", _("Annan öronmärkning")

    objective = models.ForeignKey(
        SpecificObjective, verbose_name=_("specifikt mål"), on_delete=models.PROTECT, related_name="earmarks"
    )
    name = models.CharField(_("namn"), max_length=200, help_text=_("T.ex. ITI Göteborg"))
    kind = models.CharField(_("typ"), max_length=8, choices=Kind.choices, default=Kind.ITI)
    amount = MoneyField(_("öronmärkt belopp (EU-medel)"))
    implementation_plan = models.TextField(
        _("genomförandeplan"), blank=True, help_text=_("Den egna genomförandeplanen för det öronmärkta beloppet")
    )
    intermediate_body = models.ForeignKey(
        "projects.Organisation",
        verbose_name=_("förmedlande organ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="earmarks",
        help_text=_("Organisationen som prioriterar ansökningarna inom öronmärkningen"),
    )
    partnership = models.ForeignKey(
        "partnership.Partnership",
        verbose_name=_("partnerskap"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="earmarks",
    )

    class Meta:
        verbose_name = _("öronmärkning")
        verbose_name_plural = _("öronmärkningar")
        ordering = ["objective_id", "name"]
        constraints = [models.UniqueConstraint(fields=["objective", "name"], name="uniq_earmark_name")]

    def __str__(self):
        return f"{self.name} ({self.objective.code})"

"""Smart-specialisation areas and themes, project labels, portfolio targets and collaboration-maturity evaluations."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samhandling.core.models import DataVersionBuild
from samhandling.partnership.scope import partnership_field


class SmartSpecialisationArea(models.Model):
    partnership = partnership_field("s3_areas")
    strategy = models.CharField(
        _("strategi"), max_length=100, help_text=_("Vems strategi, t.ex. Stockholm eller Östra Mellansverige (ÖMS)")
    )
    name = models.CharField(_("namn"), max_length=200)
    keywords = models.TextField(_("sökord"), blank=True, help_text=_("Ett ord eller uttryck per rad"))

    class Meta:
        verbose_name = _("smart specialiseringsområde")
        verbose_name_plural = _("smarta specialiseringsområden")
        ordering = ["strategy", "name"]
        constraints = [models.UniqueConstraint(fields=["strategy", "name"], name="uniq_s3_area")]

    def __str__(self):
        return f"{self.name} ({self.strategy})"


class Theme(models.Model):
    name = models.CharField(_("namn"), max_length=200, unique=True)
    name_en = models.CharField(_("namn på engelska"), max_length=200, blank=True)
    keywords = models.TextField(_("sökord"), blank=True, help_text=_("Ett ord eller uttryck per rad"))

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("teman")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProjectLabelQuerySet(models.QuerySet):
    def decided(self):
        """Labels a person confirmed or set: the ground truth used for retraining."""
        return self.filter(status__in=(ProjectLabel.Status.CONFIRMED, ProjectLabel.Status.OVERRIDDEN))

    def counted(self):
        """Labels the portfolio figures count: everything but rejected suggestions."""
        return self.exclude(status=ProjectLabel.Status.REJECTED)


class ProjectLabel(models.Model):
    """A project's label (thematic objective, 2021–2027 specific objective, smart-specialisation area or theme)
    with its evidence; a specific objective's `value` is the regulation's code (RSO1.1).

    Suggestions come from the classifiers with a confidence and the terms that drove them; the secretariat
    confirms, rejects or overrides them, and decided labels are kept and used when the models are retrained.
    """

    class Kind(models.TextChoices):
        OBJECTIVE = "objective", _("Tematiskt mål")
        SPECIFIC = "specific", _("Specifikt mål 2021–2027")
        AREA = "area", _("Smart specialiseringsområde")
        THEME = "theme", _("Tema")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Förslag")
        CONFIRMED = "confirmed", _("Bekräftad")
        OVERRIDDEN = "overridden", _("Ändrad av sekretariatet")
        REJECTED = "rejected", _("Avvisad")

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="portfolio_labels"
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    value = models.CharField(_("tematiskt mål"), max_length=300, blank=True)
    area = models.ForeignKey(
        SmartSpecialisationArea,
        verbose_name=_("område"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="labels",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("tema"), on_delete=models.CASCADE, null=True, blank=True, related_name="labels"
    )
    confidence = models.FloatField(_("säkerhet"), default=0.0)
    terms = models.JSONField(_("avgörande ord"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("beslutad av"), on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)

    objects = ProjectLabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("projektetikett")
        verbose_name_plural = _("projektetiketter")
        ordering = ["project_id", "kind", "-confidence"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(kind="objective"), name="uniq_objective_label"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(kind="specific"), name="uniq_specific_label"
            ),
            models.UniqueConstraint(
                fields=["project", "area"], condition=models.Q(kind="area"), name="uniq_area_label"
            ),
            models.UniqueConstraint(
                fields=["project", "theme"], condition=models.Q(kind="theme"), name="uniq_theme_label"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"])]

    def audit_skip(self) -> bool:
        """The classifier's suggestions are not anyone's change; the secretariat's decisions are audited."""
        return self.status == self.Status.SUGGESTED and self.decided_by_id is None

    def __str__(self):
        return f"{self.project}: {self.display}"

    @property
    def display(self) -> str:
        return str(self.area or self.theme or self.value)

    @property
    def confidence_percent(self) -> int:
        return round(self.confidence * 100)


class Target(models.Model):
    """The share of granted funds the partnership aims at for an area or theme (set by a decision)."""

    partnership = partnership_field("portfolio_targets")

    area = models.OneToOneField(
        SmartSpecialisationArea,
        verbose_name=_("område"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="target",
    )
    theme = models.OneToOneField(
        Theme, verbose_name=_("tema"), on_delete=models.CASCADE, null=True, blank=True, related_name="target"
    )
    share_percent = models.DecimalField(
        _("mål, andel av beviljat belopp (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    decided_in = models.CharField(
        _("beslutat i"), max_length=200, blank=True, help_text=_("T.ex. sammanträde 1/2026 § 8")
    )
    published = models.BooleanField(_("publicerat"), default=False, help_text=_("Visas på den öppna portföljsidan"))

    class Meta:
        verbose_name = _("portföljmål")
        verbose_name_plural = _("portföljmål")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(area__isnull=False) & models.Q(theme__isnull=True))
                | (models.Q(area__isnull=True) & models.Q(theme__isnull=False)),
                name="target_area_xor_theme",
            )
        ]

    def __str__(self):
        return f"{self.area or self.theme}: {self.share_percent} %"


class MaturityEvaluation(models.Model):
    """One answer to the collaboration-maturity questionnaire: where an actor stands at a point in time.

    The staircase (samtal → samsyn → samverkan → samhandling), the phase of the joint work (latent,
    framväxande, mognad) and the four capacities the regional development work needs, each scored 1–5.
    """

    class Step(models.IntegerChoices):
        CONVERSATION = 1, _("Samtal")
        SHARED_VIEW = 2, _("Samsyn")
        COOPERATION = 3, _("Samverkan")
        JOINT_ACTION = 4, _("Samhandling")

    class Phase(models.IntegerChoices):
        LATENT = 1, _("Latent fas")
        EMERGING = 2, _("Framväxande fas")
        MATURE = 3, _("Mognadsfas")

    SCORE = [MinValueValidator(1), MaxValueValidator(5)]
    CAPACITIES = ("ordering_capacity", "receiving_capacity", "influencing_capacity", "resource_capacity")

    partnership = partnership_field("maturity_evaluations")

    actor = models.ForeignKey(
        "projects.Organisation", verbose_name=_("aktör"), on_delete=models.PROTECT, related_name="maturity_evaluations"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("projekt"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maturity_evaluations",
    )
    evaluated_on = models.DateField(_("datum"))
    step = models.PositiveSmallIntegerField(_("steg i samhandlingstrappan"), choices=Step.choices)
    phase = models.PositiveSmallIntegerField(_("fas"), choices=Phase.choices)
    ordering_capacity = models.PositiveSmallIntegerField(_("beställarkapacitet"), validators=SCORE)
    receiving_capacity = models.PositiveSmallIntegerField(_("mottagarkapacitet"), validators=SCORE)
    influencing_capacity = models.PositiveSmallIntegerField(_("påverkanskapacitet"), validators=SCORE)
    resource_capacity = models.PositiveSmallIntegerField(_("resurskapacitet"), validators=SCORE)
    comment = models.TextField(_("kommentar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrerad av"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("mognadsbedömning")
        verbose_name_plural = _("mognadsbedömningar")
        ordering = ["actor__name", "project_id", "evaluated_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(step__gte=1, step__lte=4), name="maturity_step_range"),
            models.CheckConstraint(condition=models.Q(phase__gte=1, phase__lte=3), name="maturity_phase_range"),
        ]

    def __str__(self):
        return f"{self.actor} {self.evaluated_on}: {self.get_step_display()}"


class ProjectFigures(models.Model):
    """What one granted project adds to the dashboard, as last counted (maintained by `summary`, never by hand).

    Kept so that a change to the project takes exactly its old contribution out of `FigureSum` before the new
    one goes in. Keys are the dimension values of `FigureSum`; places, areas and themes are id lists ("3,17").
    No foreign key: the row must outlive its project until the deletion has been subtracted.
    """

    project_id = models.BigIntegerField(primary_key=True)
    year = models.SmallIntegerField()  # decision year (start year when undecided), 0 when neither is known
    objective = models.CharField(max_length=310, blank=True)
    sector = models.CharField(max_length=32, blank=True)
    amount_ore = models.BigIntegerField(null=True)
    counties = models.CharField(max_length=200, blank=True)
    municipalities = models.TextField(blank=True)
    areas = models.CharField(max_length=500, blank=True)
    themes = models.CharField(max_length=500, blank=True)
    region = models.IntegerField(default=0)  # programme region id, 0 when none: each partnership counts its own
    regulation_objective = models.CharField(max_length=8, blank=True)  # RSO1.1 …, 2021–2027
    intervention = models.CharField(max_length=3, blank=True)  # intervention field code, 001–182

    class Meta:
        db_table = "portfolio_project_figures"


class FigureSum(models.Model):
    """Granted projects and amount per dashboard dimension value and decision year: the dashboard reads only this.

    A few thousand rows however many projects there are, so every figure is a sum over a small table.
    """

    dimension = models.CharField(max_length=12)
    value = models.CharField(max_length=310, blank=True)
    year = models.SmallIntegerField()
    region = models.IntegerField(default=0)  # programme region id (0: none), so each partnership sums its own
    projects = models.IntegerField()
    amount_ore = models.BigIntegerField()

    class Meta:
        db_table = "portfolio_figure_sum"
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value", "year", "region"], name="uniq_figure_sum_region")
        ]


class NetworkBuild(DataVersionBuild):
    """The collaboration network computed for one data version of the project bank, by a background task
    (portfolio.tasks.build_network): public pages serve the newest ready build and never compute it."""

    SCOPE = ("partnership_id",)

    version = models.BigIntegerField(_("dataversion"))
    partnership = models.ForeignKey(
        "partnership.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_builds",
        verbose_name=_("partnerskap"),
    )  # the partnership whose portfolio it covers (none only before any partnership exists)
    nodes = models.PositiveIntegerField(default=0)
    edges = models.PositiveIntegerField(default=0)
    shares = models.JSONField(default=dict)
    csv = models.TextField(blank=True)

    class Meta:
        verbose_name = _("beräkning av samverkansnätverket")
        verbose_name_plural = _("beräkningar av samverkansnätverket")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "version"], name="uniq_network_build"),
            models.UniqueConstraint(
                fields=["version"], condition=models.Q(partnership=None), name="uniq_network_build_unscoped"
            ),
        ]


class NetworkOrganisation(models.Model):
    """One organisation's row of a network build: its measures, rank by centrality, counties and partners."""

    build = models.ForeignKey(NetworkBuild, on_delete=models.CASCADE, related_name="organisations")
    rank = models.PositiveIntegerField()
    organisation_id = models.BigIntegerField()
    name = models.CharField(max_length=500)
    sector = models.CharField(max_length=200)
    projects = models.PositiveIntegerField()
    partners = models.PositiveIntegerField()
    sectors_spanned = models.PositiveIntegerField()
    counties_spanned = models.PositiveIntegerField()
    degree_centrality = models.FloatField()
    betweenness = models.FloatField()
    counties = models.JSONField(default=list)
    partner_list = models.JSONField(default=list)  # [{"pk", "name", "sector", "projects": [names]}] by name

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["build", "rank"], name="uniq_network_rank"),
            models.UniqueConstraint(fields=["build", "organisation_id"], name="uniq_network_organisation"),
        ]

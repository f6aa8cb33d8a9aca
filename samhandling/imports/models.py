"""The import history and the organisation matches that wait for the secretariat's decision."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One run of `samhandling import`: what came in, from where, by whom and with what result."""

    class Status(models.TextChoices):
        DONE = "done", _("Klar")
        FAILED = "failed", _("Avbruten, inget sparat")

    format = models.CharField(_("format"), max_length=40)
    file_name = models.CharField(_("fil"), max_length=500)
    source = models.CharField(_("källa"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    rows = models.PositiveIntegerField(_("rader"), default=0)
    created = models.PositiveIntegerField(_("nya"), default=0)
    updated = models.PositiveIntegerField(_("ändrade"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade"), default=0)
    rejected = models.PositiveIntegerField(_("avvisade"), default=0)
    proposals = models.PositiveIntegerField(_("matchningsförslag"), default=0)
    errors = models.TextField(_("fel"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("startad"))
    finished_at = models.DateTimeField(_("klar"), auto_now_add=True)

    class Meta:
        verbose_name = _("importkörning")
        verbose_name_plural = _("importhistorik")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.format} {self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class MatchProposal(models.Model):
    """An organisation created by an import whose name is close to an existing one's.

    The import never merges on a fuzzy score: it keeps the new organisation and leaves this proposal. The
    secretariat confirms (the new name becomes an alias and its projects move to the existing organisation)
    or rejects (the two stay apart and the pair is not proposed again).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        CONFIRMED = "confirmed", _("Bekräftad")
        REJECTED = "rejected", _("Avvisad")

    name = models.CharField(_("namn i filen"), max_length=300)
    normalised_name = models.CharField(max_length=300, db_index=True)
    new_organisation = models.ForeignKey(
        "projects.Organisation",
        verbose_name=_("ny organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    candidate = models.ForeignKey(
        "projects.Organisation",
        verbose_name=_("befintlig organisation"),
        on_delete=models.CASCADE,
        related_name="match_proposals",
    )
    score = models.DecimalField(_("likhet (%)"), max_digits=5, decimal_places=1)
    run = models.ForeignKey(ImportRun, verbose_name=_("import"), on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
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
        verbose_name = _("matchningsförslag")
        verbose_name_plural = _("matchningsförslag")
        ordering = ["status", "-score", "name"]
        constraints = [models.UniqueConstraint(fields=["normalised_name", "candidate"], name="uniq_match_proposal")]

    def __str__(self):
        return f"{self.name} ≈ {self.candidate_id} ({self.score} %)"


class ImportUpload(models.Model):
    """A list uploaded in the browser: checked first (a dry run), then imported by the background worker.

    The file and the rejects stay under var/imports/ (they may hold contact persons: never under MEDIA).
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Kontrolleras")
        CHECKED = "checked", _("Kontrollerad")
        QUEUED = "queued", _("Väntar på att starta")
        RUNNING = "running", _("Importeras")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades, inget sparat")

    format = models.CharField(_("format"), max_length=40)
    file_name = models.CharField(_("fil"), max_length=255)
    stored_as = models.CharField(_("lagrad som"), max_length=255)
    mapping = models.TextField(_("mappning"), blank=True, help_text=_("Mappningsfilen (TOML) för formatet mapping"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    preview = models.JSONField(_("provkörning"), default=dict, blank=True)
    result = models.JSONField(_("resultat"), default=dict, blank=True)
    error = models.TextField(_("fel"), blank=True)
    run = models.ForeignKey(ImportRun, verbose_name=_("import"), on_delete=models.SET_NULL, null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("av"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    class Meta:
        verbose_name = _("uppladdad förteckning")
        verbose_name_plural = _("uppladdade förteckningar")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

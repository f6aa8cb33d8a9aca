"""The regional selection criteria, assessments with scores per criterion and prioritisations.

Jäv (conflict of interest) lives in partnership.ConflictOfInterest."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samhandling.core.models import VersionedModel
from samhandling.core.money import MoneyField


class SelectionCriterion(models.Model):
    partnership = models.ForeignKey(
        "partnership.Partnership", verbose_name=_("partnerskap"), on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("namn"), max_length=300)
    name_en = models.CharField(_("namn på engelska"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("bedömningskriterium")
        verbose_name_plural = _("bedömningskriterier")
        ordering = ["partnership", "number"]
        constraints = [models.UniqueConstraint(fields=["partnership", "number"], name="uniq_criterion_number")]

    def __str__(self):
        return f"{self.number}. {self.name}"


class SubAspect(models.Model):
    criterion = models.ForeignKey(
        SelectionCriterion, verbose_name=_("kriterium"), on_delete=models.CASCADE, related_name="sub_aspects"
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.CharField(_("delaspekt"), max_length=300)

    class Meta:
        verbose_name = _("delaspekt")
        verbose_name_plural = _("delaspekter")
        ordering = ["criterion", "order"]

    def __str__(self):
        return self.text


class Assessment(VersionedModel):
    """One assessor's scoring of one application. The private note is the assessor's alone, in the audit trail too."""

    audit_private_fields = ("private_note",)

    application = models.ForeignKey(
        "projects.Project", verbose_name=_("ansökan"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("bedömare"), on_delete=models.PROTECT, related_name="assessments"
    )
    private_note = models.TextField(_("egen anteckning"), blank=True, help_text=_("Syns bara för dig"))
    completed_at = models.DateTimeField(_("klar"), null=True, blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        constraints = [models.UniqueConstraint(fields=["application", "assessor"], name="uniq_assessment")]

    def __str__(self):
        return f"{self.application} – {self.assessor}"


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("bedömning"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        SelectionCriterion, verbose_name=_("kriterium"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("poäng"))
    motivation = models.TextField(_("motivering"))

    class Meta:
        verbose_name = _("poäng")
        verbose_name_plural = _("poäng")
        ordering = ["assessment", "criterion__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="uniq_score_per_criterion")]


class Prioritisation(VersionedModel):
    """A proposed ranked list for a call; the secretariat may move applications before it is decided."""

    call = models.ForeignKey(
        "calls.Call", verbose_name=_("utlysning"), on_delete=models.CASCADE, related_name="prioritisations"
    )
    method = models.CharField(_("metod"), max_length=300)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skapad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.ForeignKey(
        "partnership.Item",
        verbose_name=_("beslutad vid paragraf"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prioritisations",
    )

    class Meta:
        verbose_name = _("prioritering")
        verbose_name_plural = _("prioriteringar")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.call} ({self.created_at:%Y-%m-%d %H:%M})"


class PrioritisationEntry(models.Model):
    prioritisation = models.ForeignKey(
        Prioritisation, verbose_name=_("prioritering"), on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        "projects.Project", verbose_name=_("ansökan"), on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rangordning"))
    quality = models.DecimalField(_("kvalitet"), max_digits=7, decimal_places=3)
    amount = MoneyField(_("belopp"))
    eligible = models.BooleanField(_("når lägsta kvalitet"), default=True)
    proposed = models.BooleanField(_("föreslås av optimeringen"), default=False)
    prioritised = models.BooleanField(_("prioriteras"), default=False)
    moved_reason = models.CharField(_("skäl till flytt"), max_length=500, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flyttad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rad i prioritering")
        verbose_name_plural = _("rader i prioritering")
        ordering = ["prioritisation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["prioritisation", "application"], name="uniq_prioritisation_entry")
        ]

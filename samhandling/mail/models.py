"""Every e-mail the platform sends, one row per recipient, so a page can say truthfully what went out.

A row is written in the same transaction as the change it reports (a notice, a submission, a sign-up) and
sent afterwards by a background task. It says "sent" only once the mail server has accepted the message.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("Kallelse")
        RECEIPT = "receipt", _("Mottagningskvitto")
        REGISTRATION = "registration", _("Bekräftelse av anmälan")
        INTEREST = "interest", _("Intresseanmälan")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Misslyckades")
        NO_ADDRESS = "no_address", _("Saknar e-postadress")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    about_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("about_type", "about_id")
    recipient = models.CharField(_("mottagare"), max_length=200)
    address = models.EmailField(_("e-postadress"), blank=True)
    reply_to = models.EmailField(_("svar till"), blank=True)
    subject = models.CharField(_("ämne"), max_length=300)
    body = models.TextField(_("text"))
    calendar = models.TextField(_("kalenderfil (.ics)"), blank=True)
    files = models.JSONField(
        _("bifogade filer"), default=list, help_text=_("Lagrade filer: [[namn i lagringen, filnamn]]")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    error = models.TextField(_("fel"), blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["about_type", "about_id"], name="mail_about")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_status_display()})"

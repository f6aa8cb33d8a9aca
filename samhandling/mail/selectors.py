"""What was sent about a record, as the pages that report it need it."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from .models import OutgoingMail


@dataclass
class Delivery:
    """Counts and names of one mailing (e.g. a notice): sent, waiting, failed (with the error), no address."""

    sent: int = 0
    queued: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.sent + len(self.queued) + len(self.failed) + len(self.no_address)

    @property
    def pending(self) -> bool:
        return bool(self.queued)


def mails_about(obj):
    return OutgoingMail.objects.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)


def delivery(obj) -> Delivery:
    result = Delivery()
    for name, status, error in mails_about(obj).order_by("recipient", "id").values_list("recipient", "status", "error"):
        if status == OutgoingMail.Status.SENT:
            result.sent += 1
        elif status == OutgoingMail.Status.QUEUED:
            result.queued.append(name)
        elif status == OutgoingMail.Status.FAILED:
            result.failed.append((name, error))
        else:
            result.no_address.append(name)
    return result

"""The receipt an applicant gets by e-mail when an application is submitted (förvaltningslagen 22 §: an
authority confirms receipt of what it is sent). Called by the submit services; sent after commit."""

from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.mail import services as mail
from samhandling.mail.models import OutgoingMail
from samhandling.projects.models import Project


def send_receipt(application: Project) -> None:
    owner = application.owner
    if owner is None:
        return  # an application without an account (an imported one) has nobody to send to
    name = owner.get_full_name() or owner.get_username()
    call = application.call
    body = _(
        "Hej %(name)s!\n\nVi har tagit emot er ansökan ”%(title)s” (nummer %(id)s) till utlysningen %(call)s "
        "den %(at)s.\n\nNi kan följa ansökan under Mina ansökningar. Det här meddelandet är ett automatiskt "
        "mottagningskvitto."
    ) % {
        "name": name,
        "title": application.name,
        "id": application.pk,
        "call": f"{call} {call.title}".strip() if call else "–",
        "at": timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M"),
    }
    mail.queue(
        OutgoingMail.Kind.RECEIPT,
        application,
        [mail.Recipient(name, owner.email or "")],
        subject=_("Mottagningskvitto: %(title)s") % {"title": application.name},
        body=body,
    )

"""`samhandling writtenprocedure open|answer|record`: a decision in writing between meetings.

The secretariat opens the procedure, registers each member's answer as it comes in (by e-mail or letter) and,
once the time for answers is out, records it as an item of the next meeting's minutes. Every step goes through
partnership.services, so the rules of procedure and the audit apply as they do on the web.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.core.audit import command_actor
from samhandling.partnership import services
from samhandling.partnership.models import Membership, WrittenAnswer, WrittenProcedure
from samhandling.partnership.selectors import current_partnership

from .minutes import find_meeting


def _procedure(pk: int) -> WrittenProcedure:
    found = WrittenProcedure.objects.filter(pk=pk, partnership=current_partnership()).first()
    if found is None:
        raise CommandError(_("Det finns ingen skriftlig procedur med id %(id)s.") % {"id": pk})
    return found


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--closes-on: ange datum som ÅÅÅÅ-MM-DD (fick %(value)r).") % {"value": text}) from None


class Command(BaseCommand):
    partnership_bound = True
    help = gettext_lazy("Beslut genom skriftlig procedur: öppna, registrera svar och redovisa i protokollet.")

    def add_arguments(self, parser):
        parser.add_argument("--actor", help=_("Användarnamn som ändringarna loggas på (annars $SAMHANDLING_ACTOR)."))
        sub = parser.add_subparsers(dest="action", required=True)
        opened = sub.add_parser("open", help=_("Öppna en skriftlig procedur."))
        opened.add_argument("--title", required=True)
        opened.add_argument("--proposal", required=True, help=_("Förslag till beslut."))
        opened.add_argument("--closes-on", required=True, metavar="ÅÅÅÅ-MM-DD", help=_("Sista dag för svar."))
        answer = sub.add_parser("answer", help=_("Registrera en ledamots svar."))
        answer.add_argument("procedure", type=int)
        answer.add_argument("membership", type=int, help=_("Ledamotens uppdrag (id)."))
        answer.add_argument("answer", choices=WrittenAnswer.Answer.values)
        record = sub.add_parser("record", help=_("Redovisa proceduren som en paragraf i ett sammanträdes protokoll."))
        record.add_argument("procedure", type=int)
        record.add_argument("meeting", metavar="NUMMER/ÅR")

    def handle(self, *args, action, actor=None, **options):
        try:
            with command_actor(f"writtenprocedure-{action}", actor):
                self.stdout.write(getattr(self, f"_{action}")(**options))
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None

    def _open(self, *, title, proposal, closes_on, **_options) -> str:
        partnership = current_partnership()
        if partnership is None:
            raise CommandError(_("Det finns inget partnerskap."))
        procedure = services.open_written_procedure(
            partnership, title=title, proposal=proposal, closes_on=_date(closes_on)
        )
        return _("Skriftlig procedur %(id)s öppnad; svar senast %(date)s.") % {
            "id": procedure.pk,
            "date": procedure.closes_on,
        }

    def _answer(self, *, procedure, membership, answer, **_options) -> str:
        found = _procedure(procedure)
        member = Membership.objects.filter(pk=membership, partnership=found.partnership).first()
        if member is None:
            raise CommandError(_("Det finns inget uppdrag med id %(id)s i partnerskapet.") % {"id": membership})
        saved = services.answer_written_procedure(found, member, answer)
        return _("Svar registrerat: %(answer)s.") % {"answer": saved}

    def _record(self, *, procedure, meeting, **_options) -> str:
        found = _procedure(procedure)
        if found.item_id is not None:
            raise CommandError(_("Proceduren är redan redovisad i %(item)s.") % {"item": found.item})
        item = services.record_written_procedure(found, find_meeting(meeting))
        return _("Redovisad som § %(number)s i sammanträde %(code)s.") % {
            "number": item.number,
            "code": item.meeting.code,
        }

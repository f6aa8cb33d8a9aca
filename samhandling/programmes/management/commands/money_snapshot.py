"""samhandling money_snapshot [--date 2026-06-30] [--partnership NAME] [--paid ERUF:1.1=1500000 …]"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Sparar dagens (eller ett givet datums) ackumulerade belopp per specifikt mål: planerat, beslutat, utbetalt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("Datum (ÅÅÅÅ-MM-DD); i dag om det utelämnas"))
        parser.add_argument("--partnership", help=_("Partnerskapets namn; hela programmet om det utelämnas"))
        parser.add_argument(
            "--paid",
            action="append",
            default=[],
            help=_("Utbetalt belopp per mål som FOND:KOD=BELOPP, t.ex. ERUF:1.1=1500000 (kan upprepas)"),
        )

    def handle(self, *args, **opts):
        from samhandling.partnership.models import Partnership
        from samhandling.programmes import followup
        from samhandling.programmes.models import SpecificObjective

        try:
            day = date.fromisoformat(opts["date"]) if opts["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(_("--date: ange datumet som ÅÅÅÅ-MM-DD.")) from None
        partnership = None
        if opts["partnership"]:
            partnership = Partnership.objects.filter(name=opts["partnership"]).first()
            if partnership is None:
                raise CommandError(
                    _("--partnership: inget partnerskap heter %(name)s.") % {"name": opts["partnership"]}
                )
        paid = {}
        for item in opts["paid"]:
            match = re.fullmatch(r"([^:=]+):([^=]+)=([0-9]+(?:[.,][0-9]{1,2})?)", item.strip())
            objective = (
                SpecificObjective.objects.filter(
                    fund__code=match.group(1), code=match.group(2), programme__period__start_year__gte=2021
                ).first()
                if match
                else None
            )
            if objective is None:
                raise CommandError(
                    _("--paid: %(item)s är inte FOND:KOD=BELOPP för ett specifikt mål.") % {"item": item}
                )
            paid[objective.pk] = match.group(3).replace(",", ".")
        try:
            written = followup.take_snapshot(day, partnership=partnership, paid=paid)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(_("%(n)s mål sparade för %(day)s.") % {"n": written, "day": day.isoformat()})

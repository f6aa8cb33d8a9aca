"""`samhandling minutes render NUMBER/YEAR --format pdf|docx --output PATH` and
`samhandling minutes verify NUMBER/YEAR`."""

import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils import timezone

from samhandling.partnership import minutes
from samhandling.partnership.models import Meeting
from samhandling.partnership.selectors import current_partnership


def find_meeting(code: str) -> Meeting:
    match = re.fullmatch(r"(\d+)/(\d{4})", code.strip())
    if not match:
        raise CommandError(_("Ange protokollets nummer som NUMMER/ÅR, t.ex. 1/2026 (fick %(code)r).") % {"code": code})
    number, year = map(int, match.groups())
    meeting = Meeting.objects.filter(partnership=current_partnership(), number=number, year=year).first()
    if meeting is None:
        raise CommandError(_("Det finns inget sammanträde %(number)s/%(year)s.") % {"number": number, "year": year})
    return meeting


class Command(BaseCommand):
    help = "Skapar protokoll som PDF eller DOCX, eller kontrollerar att ett signerat protokoll är oförändrat."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        render = sub.add_parser("render", help="Skapa protokollet som PDF eller DOCX.")
        render.add_argument("code", metavar="NUMMER/ÅR")
        render.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        render.add_argument("--output", help="Fil att skriva (standard: protokoll-NUMMER-ÅR.FORMAT)")
        verify = sub.add_parser("verify", help="Räkna om kontrollsummorna för ett signerat protokoll.")
        verify.add_argument("code", metavar="NUMMER/ÅR")

    def handle(self, *args, action, code, **options):
        meeting = find_meeting(code)
        if action == "render":
            fmt = options["format"]
            data = minutes.render_pdf(meeting) if fmt == "pdf" else minutes.render_docx(meeting)
            path = Path(options["output"] or f"protokoll-{meeting.number}-{meeting.year}.{fmt}")
            path.write_bytes(data)
            self.stdout.write(
                _("Protokoll %(code)s skrivet till %(path)s (%(size)s byte).")
                % {"code": meeting.code, "path": path, "size": len(data)}
            )
            return
        problems = minutes.verify(meeting)
        if problems:
            self.stderr.write(_("Protokoll %(code)s stämmer INTE med det signerade:") % {"code": meeting.code})
            for p in problems:
                self.stderr.write(f"  - {p}")
            sys.exit(1)
        signed = meeting.signed_minutes
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Protokoll %(code)s är oförändrat sedan signeringen %(at)s.\n"
                    "  innehåll SHA-256 %(content)s\n  PDF SHA-256 %(pdf)s"
                )
                % {
                    "code": meeting.code,
                    "at": f"{timezone.localtime(signed.signed_at):%Y-%m-%d %H:%M}",
                    "content": signed.content_sha256,
                    "pdf": signed.pdf_sha256,
                }
            )
        )

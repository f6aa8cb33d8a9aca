"""`samhandling minutes render NUMBER/YEAR --format pdf|docx --output PATH`, `samhandling minutes verify NUMBER/YEAR`
and `samhandling minutes verify --file X.pdf` (exit status 1 on any failure)."""

import re
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy
from django.utils import timezone

from samhandling.core.commands import BaseCommand
from samhandling.partnership import minutes, services, signing, verification
from samhandling.partnership.models import Meeting, Person
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
    partnership_bound = True
    help = gettext_lazy(
        "Skapar protokoll som PDF eller DOCX, eller kontrollerar att ett signerat protokoll är oförändrat."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        render = sub.add_parser("render", help=_("Skapa protokollet som PDF eller DOCX."))
        render.add_argument("code", metavar="NUMMER/ÅR")
        render.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        render.add_argument("--output", help=_("Fil att skriva (standard: protokoll-NUMMER-ÅR.FORMAT)"))
        approve = sub.add_parser(
            "approve",
            help=_(
                "Registrera en justerares, ordförandes eller sekreterares godkännande; lägger till hens "
                "elektroniska underskrift (PAdES) i protokollets PDF."
            ),
        )
        approve.add_argument("code", metavar="NUMMER/ÅR")
        approve.add_argument("--person", required=True, help=_("Namnet på den som justerar eller signerar."))
        approve.add_argument(
            "--confirm-late", action="store_true", help=_("Justera trots att tidsgränsen har gått ut.")
        )
        verify = sub.add_parser(
            "verify", help=_("Kontrollera ett signerat protokoll: underskrifter, certifikatkedja och kontrollsummor.")
        )
        verify.add_argument("code", metavar="NUMMER/ÅR", nargs="?")
        verify.add_argument("--file", help=_("Kontrollera en PDF-fil som någon har skickat in i stället."))

    def handle(self, *args, action, code=None, **options):
        if action == "verify" and options.get("file"):
            return self.verify_file(Path(options["file"]))
        if code is None:
            raise CommandError("Ange protokollets nummer som NUMMER/ÅR, t.ex. 1/2026, eller --file X.pdf.")
        meeting = find_meeting(code)
        if action == "approve":
            return self.approve(meeting, options["person"], options["confirm_late"])
        if action == "render":
            fmt = options["format"]
            signed = getattr(meeting, "signed_minutes", None)
            if fmt == "pdf":  # signed minutes are their signed original, never a new rendering
                data = bytes(signed.pdf) if signed is not None else minutes.render_pdf(meeting)
            else:
                data = minutes.render_docx(meeting)
            path = Path(options["output"] or f"protokoll-{meeting.number}-{meeting.year}.{fmt}")
            path.write_bytes(data)
            self.stdout.write(
                _("Protokoll %(code)s skrivet till %(path)s (%(size)s byte).")
                % {"code": meeting.code, "path": path, "size": len(data)}
            )
            return
        report = verification.verify_meeting(meeting)
        out = self.stdout if report.ok else self.stderr
        for line in report.lines:
            out.write(line)
        if not report.ok:
            self.stderr.write(_("Protokoll %(code)s stämmer INTE med det signerade.") % {"code": meeting.code})
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

    def approve(self, meeting, name: str, confirm_late: bool):
        people = list(Person.objects.filter(name=name.strip()))
        if len(people) != 1:
            raise CommandError(f"Hittar {'ingen' if not people else 'flera'} person med namnet {name!r}.")
        try:
            approval = services.approve_minutes(meeting, people[0], confirm_late=confirm_late)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        meeting.refresh_from_db()
        self.stdout.write(
            f"{people[0].name} har justerat protokoll {meeting.code} som {approval.get_role_display().lower()} "
            f"och signerat det elektroniskt. Status: {meeting.get_status_display()}."
        )

    def verify_file(self, path: Path):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte läsas: {exc.strerror}.") from exc
        try:
            report = verification.check_file(data)
        except signing.NotAPdf:
            self.stderr.write(f"{path}: filen är inte en läsbar PDF.")
            sys.exit(1)
        out = self.stdout if report.ok else self.stderr
        for line in report.lines:
            out.write(line)
        if not report.ok:
            sys.exit(1)

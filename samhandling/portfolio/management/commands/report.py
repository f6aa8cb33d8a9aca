"""samhandling report portfolio --from 2021 --to 2025 --format pdf|docx --output PATH"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy


from samhandling.core.commands import BaseCommand


class Command(BaseCommand):
    partnership_bound = True
    help = gettext_lazy("Skriver uppföljningsrapporten för beviljade projekt som PDF eller DOCX.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["portfolio"], help=_("Rapporttyp"))
        parser.add_argument("--from", dest="year_from", type=int, required=True, help=_("Första beslutsår"))
        parser.add_argument("--to", dest="year_to", type=int, required=True, help=_("Sista beslutsår"))
        parser.add_argument("--format", choices=["pdf", "docx"], default="pdf")
        parser.add_argument("--output", required=True)

    def handle(self, *args, **opts):
        from samhandling.portfolio import reports

        if opts["year_from"] > opts["year_to"]:
            raise CommandError(_("--from: första året får inte vara senare än --to."))
        render = reports.pdf if opts["format"] == "pdf" else reports.docx
        Path(opts["output"]).write_bytes(render(opts["year_from"], opts["year_to"]))
        self.stdout.write(_("Rapporten är skriven till %(path)s.") % {"path": opts["output"]})

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.projectbank import opendata


class Command(BaseCommand):
    help = gettext_lazy(
        "Skriver projektbankens öppna data (artikel 49.3 i förordning (EU) 2021/1060) som CSV, XLSX och/eller "
        "JSON med en Frictionless datapackage.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            action="append",
            dest="formats",
            metavar="csv|xlsx|json",
            help=_("Format; kan anges flera gånger eller kommaseparerat (standard: alla)."),
        )
        parser.add_argument("--output", required=True, metavar="DIR", help=_("Katalog att skriva filerna i."))

    def handle(self, *args, formats=None, output, **options):
        chosen = [
            f.strip().lower() for item in formats or [",".join(opendata.FORMATS)] for f in item.split(",") if f.strip()
        ]
        unknown = sorted(set(chosen) - set(opendata.FORMATS))
        if unknown:
            raise CommandError(
                _("Okänt format: %(unknown)s. Välj bland %(formats)s.")
                % {"unknown": ", ".join(unknown), "formats": ", ".join(opendata.FORMATS)}
            )
        written = opendata.export(output, list(dict.fromkeys(chosen)))
        for path in written.values():
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(_("%(n)s projekt exporterade.") % {"n": opendata.open_projects().count()}))

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.calls.importer import ImportError_, import_applications, load_rows


class Command(BaseCommand):
    help = gettext_lazy("Ansökningar: `samhandling applications import FIL.json` läser in inlämnade ansökningar.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help=_("Läs in ansökningar från en JSON-fil (allt eller inget)."))
        imp.add_argument("file")

    def handle(self, *args, action, file, **options):  # noqa: ARG002 (one subcommand for now)
        try:
            created, skipped = import_applications(load_rows(file))
        except (OSError, ValueError) as exc:
            raise CommandError(_("Filen %(file)s kunde inte läsas: %(error)s") % {"file": file, "error": exc}) from None
        except ImportError_ as exc:
            raise CommandError(_("Inget lästes in:") + "\n" + "\n".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("%(created)s ansökningar inlästa, %(skipped)s fanns redan.")
                % {"created": created, "skipped": skipped}
            )
        )

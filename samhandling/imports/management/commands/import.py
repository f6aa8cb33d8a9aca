import sys

from django.core.management.base import CommandError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _, gettext_lazy
from tqdm import tqdm

from samhandling.core.commands import BaseCommand
from samhandling.core.audit import command_actor
from samhandling.imports.formats import FORMATS
from samhandling.imports.services import MAPPING, ImportFailed, import_file


class Command(BaseCommand):
    requires_system_checks = []  # a long import should not wait for the URL and model checks of every app
    help = format_lazy(
        gettext_lazy(
            "Importerar en förteckning över insatser (projekt) i en transaktion. Format: {formats}. Med mapping "
            "anges först mappningsfilen (TOML) och sedan filen: import mapping MAPPNING.toml FIL."
        ),
        formats=", ".join([*FORMATS, MAPPING]),
    )

    def add_arguments(self, parser):
        parser.add_argument("format", choices=sorted([*FORMATS, MAPPING]), help=_("Filens format."))
        parser.add_argument("path", help=_("Filen som ska importeras (med mapping: mappningsfilen)."))
        parser.add_argument("data", nargs="?", help=_("Med mapping: filen som ska importeras."))
        parser.add_argument("--dry-run", action="store_true", help=_("Kontrollera och räkna, men spara ingenting."))
        parser.add_argument(
            "--skip-invalid",
            metavar="REJECTS.csv",
            help=_("Spara de giltiga raderna och skriv de ogiltiga med skäl till den här filen."),
        )
        parser.add_argument("--actor", help=_("Användarnamn som importen loggas på (annars $SAMHANDLING_ACTOR)."))

    def handle(self, *args, format, path, data=None, dry_run=False, skip_invalid=None, actor=None, **options):
        mapping = None
        if format == MAPPING:
            if not data:
                raise CommandError(_("Ange både mappningsfilen och filen: import mapping MAPPNING.toml FIL."))
            mapping, path = path, data
        elif data:
            raise CommandError(_("Formatet %(fmt)s läser en enda fil.") % {"fmt": format})
        interactive = sys.stderr.isatty()
        with (
            command_actor("import", actor) as user,
            tqdm(unit=" rader", desc=path, disable=not interactive, file=sys.stderr) as bar,
        ):
            try:
                result = import_file(
                    format,
                    path,
                    dry_run=dry_run,
                    rejects_path=skip_invalid,
                    user=user,
                    progress=bar,
                    mapping=mapping,
                )
            except ImportFailed as failed:
                more = failed.total - len(failed.errors)
                lines = [*failed.errors, *([_("… och %(n)s fel till.") % {"n": more}] if more > 0 else [])]
                raise CommandError(_("Importen avbröts; inget sparades.") + "\n" + "\n".join(lines)) from None
        summary = _(
            "%(rows)s rader: %(created)s nya, %(updated)s ändrade, %(unchanged)s oförändrade, "
            "%(rejected)s avvisade, %(proposals)s matchningsförslag."
        ) % {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": result.rejected,
            "proposals": result.proposals,
        }
        if dry_run:
            self.stdout.write(_("Provkörning, inget sparades. %(summary)s") % {"summary": summary})
        else:
            self.stdout.write(self.style.SUCCESS(_("Importen är klar. %(summary)s") % {"summary": summary}))
        if result.rejected:
            self.stdout.write(_("De avvisade raderna med skäl finns i %(path)s.") % {"path": skip_invalid})

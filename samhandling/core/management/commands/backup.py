"""`samhandling backup PATH`: a consistent copy of the whole database (see samhandling.core.backup)."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.core import backup


class Command(BaseCommand):
    requires_system_checks = []  # works on the database alone: never refused or delayed by the apps' checks
    help = gettext_lazy(
        "Säkerhetskopierar hela databasen till PATH (SQLite: en databasfil, PostgreSQL: pg_dumps eget format). "
        "Uppladdade filer ingår inte."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("Filen som säkerhetskopian skrivs till."))
        parser.add_argument("--force", action="store_true", help=_("Skriv över PATH om filen redan finns."))

    def handle(self, path, force=False, **options):
        try:
            written = backup.backup(path, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(_("Databasen är säkerhetskopierad till %(path)s.") % {"path": written}))

"""`samhandling restore PATH`: replaces the whole database with a backup from `samhandling backup`."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.core import backup


class Command(BaseCommand):
    requires_system_checks = []  # works on the database alone: never refused or delayed by the apps' checks
    help = gettext_lazy(
        "Återställer hela databasen från en säkerhetskopia gjord med `samhandling backup`. "
        "Allt nuvarande innehåll ersätts; en databas med data skrivs bara över med --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("Säkerhetskopian att återställa."))
        parser.add_argument("--force", action="store_true", help=_("Ersätt en databas som redan innehåller data."))

    def handle(self, path, force=False, **options):
        try:
            backup.restore(path, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(_("Databasen är återställd från %(path)s.") % {"path": path}))

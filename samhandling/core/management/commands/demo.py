"""Loads the demo partnership. Idempotent: each app's `demo.load()` only creates what is missing."""

import pkgutil
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.core.audit import command_actor


def demo_modules():
    """Every `demo*.py` module of the samhandling apps, run in the order of their ORDER constant."""
    modules = [
        import_module(f"{config.name}.{info.name}")
        for config in apps.get_app_configs()
        if config.name.startswith("samhandling.")
        for info in pkgutil.iter_modules([config.path])
        if info.name.startswith("demo")
    ]
    return sorted(modules, key=lambda m: m.ORDER)


class Command(BaseCommand):
    help = gettext_lazy("Laddar demodata för Strategiska partnerskapet Stockholm (kan köras flera gånger).")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help=_("Ladda bara om databasen saknar partnerskap."))
        parser.add_argument("--actor", help=_("Användarnamn som ändringarna loggas på (annars $SAMHANDLING_ACTOR)."))

    def handle(self, *args, if_empty=False, actor=None, **options):
        from samhandling.access import demo as demo_accounts
        from samhandling.partnership.models import Partnership

        if if_empty and Partnership.objects.exists():
            self.stdout.write(_("Databasen har redan data; demodata laddas inte."))
            with transaction.atomic(), command_actor("demo", actor):
                demo_accounts.load()  # a database loaded before the demo had accounts gets them too
        else:
            with transaction.atomic(), command_actor("demo", actor):
                for module in demo_modules():
                    module.load()
            self.stdout.write(self.style.SUCCESS(_("Demodata för Strategiska partnerskapet Stockholm är laddade.")))
        # One line per account, always in this form (scripts and the README rely on it).
        for role, username, password in demo_accounts.accounts():
            self.stdout.write(f"demo account: {role.value} {username} {password}")

"""`samhandling matchindex`: rebuilds the inverted index that matches ideas against the project bank."""

import time

from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.mobilisation.matching import index_dir, index_status, rebuild_index


class Command(BaseCommand):
    help = gettext_lazy("Bygger om matchningsindexet över beviljade projekt (kör efter stora importer).")

    def add_arguments(self, parser):
        parser.add_argument("--status", action="store_true", help=_("Visa indexets storlek utan att bygga om."))

    def handle(self, *args, status=False, **options):
        if not status:
            started = time.perf_counter()
            rebuild_index()
            self.stdout.write(
                _("Indexet byggdes på %(seconds).1f s i %(dir)s.")
                % {"seconds": time.perf_counter() - started, "dir": index_dir()}
            )
        info = index_status()
        self.stdout.write(
            _("Projekt: %(projects)s, termer: %(terms)s, ändringar sedan bygget: %(pending)s, byggt: %(built_at)s")
            % info
        )

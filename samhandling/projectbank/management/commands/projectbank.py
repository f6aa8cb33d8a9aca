from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy
from tqdm import tqdm

from samhandling.core.commands import BaseCommand
from samhandling.projectbank import facetindex, services
from samhandling.projects.models import Project


class Command(BaseCommand):
    help = gettext_lazy(
        "Projektbanken: `reindex` bygger om fulltextindexet för alla projekt; `snapshot` bygger den publika "
        "sökningens ögonblicksbild av nuvarande data (bakgrundsarbetaren gör det efter stora ändringar)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reindex", "snapshot"])

    def handle(self, *args, action, **options):
        if action == "snapshot":
            try:
                index = facetindex.build_snapshots()
            except RuntimeError as failed:
                raise CommandError(str(failed)) from failed
            self.stdout.write(self.style.SUCCESS(_("Sökindex för %(n)s publika projekt klart.") % {"n": index.size}))
            return
        with tqdm(total=Project.objects.count(), unit="projekt", disable=not self.stdout.isatty() or None) as bar:
            done = services.reindex(progress=bar)
        self.stdout.write(self.style.SUCCESS(_("%(n)s projekt indexerade.") % {"n": done}))

from django.core.management.base import BaseCommand
from tqdm import tqdm

from samhandling.projectbank import services
from samhandling.projects.models import Project


class Command(BaseCommand):
    help = "Projektbanken: `reindex` bygger om fulltextindexet för alla projekt."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reindex"])

    def handle(self, *args, action, **options):
        with tqdm(total=Project.objects.count(), unit="projekt", disable=not self.stdout.isatty() or None) as bar:
            done = services.reindex(progress=bar)
        self.stdout.write(self.style.SUCCESS(f"{done} projekt indexerade."))

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy
from tqdm import tqdm

from samhandling.core.commands import BaseCommand
from samhandling.projectbank.synthetic import Generator


class Command(BaseCommand):
    help = gettext_lazy(
        "Skapar syntetiska projekt (realistiska svenska texter, verklig geografi) för prestandamätningar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True, help=_("Antal projekt att skapa."))
        parser.add_argument("--seed", type=int, default=1, help=_("Slumpfrö (samma frö ger samma data)."))

    def handle(self, *args, projects, seed, **options):
        if projects < 1:
            raise CommandError(_("--projects måste vara minst 1."))
        with tqdm(total=projects, unit="projekt", disable=not self.stdout.isatty() or None) as bar:
            Generator(seed).generate(projects, progress=bar)
        self.stdout.write(
            self.style.SUCCESS(_("%(n)s syntetiska projekt skapade (frö %(seed)s).") % {"n": projects, "seed": seed})
        )

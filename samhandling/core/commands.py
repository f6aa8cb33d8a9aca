"""The base of every `samhandling` management command: its help (`help = gettext_lazy(...)`, the options'
`help=_(...)`) is shown in the language active when the parser is made (SAMHANDLING_LANGUAGE, see cli.py).
argparse formats the description with regular expressions, which take a str, not a lazy translation.

A command on one partnership's working data (`partnership_bound = True`) takes `--partnership SLUG` and runs
as a request to that partnership's pages would (partnership.scope.within); without it, the default one."""

from django.core.management.base import BaseCommand as DjangoBaseCommand
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


class BaseCommand(DjangoBaseCommand):
    partnership_bound = False

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.help) if self.help else None
        if self.partnership_bound:
            parser.add_argument(
                "--partnership",
                metavar="SLUG",
                help=_("Partnerskapet att arbeta i, med sin adress (t.ex. oms); annars standardpartnerskapet"),
            )
        return parser

    def execute(self, *args, **options):
        slug = options.pop("partnership", None) if self.partnership_bound else None
        if not slug:
            return super().execute(*args, **options)
        from samhandling.partnership import scope
        from samhandling.partnership.models import Partnership

        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.exclude(slug="").order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                _("--partnership: inget partnerskap har adressen %(slug)s (finns: %(known)s).")
                % {"slug": slug, "known": known or "–"}
            )
        with scope.within(partnership):
            return super().execute(*args, **options)

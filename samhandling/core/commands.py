"""The base of every `samhandling` management command: its help (`help = gettext_lazy(...)`, the options'
`help=_(...)`) is shown in the language active when the parser is made (SAMHANDLING_LANGUAGE, see cli.py).
argparse formats the description with regular expressions, which take a str, not a lazy translation."""

from django.core.management.base import BaseCommand as DjangoBaseCommand


class BaseCommand(DjangoBaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.description = str(self.help) if self.help else None
        return parser

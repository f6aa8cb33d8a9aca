"""`samhandling person export ID` and `samhandling person erase ID`: a person's right of access and erasure."""

import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.access import personal_data
from samhandling.core.audit import command_actor


class Command(BaseCommand):
    help = gettext_lazy(
        "Registerutdrag (export) och radering (erase) av en persons uppgifter; offentliga handlingar behålls."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("person_id", type=int)
        parser.add_argument("--output", help=_("Skriv utdraget till en fil i stället för till standard ut."))
        parser.add_argument("--actor", help=_("Användarnamn som raderingen loggas på."))

    def handle(self, action, person_id, output=None, actor=None, **options):
        from samhandling.partnership.models import Person

        try:
            with command_actor(f"person-{action}", actor):
                if action == "export":
                    text = personal_data.export(person_id)
                    if output:
                        with open(output, "w", encoding="utf-8") as fh:
                            fh.write(text)
                        self.stdout.write(_("Registerutdrag sparat i %(path)s.") % {"path": output})
                    else:
                        self.stdout.write(text)
                else:
                    report = personal_data.erase(person_id)
                    self.stdout.write(json.dumps(report, ensure_ascii=False))
                    self.stdout.write(
                        self.style.SUCCESS(_("Personuppgifterna för person %(id)s är raderade.") % {"id": person_id})
                    )
        except Person.DoesNotExist:
            raise CommandError(_("Det finns ingen person med id %(id)s.") % {"id": person_id}) from None

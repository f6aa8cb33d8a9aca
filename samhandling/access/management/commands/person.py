"""`samhandling person export ID` and `samhandling person erase ID`: a person's right of access and erasure."""

import json

from django.core.management.base import BaseCommand, CommandError

from samhandling.access import personal_data
from samhandling.core.audit import command_actor


class Command(BaseCommand):
    help = "Registerutdrag (export) och radering (erase) av en persons uppgifter; offentliga handlingar behålls."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("person_id", type=int)
        parser.add_argument("--output", help="Skriv utdraget till en fil i stället för till standard ut.")
        parser.add_argument("--actor", help="Användarnamn som raderingen loggas på.")

    def handle(self, action, person_id, output=None, actor=None, **options):
        from samhandling.partnership.models import Person

        try:
            with command_actor(f"person-{action}", actor):
                if action == "export":
                    text = personal_data.export(person_id)
                    if output:
                        with open(output, "w", encoding="utf-8") as fh:
                            fh.write(text)
                        self.stdout.write(f"Registerutdrag sparat i {output}.")
                    else:
                        self.stdout.write(text)
                else:
                    report = personal_data.erase(person_id)
                    self.stdout.write(json.dumps(report, ensure_ascii=False))
                    self.stdout.write(self.style.SUCCESS(f"Personuppgifterna för person {person_id} är raderade."))
        except Person.DoesNotExist:
            raise CommandError(f"Det finns ingen person med id {person_id}.") from None

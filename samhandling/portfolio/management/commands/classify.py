"""samhandling classify: thematic objective for a Tillväxtverket-format file, or label the stored projects."""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.core.commands import BaseCommand
from samhandling.portfolio import classification


class Command(BaseCommand):
    help = gettext_lazy("Klassificerar projekttexter: tematiskt mål (och för lagrade projekt även områden och teman).")

    def add_arguments(self, parser):
        parser.add_argument("--input", help=_("JSON-fil i Tillväxtverkets format"))
        parser.add_argument("--output", help=_("Fil att skriva förutsägelserna till (JSON)"))
        parser.add_argument(
            "--projects", action="store_true", help=_("Föreslå etiketter för beviljade projekt i databasen")
        )
        parser.add_argument(
            "--evaluate", action="store_true", help=_("Korsvaliderad träffsäkerhet, modell och baslinje")
        )

    def handle(self, *args, **opts):
        if opts["evaluate"]:
            for name, builder in (("modell", classification.build_model), ("baslinje", classification.build_baseline)):
                s = classification.cross_validate(builder)
                self.stdout.write(
                    f"{name}: accuracy={s['accuracy']:.3f} macro-F1={s['f1_macro']:.3f} "
                    f"({s['folds']}-faldig stratifierad korsvalidering, n={s['n']})"
                )
                s = classification.locked_test(builder)
                self.stdout.write(
                    f"{name}: accuracy={s['accuracy']:.3f} macro-F1={s['f1_macro']:.3f} "
                    f"(låst testdel, aldrig använd för inställningar, n={s['n']}, fel={s['errors']})"
                )
        if opts["projects"]:
            from samhandling.portfolio.services import classify_projects
            from samhandling.projects.models import Project

            n = classify_projects(Project.objects.granted())
            self.stdout.write(_("%(n)s projekt klassificerade.") % {"n": n})
        if opts["input"]:
            if not opts["output"]:
                raise CommandError(_("--output: ange filen som förutsägelserna ska skrivas till."))
            try:
                records = json.loads(Path(opts["input"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(_("--input: filen kunde inte läsas som JSON (%(error)s).") % {"error": exc}) from exc
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise CommandError(_("--input: filen ska innehålla en JSON-lista med ett objekt per projekt."))
            predictions = classification.predict_records(records)
            Path(opts["output"]).write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")
            self.stdout.write(
                _("%(n)s förutsägelser skrivna till %(path)s.") % {"n": len(predictions), "path": opts["output"]}
            )
        elif not (opts["evaluate"] or opts["projects"]):
            raise CommandError(_("Ange --input och --output, --projects eller --evaluate."))

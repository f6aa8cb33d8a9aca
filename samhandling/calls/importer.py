"""Import of applications from a JSON file (for example an export from the managing authority's system).

The whole file is one transaction: a single bad row stops the import, and every error names row and field.
"""

import json
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from samhandling.projects.models import Project

from . import applications
from .models import Call

SOURCE = "import"


class ImportError_(ValidationError):
    """Errors of an import, one message per row and field."""


def _call(ref: str) -> Call:
    fund, _, code = str(ref or "").strip().rpartition(" ")
    year, _, number = code.partition(":")
    found = (
        Call.objects.filter(fund__code=fund, year=year or 0, number=number or 0).first()
        if year.isdigit() and number.isdigit()
        else None
    )
    if found is None:
        raise ValidationError({"call": f"Okänd utlysning ”{ref}”; ange fond och nummer, t.ex. ”ESF+ 2026:2”."})
    return found


def _at(value) -> datetime:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            {"submitted_at": "Inlämningstid saknas eller är fel; ange t.ex. 2026-03-01T10:00:00+01:00."}
        ) from None
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def load_rows(path) -> list[dict]:
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportError_(
            f"{Path(path).name}, rad {line}: filen är inte UTF-8 (ogiltig byte {exc.object[exc.start]:#04x})."
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportError_(
            f"{Path(path).name}, rad {exc.lineno}, kolumn {exc.colno}: ogiltig JSON ({exc.msg})."
        ) from None
    rows = data.get("applications") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise ImportError_('Filen ska innehålla en lista med ansökningar (eller {"applications": [...]}).')
    return rows


def import_applications(rows: list[dict]) -> tuple[int, int]:
    """Creates submitted applications; rows already imported (same id) are skipped. Returns (created, skipped)."""
    errors, created, skipped = [], 0, 0
    User = get_user_model()
    with transaction.atomic():
        for n, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                errors.append(f"Rad {n}: en ansökan ska vara ett JSON-objekt.")
                continue
            source_id = str(row.get("id") or "").strip()
            try:
                if not source_id:
                    raise ValidationError({"id": "Id saknas; varje rad behöver ett stabilt id."})
                if Project.objects.filter(source=SOURCE, source_id=source_id).exists():
                    skipped += 1
                    continue
                owner = User.objects.filter(username=row["owner"]).first() if row.get("owner") else None
                if row.get("owner") and owner is None:
                    raise ValidationError({"owner": f"Okänd användare ”{row['owner']}”."})
                with transaction.atomic():
                    applications.create_and_submit(
                        call=_call(row.get("call")),
                        owner=owner,
                        data=row,
                        at=_at(row.get("submitted_at")),
                        source=SOURCE,
                        source_id=source_id,
                    )
                created += 1
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.extend(f"Rad {n}, fältet {field}: {m}" for m in messages)
        if errors:
            transaction.set_rollback(True)
            raise ImportError_(errors)
    return created, skipped

"""Imports started in the browser: upload, a dry run to preview, then the import itself, both as background
tasks running the same Importer as `samhandling import` (services.py). The web import keeps the valid rows
and writes each rejected one with row, field and reason to a file the secretariat downloads.

Progress goes to a small file next to the upload rather than the database: the import holds its transaction
(and on SQLite the write lock) until the end, and the page must see the count while it runs.
"""

import csv
import logging
import os
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path, PurePath

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from samhandling.core.background import enqueue

from .formats import FORMATS
from .formats.mapping import MappingError, parse_mapping
from .models import ImportUpload
from .services import MAPPING, ImportFailed, Importer

log = logging.getLogger(__name__)
EXTENSIONS = {"tillvaxtverket-json": ".json"}  # every other format is a CSV file, or says its own (mappings)
MAPPING_MAX_BYTES = 64 * 1024
PREVIEW_REJECTS = 20
PROGRESS_EVERY = 250


def folder() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(upload: ImportUpload, kind: str = "") -> Path:
    """The stored file (kind ""), the rejects of the preview ("preview-rejects") or of the run ("rejects")."""
    if not kind:
        return folder() / upload.stored_as
    return folder() / f"{upload.pk}-{kind}.csv"


def rejects_file(upload: ImportUpload) -> Path | None:
    kind = "rejects" if upload.status == ImportUpload.Status.DONE else "preview-rejects"
    path = path_of(upload, kind)
    return path if path.is_file() else None


def _mapping_text(mapping_file) -> str:
    """The uploaded mapping as text, checked whole; a ValidationError names the key that is wrong."""
    if mapping_file is None:
        raise ValidationError({"mapping": _("Ladda upp mappningsfilen som beskriver förteckningens kolumner.")})
    if mapping_file.size > MAPPING_MAX_BYTES:
        raise ValidationError({"mapping": _("Mappningsfilen är för stor (högst 64 kB).")})
    try:
        content = mapping_file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError({"mapping": _("Mappningsfilen är inte UTF-8.")}) from None
    try:
        parse_mapping(content)
    except MappingError as wrong:
        raise ValidationError({"mapping": _("Mappningsfilen: %(error)s") % {"error": wrong}}) from None
    return content


def receive(*, fmt: str, file, user, mapping_file=None) -> ImportUpload:
    """Stores an uploaded list and queues its dry run; refuses an unknown format, a wrong extension or size,
    and a mapping that is wrong (naming its key)."""
    mapping = ""
    if fmt == MAPPING:
        mapping = _mapping_text(mapping_file)
        expected = parse_mapping(mapping).extension
    elif fmt in FORMATS:
        expected = getattr(FORMATS[fmt], "extension", EXTENSIONS.get(fmt, ".csv"))
    else:
        raise ValidationError({"format": _("Välj ett av formaten i listan.")})
    if PurePath(file.name).suffix.lower() != expected:
        raise ValidationError(
            {"file": _("Formatet %(fmt)s läses från en %(ext)s-fil.") % {"fmt": fmt, "ext": expected}}
        )
    if file.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("Filen är för stor. Största storlek är %(max)s.")
                % {"max": filesizeformat(settings.IMPORT_MAX_BYTES)}
            }
        )
    with transaction.atomic():
        upload = ImportUpload.objects.create(
            format=fmt, file_name=PurePath(file.name).name[:255], by=user, mapping=mapping
        )
        upload.stored_as = f"{upload.pk}{expected}"
        with open(path_of(upload), "wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        upload.save(update_fields=["stored_as"])
        from .tasks import check_upload

        enqueue(check_upload, upload.pk)
    return upload


@transaction.atomic
def start(upload: ImportUpload) -> ImportUpload:
    """Queues the import of a checked list (once)."""
    upload = ImportUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ImportUpload.Status.CHECKED:
        raise ValidationError(_("Importen kan bara startas en gång, efter kontrollen."))
    if not sum(upload.preview.get(k, 0) for k in ("created", "updated", "unchanged")):
        raise ValidationError(_("Förteckningen har inga giltiga rader att importera."))
    upload.status = ImportUpload.Status.QUEUED
    upload.save(update_fields=["status"])
    from .tasks import run_upload

    enqueue(run_upload, upload.pk)
    return upload


class Progress:
    """Takes the Importer's per-row updates (the tqdm interface) and writes the count now and then."""

    def __init__(self, upload: ImportUpload):
        self.path, self.count = folder() / f"{upload.pk}.progress", 0
        self._write()

    def update(self, n=1):
        self.count += n
        if self.count % PROGRESS_EVERY == 0:
            self._write()

    def _write(self):
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(str(self.count))
        os.replace(tmp, self.path)


def progress(upload: ImportUpload) -> int:
    try:
        return int((folder() / f"{upload.pk}.progress").read_text() or 0)
    except (OSError, ValueError):
        return 0


def _first_rejects(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        for line in reader:
            if len(rows) >= PREVIEW_REJECTS:
                break
            rows.append({"row": line[0], "field": line[1], "message": line[2]})
    return rows


def _execute(upload_id: int, *, dry_run: bool):
    upload = ImportUpload.objects.select_related("by").get(pk=upload_id)
    kind = "preview-rejects" if dry_run else "rejects"
    mapping = parse_mapping(upload.mapping, label=upload.file_name) if upload.format == MAPPING else None
    importer = Importer(
        upload.format, path_of(upload), rejects_path=path_of(upload, kind), user=upload.by, mapping=mapping
    )
    importer.progress = Progress(upload)
    try:
        with set_actor(upload.by) if upload.by else nullcontext():
            result = importer.run(dry_run=dry_run)
    except ImportFailed as failed:
        ImportUpload.objects.filter(pk=upload.pk).update(
            status=ImportUpload.Status.FAILED, error="\n".join(failed.errors)
        )
        return upload.pk
    except Exception:  # an unreadable file must end as a message on the page, never as a stuck job
        log.exception("Import upload %s failed", upload.pk)
        ImportUpload.objects.filter(pk=upload.pk).update(
            status=ImportUpload.Status.FAILED,
            error=_("Filen kunde inte läsas som %(fmt)s. Inget sparades.") % {"fmt": upload.format},
        )
        return upload.pk
    importer.progress._write()
    figures = {**asdict(result), "rejects": _first_rejects(path_of(upload, kind))}
    if dry_run:
        ImportUpload.objects.filter(pk=upload.pk).update(status=ImportUpload.Status.CHECKED, preview=figures)
    else:
        ImportUpload.objects.filter(pk=upload.pk).update(
            status=ImportUpload.Status.DONE, result=figures, run=importer.run_record
        )
    return upload.pk


def check(upload_id: int):
    return _execute(upload_id, dry_run=True)


def run(upload_id: int):
    updated = ImportUpload.objects.filter(pk=upload_id, status=ImportUpload.Status.QUEUED).update(
        status=ImportUpload.Status.RUNNING
    )
    if updated:
        return _execute(upload_id, dry_run=False)
    return upload_id

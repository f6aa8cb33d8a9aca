"""Attachments: checked by type and size on the way in, served with safe headers on the way out.

Use on any FileField of any app:

    attachment = models.FileField(upload_to="bilagor/%Y/", validators=[validate_attachment])

and serve it only through `attachment_response(field_file)` after the view's own object-level check,
never from MEDIA_URL directly.
"""

import codecs
import re
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # tab, LF, FF, CR aside: no text file has them


def _is_pdf(file) -> bool:
    file.seek(0)
    if not file.read(8).startswith(b"%PDF-"):
        return False
    file.seek(max(file.size - 1024, 0))
    return b"%%EOF" in file.read()


def _is_png(file) -> bool:
    file.seek(0)
    head = file.read(16)
    return head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR"


def _is_jpeg(file) -> bool:
    file.seek(0)
    return file.read(3) == b"\xff\xd8\xff"


def _is_text(file) -> bool:
    """UTF-8 throughout, without control characters: the whole file, not just its start."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in iter(lambda: file.read(64 * 1024), b""):
            if CONTROL_BYTES.search(chunk):
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _office(member: str, mimetype: str | None = None):
    """An Office Open XML or OpenDocument file: a readable ZIP holding the part that makes it that kind."""

    def check(file) -> bool:
        file.seek(0)
        if file.read(4) != ZIP:
            return False
        file.seek(0)
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
                if member not in names:
                    return False
                return mimetype is None or archive.read("mimetype").decode("ascii", "replace").strip() == mimetype
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
            return False

    return check


ODT, ODS = "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet"
# extension → (content type, check of the content against it)
ALLOWED = {
    "pdf": ("application/pdf", _is_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _office("word/document.xml")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _office("xl/workbook.xml")),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _office("ppt/presentation.xml"),
    ),
    "odt": (ODT, _office("content.xml", ODT)),
    "ods": (ODS, _office("content.xml", ODS)),
    "png": ("image/png", _is_png),
    "jpg": ("image/jpeg", _is_jpeg),
    "jpeg": ("image/jpeg", _is_jpeg),
    "csv": ("text/csv", _is_text),
    "txt": ("text/plain", _is_text),
}


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def validate_attachment(file, types=None):
    """Refuses files that are too large, of a type not allowed (of `types`, a subset of ALLOWED's extensions,
    where given), or whose content does not match the name."""
    ext = extension(file.name)
    allowed = sorted(types or ALLOWED)
    if ext not in ALLOWED or ext not in allowed:
        raise ValidationError(
            _("Filtypen .%(ext)s är inte tillåten. Tillåtna filtyper: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(allowed)},
            code="file_type",
        )
    if file.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Filen är för stor (%(size)s). Största tillåtna storlek är %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="file_size",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        matches = ALLOWED[ext][1](file)
    finally:
        file.seek(position)
    if not matches:
        raise ValidationError(
            _("Filens innehåll stämmer inte med filtypen .%(ext)s.") % {"ext": ext}, code="file_content"
        )


def attachment_response(field_file, filename=None):
    """Serves a stored attachment as a download that no browser will render or run as a page."""
    name = filename or PurePath(field_file.name).name
    ext = extension(name)
    content_type = ALLOWED[ext][0] if ext in ALLOWED else "application/octet-stream"
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

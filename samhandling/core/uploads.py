"""Attachments: checked by type and size on the way in, served with safe headers on the way out.

Use on any FileField of any app:

    attachment = models.FileField(upload_to="bilagor/%Y/", validators=[validate_attachment])

and serve it only through `attachment_response(field_file)` after the view's own object-level check,
never from MEDIA_URL directly.
"""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
# extension → (content type, check of the first bytes)
ALLOWED = {
    "pdf": ("application/pdf", lambda head: head.startswith(b"%PDF-")),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", lambda h: h.startswith(ZIP)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", lambda h: h.startswith(ZIP)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", lambda h: h.startswith(ZIP)),
    "odt": ("application/vnd.oasis.opendocument.text", lambda h: h.startswith(ZIP)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", lambda h: h.startswith(ZIP)),
    "png": ("image/png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    "csv": ("text/csv", lambda h: _is_text(h)),
    "txt": ("text/plain", lambda h: _is_text(h)),
}
SNIFF_BYTES = 2048


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
        return exc.start >= len(head) - 3
    return True


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def validate_attachment(file):
    """Refuses files that are too large, of a type not allowed, or whose content does not match the name."""
    ext = extension(file.name)
    if ext not in ALLOWED:
        raise ValidationError(
            _("Filtypen .%(ext)s är inte tillåten. Tillåtna filtyper: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(sorted(ALLOWED))},
            code="file_type",
        )
    if file.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Filen är för stor (%(size)s). Största tillåtna storlek är %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)},
            code="file_size",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(position)
    if not ALLOWED[ext][1](head):
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

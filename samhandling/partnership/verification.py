"""Checking signed minutes: the stored original (CLI) and a PDF someone sends in (CLI and the public page).

Each signature is validated by pyHanko (integrity, coverage, certificate chain to the trust roots); the stored
minutes also have their content and PDF hashes recomputed and their signers compared with the signatories the
frozen content names. One line per signature, in Swedish, for people outside the system.
"""

from dataclasses import dataclass, field

from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from . import minutes, signing
from .models import Approval, Correction, Meeting, SignedMinutes


def _problems(check: signing.SignatureCheck) -> list[str]:
    found = []
    if check.problem:
        found.append(_("signaturen kunde inte läsas (%(e)s)") % {"e": check.problem})
        return found
    if not check.intact:
        found.append(_("innehållet har ändrats efter signeringen"))
    if not check.valid:
        found.append(_("signaturen är ogiltig"))
    if not check.trusted:
        found.append(_("certifikatet är obetrott: det kedjar inte till någon betrodd rot"))
    if not check.covers_revision:
        found.append(_("signaturen täcker inte hela dokumentet fram till sin revision"))
    if not check.unchanged_after:
        found.append(_("dokumentet har ändrats på ett otillåtet sätt efter signaturen"))
    return found


def signature_line(number: int, check: signing.SignatureCheck, extra: list[str] = ()) -> str:
    when = f"{localtime(check.signed_at):%Y-%m-%d %H:%M}" if check.signed_at else "?"
    who = _("Signatur %(n)s: %(name)s, %(role)s, %(reason)s %(when)s (svensk tid)") % {
        "n": number,
        "name": check.signer_name or "?",
        "role": check.role or "?",
        "reason": check.reason or "?",
        "when": when,
    }
    problems = _problems(check) + list(extra)
    if problems:
        return f"{who} – {_('FEL')}: " + "; ".join(problems)
    return f"{who} – {_('OK')} ({_('obruten, giltig och betrodd')}; {check.certificate})"


@dataclass
class Report:
    ok: bool
    lines: list[str] = field(default_factory=list)
    meeting: Meeting | None = None
    original: bool = False
    checks: list = field(default_factory=list)
    public: bool = False  # the signed public version rather than the full original


def _signature_lines(checks, expected: list[tuple[str, str]] | None) -> tuple[bool, list[str]]:
    """Lines per signature; with `expected` (name, role) the signers must be exactly the minutes' signatories."""
    ok, lines = bool(checks), []
    if not checks:
        lines.append(_("PDF-filen bär inga elektroniska underskrifter."))
    remaining = list(expected or [])
    for n, check in enumerate(checks, start=1):
        extra = []
        if expected is not None:
            match = next((e for e in remaining if e[0] == check.signer_name and e[1] in (None, check.role)), None)
            if match:
                remaining.remove(match)
            else:
                extra.append(_("undertecknaren är inte en av protokollets justerare eller sekreterare"))
        if n == len(checks) and not check.covers_file:
            extra.append(_("filen har tillägg efter den sista signaturen"))
        ok = ok and check.ok and not extra
        lines.append(signature_line(n, check, extra))
    for name, role in remaining:
        ok = False
        lines.append(_("Underskrift saknas: %(name)s (%(role)s)") % {"name": name, "role": role or "?"})
    return ok, lines


def expected_signers(content: dict) -> list[tuple[str, str]]:
    roles = dict(Approval.Role.choices)
    return [(s["name"], str(roles.get(s["role"], s["role"]))) for s in content.get("signatories", [])]


def verify_meeting(meeting: Meeting) -> Report:
    """The stored original: hashes, content against the records, and every signature and signer."""
    problems = minutes.verify(meeting)
    signed = getattr(meeting, "signed_minutes", None)
    lines = [f"- {p}" for p in problems]
    if signed is None:
        return Report(False, lines, meeting)
    checks = signing.check_pdf(bytes(signed.pdf))
    sig_ok, sig_lines = _signature_lines(checks, expected_signers(signed.content))
    if signed.public_pdf_sha256:
        p_ok, p_lines = _signature_lines(signing.check_pdf(bytes(signed.public_pdf)), expected_signers(signed.content))
        sig_ok = sig_ok and p_ok
        sig_lines += [f"{_('Offentlig version:')} {line}" for line in p_lines]
    for c in Correction.objects.filter(item__meeting=meeting).exclude(pdf_sha256="").select_related("item"):
        pdf = bytes(c.pdf)
        c_ok, c_lines = _signature_lines(signing.check_pdf(pdf), [(c.signed_by_name, None)])
        c_ok = c_ok and minutes.sha256(pdf) == c.pdf_sha256
        sig_ok = sig_ok and c_ok
        head = _("Rättelse till § %(n)s (%(d)s):") % {"n": c.item.number, "d": f"{c.signed_at:%Y-%m-%d}"}
        sig_lines += [f"{head} {line}" for line in c_lines]
    return Report(not problems and sig_ok, lines + sig_lines, meeting, True, checks)


def check_file(data: bytes) -> Report:
    """A PDF someone sends in: is it an unaltered signed original of which minutes, who signed and when.

    Raises signing.NotAPdf when the file cannot be read as a PDF.
    """
    checks = signing.check_pdf(data)
    digest = minutes.sha256(data)
    signed = SignedMinutes.objects.filter(pdf_sha256=digest).select_related("meeting").first()
    original = signed is not None and minutes.sha256(bytes(signed.pdf)) == digest
    public = (
        SignedMinutes.objects.filter(public_pdf_sha256=digest).select_related("meeting").first()
        if not original
        else None
    )
    if public is not None and minutes.sha256(bytes(public.public_pdf)) == digest:
        sig_ok, lines = _signature_lines(checks, expected_signers(public.content))
        head = _(
            "Filen är den oförändrade signerade offentliga versionen av protokoll %(code)s (%(p)s). "
            "Personuppgifter och paragrafer som inte är offentliga är utelämnade ur den; "
            "det fullständiga originalet finns hos sekretariatet."
        ) % {"code": public.meeting.code, "p": public.content.get("partnership", "")}
        return Report(sig_ok, [head, *lines], public.meeting, True, checks, public=True)
    if original:
        sig_ok, lines = _signature_lines(checks, expected_signers(signed.content))
        head = _("Filen är det oförändrade signerade originalet av protokoll %(code)s (%(p)s).") % {
            "code": signed.meeting.code,
            "p": signed.content.get("partnership", ""),
        }
        return Report(sig_ok, [head, *lines], signed.meeting, True, checks)
    _sig_ok, lines = _signature_lines(checks, None)
    head = _(
        "Filen är inte ett oförändrat signerat original av något protokoll i Samhandling: "
        "den stämmer inte byte för byte med något signerat original."
    )
    return Report(False, [head, *lines], None, False, checks)

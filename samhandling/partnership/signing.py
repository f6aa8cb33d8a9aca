"""Electronic signatures (PAdES) on the minutes' PDF, and their validation: pyHanko does all PDF and CMS work.

One small interface, `PdfSigner.sign(pdf, request) -> pdf`: it adds one incremental PAdES signature on behalf
of one signatory. Which implementation signs is configuration (`signer()`):

- `SAMHANDLING_SIGNING_PKCS12` (+ `_PASSWORD`): the partnership's signing certificate in a PKCS#12 file;
- `SAMHANDLING_SIGNING_PKCS11_MODULE` (+ `_TOKEN`, `_KEY_LABEL`, `_CERT_LABEL`, `_PIN`): the same on a token;
- neither, outside production: the demo's own small CA under var/demo-signing/, which issues one certificate per
  signatory at first use (named as demo in every certificate).

An external e-signing service (BankID-style) is another implementation of the same interface: docs/signing.md.
Validation trusts `SAMHANDLING_SIGNING_TRUST_ROOTS` (PEM/DER files, separated by os.pathsep) plus, outside
production, the demo CA. `SAMHANDLING_TSA_URL` adds an RFC 3161 time stamp to each signature.
"""

import asyncio
import fcntl
import io
import os
import re
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_CA_NAME = "Samhandling DEMO-CA (endast för demo, ingen verklig identitet)"
DEMO_ORG = "Samhandling demo (inte för verklig användning)"


@dataclass(frozen=True)
class SignatureRequest:
    """Who signs, in which role and why; `field` names the PDF signature field (one per signatory)."""

    person_name: str
    role: str  # as shown: "Ordförande", "Justerare", "Sekreterare"
    reason: str  # "Justerat" or "Signerat"
    field: str


class PdfSigner(Protocol):
    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        """The PDF with one more incremental PAdES signature; earlier revisions stay byte for byte."""


def field_name(number: int, role: str, person_name: str) -> str:
    """'Signatur-1-Ordforande-Michaela-Haga': ASCII, no periods (PDF field names are dotted paths)."""
    text = unicodedata.normalize("NFKD", f"{role} {person_name}").encode("ascii", "ignore").decode()
    return f"Signatur-{number}-" + "-".join(re.findall(r"[A-Za-z0-9]+", text))


def _sync(fn, *args, **kwargs):
    """pyHanko's synchronous calls run their own event loop; where one already runs in this thread (an ASGI
    server, Playwright's sync API) they go to a worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def _timestamper():
    url = getattr(settings, "SIGNING_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)


def sign_with(cms_signer, pdf: bytes, request: SignatureRequest) -> bytes:
    """One incremental PAdES signature by a pyHanko CMS signer (shared by every key-holding implementation)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.ades.api import CAdESSignedAttrSpec, SignerAttrSpec

    meta = signers.PdfSignatureMetadata(
        field_name=request.field,
        reason=request.reason,
        name=request.person_name,
        location=request.role,  # also in the signature dictionary, for readers that show only /Location
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        cades_signed_attr_spec=CAdESSignedAttrSpec(
            signer_attributes=SignerAttrSpec(claimed_attrs=[role_attribute(request.role)], certified_attrs=[])
        ),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = _sync(signers.PdfSigner(meta, signer=cms_signer, timestamper=_timestamper()).sign_pdf, writer)
    return out.getvalue()


def role_attribute(role: str):
    """The signer's role as a claimed X.509 `role` attribute in the CAdES signer-attributes-v2 signed attribute
    (ETSI EN 319 122-1 5.2.6.1): inside the signed data, so it cannot be changed without breaking the signature."""
    from asn1crypto import cms, x509

    name = x509.GeneralName(name="directory_name", value=x509.Name.build({"common_name": role}))
    return cms.AttCertAttribute({"type": "role", "values": [cms.RoleSyntax({"role_name": name})]})


def claimed_roles(status) -> list[str]:
    """The roles a validated signature claims in its signed attributes (empty for signatures without them)."""
    attrs = getattr(status, "cades_signer_attrs", None)
    if attrs is None or "role" not in attrs.claimed_attrs:
        return []
    roles = []
    for value in attrs.claimed_attrs["role"].attr_values:
        name = value["role_name"].chosen.native
        roles.append(name.get("common_name", "") if isinstance(name, dict) else str(name))
    return roles


class KeyFileSigner:
    """The partnership's own certificate (PKCS#12 file) signs for every signatory, who is named in the signature."""

    def __init__(self, path: str, password: str = ""):
        from pyhanko.sign import signers

        self.cms = signers.SimpleSigner.load_pkcs12(path, passphrase=password.encode() or None)
        if self.cms is None:
            raise ImproperlyConfigured(f"SAMHANDLING_SIGNING_PKCS12: {path} could not be read")

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        return sign_with(self.cms, pdf, request)


class TokenSigner:
    """The same on a PKCS#11 token or HSM (needs python-pkcs11: pip install 'pyHanko[pkcs11]')."""

    def __init__(self, module: str, token: str, key_label: str, cert_label: str, pin: str):
        self.args = (module, token, key_label, cert_label or key_label, pin)

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11

        module, token, key_label, cert_label, pin = self.args
        session = pkcs11.open_pkcs11_session(module, token_criteria=TokenCriteria(label=token), user_pin=pin)
        try:
            cms = pkcs11.PKCS11Signer(session, cert_label=cert_label, key_label=key_label)
            return sign_with(cms, pdf, request)
        finally:
            session.close()


class DemoSigner:
    """The demo's CA issues each signatory a certificate of their own at first use (files under var/)."""

    def __init__(self, folder: Path):
        self.ca = DemoCA(folder)

    def sign(self, pdf: bytes, request: SignatureRequest) -> bytes:
        from pyhanko.sign import signers

        key, cert = self.ca.person(request.person_name)
        cms = signers.SimpleSigner.load(str(key), str(cert), ca_chain_files=(str(self.ca.cert_path),))
        return sign_with(cms, pdf, request)


class DemoCA:
    """A small certificate authority for the demo, made with `cryptography`; never a trust root in production."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.cert_path = folder / "demo-ca.pem"
        self.key_path = folder / "demo-ca.key"

    def _locked(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        handle = open(self.folder / ".lock", "w")
        fcntl.flock(handle, fcntl.LOCK_EX)  # parallel test workers and server processes make one CA, not two
        return handle

    def ensure(self):
        if self.cert_path.exists():
            return
        with self._locked():
            if not self.cert_path.exists():
                key = _new_key()
                cert = _certificate(DEMO_CA_NAME, key, key.public_key(), None, ca=True)
                _write(self.key_path, _key_pem(key))
                _write(self.cert_path, _cert_pem(cert))

    def person(self, name: str) -> tuple[Path, Path]:
        """(key file, certificate file) of one signatory, issued on first use."""
        self.ensure()
        stem = "-".join(
            re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode())
        )
        key_path, cert_path = self.folder / f"demo-{stem}.key", self.folder / f"demo-{stem}.pem"
        if cert_path.exists():
            return key_path, cert_path
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        with self._locked():
            if not cert_path.exists():
                ca_key = serialization.load_pem_private_key(self.key_path.read_bytes(), None)
                ca_cert = x509.load_pem_x509_certificate(self.cert_path.read_bytes())
                key = _new_key()
                cert = _certificate(f"{name} (demo)", key, key.public_key(), (ca_key, ca_cert), ca=False)
                _write(key_path, _key_pem(key))
                _write(cert_path, _cert_pem(cert))
        return key_path, cert_path


def _new_key():
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _certificate(common_name, key, public_key, issuer, *, ca: bool):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORG),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    issuer_key, issuer_cert = issuer if issuer else (key, None)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))  # the demo's meetings lie in the past
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = (
            builder.add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _key_pem(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _cert_pem(cert) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return cert.public_bytes(serialization.Encoding.PEM)


def _write(path: Path, data: bytes):
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.chmod(tmp, 0o600)
    tmp.replace(path)


def demo_folder() -> Path:
    return Path(settings.VAR_DIR) / "demo-signing"


def signer() -> PdfSigner:
    """The configured implementation (see the module docstring)."""
    if settings.SIGNING_PKCS12:
        return KeyFileSigner(settings.SIGNING_PKCS12, settings.SIGNING_PKCS12_PASSWORD)
    if settings.SIGNING_PKCS11_MODULE:
        s = settings
        return TokenSigner(
            s.SIGNING_PKCS11_MODULE,
            s.SIGNING_PKCS11_TOKEN,
            s.SIGNING_PKCS11_KEY_LABEL,
            s.SIGNING_PKCS11_CERT_LABEL,
            s.SIGNING_PKCS11_PIN,
        )
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "No signing key: set SAMHANDLING_SIGNING_PKCS12 or SAMHANDLING_SIGNING_PKCS11_MODULE."
        )
    return DemoSigner(demo_folder())


# --- validation -----------------------------------------------------------------------------------------


def trust_roots() -> list:
    """The configured roots, plus the demo CA outside production (created if missing, so checks are stable)."""
    from pyhanko.keys import load_cert_from_pemder

    roots = [load_cert_from_pemder(p) for p in settings.SIGNING_TRUST_ROOTS]
    if not settings.PRODUCTION:
        ca = DemoCA(demo_folder())
        ca.ensure()
        roots.append(load_cert_from_pemder(str(ca.cert_path)))
    return roots


@dataclass
class SignatureCheck:
    """One embedded signature as validated: integrity, coverage, chain of trust, and who/when/why."""

    field: str
    signer_name: str  # the /Name the signature carries
    certificate: str  # the signing certificate's subject
    role: str
    reason: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_revision: bool
    covers_file: bool
    unchanged_after: bool  # nothing but further signatures was added after it
    problem: str = ""
    role_signed: bool = False  # the role comes from the signed attributes (signer-attributes-v2), not /Location

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_revision and self.unchanged_after


class NotAPdf(ValueError):
    """The file is not a PDF that can be read."""


def check_pdf(data: bytes) -> list[SignatureCheck]:
    """Every signature in the PDF, validated against the trust roots (no network fetching of revocation data)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko_certvalidator import ValidationContext

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise NotAPdf("not a PDF")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise NotAPdf(str(exc)) from exc
    roots = trust_roots()
    results = []
    for sig in embedded:
        obj = sig.sig_object
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = _sync(validate_pdf_signature, sig, signer_validation_context=context)
        except Exception as exc:  # a malformed signature is a failed check, never a crash of the caller
            results.append(
                SignatureCheck(
                    sig.field_name,
                    str(obj.get("/Name", "")),
                    "",
                    str(obj.get("/Location", "")),
                    str(obj.get("/Reason", "")),
                    None,
                    False,
                    False,
                    False,
                    False,
                    False,
                    False,
                    problem=str(exc) or type(exc).__name__,
                )
            )
            continue
        level = status.modification_level
        signed_roles = claimed_roles(status)
        results.append(
            SignatureCheck(
                field=sig.field_name,
                signer_name=str(obj.get("/Name", "")),
                certificate=status.signing_cert.subject.human_friendly,
                role=signed_roles[0] if signed_roles else str(obj.get("/Location", "")),
                reason=str(obj.get("/Reason", "")),
                signed_at=status.signer_reported_dt,
                role_signed=bool(signed_roles),
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                covers_revision=status.coverage
                in (SignatureCoverageLevel.ENTIRE_REVISION, SignatureCoverageLevel.ENTIRE_FILE),
                covers_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                unchanged_after=level is None or level <= ModificationLevel.FORM_FILLING,
            )
        )
    return results


@dataclass
class EmbeddedSignature:
    """A signature as the PDF states it (not validated): for showing who signed, in which role and when."""

    signer_name: str
    role: str
    reason: str
    signed_at: datetime | None


def _embedded_role(embedded) -> str:
    """The role in the signature's signed attributes (signer-attributes-v2), as the signer claimed it."""
    from pyhanko.sign.general import find_unique_cms_attribute

    try:
        attrs = find_unique_cms_attribute(embedded.signer_info["signed_attrs"], "signer_attributes_v2")
        for attr in attrs["claimed_attributes"]:
            if attr["type"].native == "role":
                name = attr["values"][0]["role_name"].chosen.native
                return name.get("common_name", "") if isinstance(name, dict) else str(name)
    except Exception:  # no such attribute, or one this code does not read: the dictionary's /Location stands
        return ""
    return ""


def read_signatures(data: bytes) -> list[EmbeddedSignature]:
    """The signatures a PDF carries, in signing order, read from the file itself (cached per file digest)."""
    import hashlib

    from django.core.cache import cache
    from pyhanko.pdf_utils.reader import PdfFileReader

    key = "pdf-signatures:" + hashlib.sha256(data).hexdigest()
    found = cache.get(key)
    if found is None:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        found = [
            EmbeddedSignature(
                str(s.sig_object.get("/Name", "")),
                _embedded_role(s) or str(s.sig_object.get("/Location", "")),
                str(s.sig_object.get("/Reason", "")),
                s.self_reported_timestamp,
            )
            for s in reader.embedded_signatures
        ]
        cache.set(key, found, 24 * 3600)
    return found

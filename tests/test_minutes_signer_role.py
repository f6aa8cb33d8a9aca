"""The signer's role is part of the signature itself (a claimed role in CAdES signer-attributes-v2, inside the
signed attributes) and is what verify, the check page and the meeting page show."""

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import find_unique_cms_attribute

from samhandling.partnership import signing
from samhandling.partnership.models import SignedMinutes


@pytest.fixture
def signed(demo) -> SignedMinutes:
    return SignedMinutes.objects.select_related("meeting").get(meeting__year=2026, meeting__number=1)


def signed_roles(pdf: bytes) -> list[str]:
    """Read straight from each signature's CMS signed attributes, independently of the code under test."""
    roles = []
    for sig in PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures:
        attrs = find_unique_cms_attribute(sig.signer_info["signed_attrs"], "signer_attributes_v2")
        role = next(a for a in attrs["claimed_attributes"] if a["type"].native == "role")
        roles.append(role["values"][0]["role_name"].chosen.native["common_name"])
    return roles


def test_role_is_a_signed_attribute_of_each_signature(signed):
    assert signed_roles(bytes(signed.pdf)) == ["Ordförande", "Justerare"]
    assert signed_roles(bytes(signed.public_pdf)) == ["Ordförande", "Justerare"]
    checks = signing.check_pdf(bytes(signed.pdf))
    assert [(c.role, c.role_signed) for c in checks] == [("Ordförande", True), ("Justerare", True)]


def test_verify_check_page_and_meeting_page_show_the_signed_role(signed, client, capsys):
    call_command("minutes", "verify", "1/2026")
    out = capsys.readouterr().out
    assert "Michaela Haga, Ordförande, Justerat" in out and "Daniel Forslund, Justerare, Justerat" in out
    upload = SimpleUploadedFile("p.pdf", bytes(signed.pdf), content_type="application/pdf")
    page = client.post("/protokoll/kontrollera/", {"file": upload}).content.decode()
    assert "Daniel Forslund, Justerare, Justerat" in page
    assert "<td>Justerare</td>" in client.get("/sammantraden/2026/1/").content.decode()


def test_a_signature_without_the_role_attribute_is_read_from_location_only(settings, tmp_path):
    """Signatures made elsewhere (no signer attributes) still show the /Location, marked as not signed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    from pypdf import PdfWriter

    key, cert = signing.DemoCA(signing.demo_folder()).person("Extern Person")
    cms = signers.SimpleSigner.load(str(key), str(cert))
    meta = signers.PdfSignatureMetadata(
        field_name="Sig1", location="Ordförande", subfilter=fields.SigSeedSubFilter.PADES
    )
    blank = PdfWriter()
    blank.add_blank_page(200, 200)
    buffer = io.BytesIO()
    blank.write(buffer)
    pdf = buffer.getvalue()
    # pyHanko's synchronous call runs its own event loop: in a thread of its own, in case a browser test in this
    # worker left one running here.
    with ThreadPoolExecutor(1) as pool:
        signed = pool.submit(signers.PdfSigner(meta, signer=cms).sign_pdf, IncrementalPdfFileWriter(io.BytesIO(pdf)))
        out = signed.result().getvalue()
    check = signing.check_pdf(out)[0]
    assert check.role == "Ordförande" and not check.role_signed


def test_secretary_signs_from_the_meeting_page_when_the_rules_say_so(demo, client, make_user):
    from datetime import date

    from samhandling.partnership import services
    from samhandling.partnership.models import Approval, Meeting, Person, RulesOfProcedure

    first = Meeting.objects.get(year=2026, number=1)
    meeting = services.create_meeting(first.partnership, date=date.today(), chair=first.chair)
    meeting.secretary = Person.objects.create(name="Sara Sekreterare")
    meeting.save()
    services.set_status(meeting, Meeting.Status.HELD)
    services.set_status(meeting, Meeting.Status.MINUTES_DRAFTED)
    user = make_user("sara", "secretariat")
    Person.objects.filter(pk=meeting.secretary_id).update(user=user)
    client.force_login(user)
    page = f"/sammantraden/{meeting.year}/{meeting.number}/"
    assert "Justera protokollet" not in client.get(page).content.decode()  # the rules do not have her sign
    RulesOfProcedure.objects.update_or_create(partnership=meeting.partnership, defaults={"secretary_signs": True})
    assert "Justera protokollet" in client.get(page).content.decode()
    client.post(page + "justera/", {})
    approval = Approval.objects.get(meeting=meeting)
    assert approval.role == Approval.Role.SECRETARY and approval.signed_at

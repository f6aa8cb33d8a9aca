"""Browser: the public page 'Kontrollera ett protokoll' with the demo's signed minutes 1/2026, and the item page of
minutes with its several forms (unique ids, every field labelled). axe-core clean, operable by keyboard."""

import pytest
from playwright.sync_api import expect

from samhandling.access.roles import Role
from samhandling.partnership.models import SignedMinutes

pytestmark = pytest.mark.browser


def test_public_check_page_identifies_the_signed_original(
    page, live_demo, tmp_path, assert_no_axe_violations, assert_keyboard_operable
):
    original = tmp_path / "protokoll-1-2026.pdf"
    original.write_bytes(bytes(SignedMinutes.objects.get(meeting__year=2026, meeting__number=1).pdf))
    page.goto("/sammantraden/")
    page.get_by_role("link", name="Kontrollera ett protokoll").click()
    page.get_by_role("heading", name="Kontrollera ett protokoll").wait_for()
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)
    page.get_by_label("Protokoll som PDF").set_input_files(str(original))
    page.get_by_role("button", name="Kontrollera").click()
    page.get_by_role("heading", name="Äkta och oförändrat").wait_for()
    expect(page.get_by_text("Michaela Haga, Ordförande, Justerat")).to_be_visible()
    assert_no_axe_violations(page)

    text = tmp_path / "inte.pdf"
    text.write_text("inte en pdf")
    page.get_by_label("Protokoll som PDF").set_input_files(str(text))
    page.get_by_role("button", name="Kontrollera").click()
    page.get_by_text("Filen är inte en PDF").wait_for()
    assert page.get_by_label("Protokoll som PDF").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)


def test_item_page_forms_have_unique_ids_and_labels(page, live_demo, login_as, make_user, assert_no_axe_violations):
    from samhandling.partnership.models import Meeting

    meeting = Meeting.objects.get(year=2026, number=1)
    item = meeting.items.get(number=9)
    login_as(page, make_user("sekreterare", Role.SECRETARIAT))
    page.goto(f"/sammantraden/2026/1/paragrafer/{item.pk}/")
    page.get_by_role("heading", name="Omröstning").wait_for()
    ids = page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    unlabelled = page.eval_on_selector_all(
        "select, textarea, input:not([type=hidden]):not([type=submit])",
        "els => els.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)",
    )
    assert unlabelled == []
    assert_no_axe_violations(page)

"""Issue 20 over HTTP: form errors at their fields and linked, styled error pages, the accessibility statement,
reference data in English, and errors that name the field's label rather than the parameter."""

import re

import pytest
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.assessment.models import SelectionCriterion

pytestmark = pytest.mark.django_db


def _ids(html):
    return set(re.findall(r'\sid="([^"]+)"', html))


def assert_references_exist(html):
    ids = _ids(html)
    for attr in ("aria-describedby", "aria-labelledby", "for"):
        for value in re.findall(rf'\s{attr}="([^"]*)"', html):
            for ref in value.split():
                assert ref in ids, f'{attr}="{ref}" points at no element'
    duplicates = [i for i in ids if len(re.findall(rf'\sid="{re.escape(i)}"', html)) > 1]
    assert not duplicates, duplicates


def test_application_form_shows_each_error_at_its_field_and_marks_required_fields(client, demo, make_user, open_call):
    call = open_call("A.1")
    client.force_login(make_user("sokande-a11y", Role.APPLICANT))
    url = reverse("calls:apply", args=[call.pk])
    page = client.get(url).content.decode()
    assert 'id="id_name"' in page and 'aria-required="true"' in page and 'class="required-mark"' in page
    assert "data-filter-list" in page and 'type="checkbox" name="municipalities"' in page  # not a 290-row select
    assert 'id="id_partners_helptext"' in page and 'aria-describedby="id_partners_helptext"' in page
    assert_references_exist(page)

    response = client.post(url, {"name": "Projekt", "amount_applied": "många", "submit": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in page and 'href="#id_amount_applied"' in page
    field = re.search(r'<input[^>]*name="amount_applied"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and "id_amount_applied_error" in field
    error = re.search(r'id="id_amount_applied_error">([^<]+)<', page).group(1)
    assert "Sökt belopp" in error
    assert_references_exist(page)


def test_project_bank_error_names_the_label_next_to_the_field_and_the_api_names_the_parameter(client, demo):
    response = client.get("/projekt/", {"amount_min": "abc"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Från (kr): måste vara ett belopp" in page and "amount_min:" not in page
    assert 'aria-invalid="true" aria-describedby="amount_min_error"' in page and 'id="amount_min_error"' in page
    assert 'value="abc"' in page and 'id="result-count"' in page  # the results without the bad value
    htmx = client.get("/projekt/", {"amount_min": "abc"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400 and "Från (kr)" in htmx.content.decode()
    api = client.get("/api/v1/projects", {"amount_min": "abc"})
    assert api.status_code == 400 and "amount_min" in api.content.decode()


@pytest.mark.parametrize(
    "language, not_found, forbidden, back",
    [
        ("sv", "Sidan finns inte", "Du saknar behörighet", "Till startsidan"),
        ("en", "Page not found", "Access denied", "To the start page"),
    ],
)
def test_error_pages_are_styled_translated_and_lead_back(client, demo, make_user, language, not_found, forbidden, back):
    client.cookies["django_language"] = language
    response = client.get("/finns-inte/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}"' in page and f"<title>{not_found} (404) – Samhandling</title>" in page
    assert 'class="site-header"' in page and back in page
    client.force_login(make_user("sokande-403", Role.APPLICANT))
    response = client.get("/import/")
    page = response.content.decode()
    assert response.status_code == 403 and f"<title>{forbidden} (403) – Samhandling</title>" in page
    assert f'<html lang="{language}"' in page and back in page
    # htmx gets the message alone, aimed at the page's message region (site.js shows 4xx answers)
    htmx = client.get("/import/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403 and htmx["HX-Retarget"] == "#messages" and "<html" not in htmx.content.decode()


def test_server_error_page_is_styled(client, demo, settings):
    from samhandling.core.views import server_error

    response = server_error(client.get("/").wsgi_request)
    page = response.content.decode()
    assert response.status_code == 500 and "<title>Något gick fel (500) – Samhandling</title>" in page
    assert 'class="site-header"' in page


def test_accessibility_statement_is_linked_from_every_page_in_both_languages(client, demo):
    home = client.get("/").content.decode()
    assert 'href="/tillganglighet/"' in home
    page = client.get("/tillganglighet/").content.decode()
    assert "<h1>Tillgänglighetsredogörelse</h1>" in page and "Kända brister" in page and 'id="kontakt"' in page
    client.cookies["django_language"] = "en"
    page = client.get("/tillganglighet/").content.decode()
    assert "<h1>Accessibility statement</h1>" in page and "Known shortcomings" in page


def test_login_page_carries_the_product_name_and_the_language_switch_names_itself(client, demo):
    page = client.get("/logga-in/").content.decode()
    assert "<title>Logga in – Samhandling</title>" in page
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in page
    client.cookies["django_language"] = "en"
    page = client.get("/logga-in/").content.decode()
    assert '<button type="submit" name="language" value="sv" lang="sv">Svenska</button>' in page


def test_reference_data_in_english_and_swedish_text_marked_as_swedish(client, demo, make_user, open_call):
    call = open_call("A.1")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("calls:detail", args=[call.pk])).content.decode()
    assert "Skills development of the employed" in page and "European Social Fund Plus" in page
    criterion = SelectionCriterion.objects.order_by("number").first()
    criterion.name_en = ""
    criterion.save()
    client.force_login(make_user("sokande-en", Role.APPLICANT))
    page = client.get(reverse("calls:apply", args=[call.pk])).content.decode()
    assert f'1. <span lang="sv">{criterion.name}</span>' in page  # no English name: read as Swedish
    assert "2. Added value and relevance for the target group" in page
    opendata = client.get("/oppna-data/").content.decode()
    assert "The beneficiary&#x27;s name" in opendata or "The beneficiary's name" in opendata

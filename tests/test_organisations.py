"""Organisation numbers are checked (format and Luhn check digit) wherever an organisation is entered."""

import pytest
from django.core.exceptions import ValidationError

from samhandling.projects.models import Organisation
from samhandling.projects.validators import normalise_org_number


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("232100-0016", "232100-0016"),
        ("2321000016", "232100-0016"),
        ("16232100-0016", "232100-0016"),
        (" 212000-0142 ", "212000-0142"),
    ],
)
def test_valid_numbers_are_normalised(raw, expected):
    assert normalise_org_number(raw) == expected


@pytest.mark.parametrize(
    "raw,message",
    [
        ("232100-0017", "kontrollsiffra"),
        ("23210-0016", "tio siffror"),
        ("abcdef-ghij", "tio siffror"),
    ],
)
def test_invalid_numbers_are_refused_with_reason(raw, message):
    with pytest.raises(ValidationError, match=message):
        normalise_org_number(raw)


def test_admin_form_refuses_bad_check_digit_and_stores_nothing(admin_client):
    resp = admin_client.post(
        "/admin/projects/organisation/add/",
        {
            "name": "Testbolaget AB",
            "org_number": "556036-0794",
            "sector": "company",
            "country": "SE",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert resp.status_code == 200
    assert "kontrollsiffra" in resp.content.decode()
    assert not Organisation.objects.exists()


def test_admin_form_accepts_valid_number(admin_client):
    resp = admin_client.post(
        "/admin/projects/organisation/add/",
        {
            "name": "Region Stockholm",
            "org_number": "2321000016",
            "sector": "region",
            "country": "SE",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert resp.status_code == 302
    assert Organisation.objects.get().org_number == "232100-0016"


def test_api_withholds_sole_trader_numbers(client, db):
    Organisation.objects.create(name="Region Stockholm", org_number="232100-0016", sector="region")
    Organisation.objects.create(name="Enskild firma", org_number="800101-0019", sector="company")
    items = {o["name"]: o for o in client.get("/api/v1/organisations").json()["items"]}
    assert items["Region Stockholm"]["org_number"] == "232100-0016"
    assert items["Enskild firma"]["org_number"] is None

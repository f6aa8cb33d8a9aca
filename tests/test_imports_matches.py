"""Fuzzy organisation matches wait for the secretariat (through the page), and hostile file contents stay text."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.imports.models import ImportRun, MatchProposal
from samhandling.projects.models import Organisation, OrganisationAlias, Project

from test_imports_rules import art49_row, write_art49

HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "Robert'); DROP TABLE projects_project; --",
    "1 OR 1=1; SELECT * FROM auth_user",
    "\u202eevil\u202c \u200b\u200d zero-width, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🇸🇪 e\u0301\u0301\u0301 " + "ﷺ" * 40 + " ä" * 50,
]


@pytest.fixture
def matched(tmp_path):
    """An existing organisation, and an import naming it slightly differently."""
    existing = Organisation.objects.create(name="Region Västerbotten")
    path = write_art49(tmp_path / "lista.csv", [art49_row(1, beneficiary_name="Regionen Västerbotten")])
    call_command("import", "art49-csv", str(path))
    return existing, path


@pytest.mark.django_db
def test_a_fuzzy_match_is_proposed_never_merged(matched):
    existing, _path = matched
    project = Project.objects.get(source_id="op-1")
    assert project.applicant != existing and project.applicant.name == "Regionen Västerbotten"
    proposal = MatchProposal.objects.get()
    assert (proposal.candidate, proposal.new_organisation, proposal.status) == (
        existing,
        project.applicant,
        MatchProposal.Status.PENDING,
    )
    assert 88 <= proposal.score < 100
    assert ImportRun.objects.get().proposals == 1


@pytest.mark.django_db
def test_the_secretariat_confirms_a_match_on_the_page(client, make_user, matched):
    existing, path = matched
    proposal = MatchProposal.objects.get()
    duplicate = proposal.new_organisation
    client.force_login(make_user("sara", Role.SECRETARIAT))
    page = client.get(reverse("imports:matches"))
    assert page.status_code == 200 and "Regionen Västerbotten" in page.content.decode()
    response = client.post(reverse("imports:matches"), {"proposal": proposal.pk, "action": "confirm"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.CONFIRMED and proposal.decided_by.username == "sara"
    assert Project.objects.get(source_id="op-1").applicant == existing
    assert OrganisationAlias.objects.get().organisation == existing
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    # The same file again: the alias finds the organisation, nothing changes and nothing is proposed.
    call_command("import", "art49-csv", str(path))
    run = ImportRun.objects.order_by("id").last()
    assert (run.created, run.updated, run.unchanged, run.proposals) == (0, 0, 1, 0)


@pytest.mark.django_db
def test_a_rejected_match_keeps_the_organisations_apart_and_is_not_proposed_again(client, make_user, matched, tmp_path):
    existing, _path = matched
    proposal = MatchProposal.objects.get()
    client.force_login(make_user("sara", Role.SECRETARIAT))
    client.post(reverse("imports:matches"), {"proposal": proposal.pk, "action": "reject"})
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.REJECTED
    assert Project.objects.get(source_id="op-1").applicant == proposal.new_organisation != existing
    # Another file with the same name, after the first organisation is gone: the pair stays rejected.
    other = write_art49(
        tmp_path / "andra.csv", [art49_row(2, source="annan", beneficiary_name="Regionen Västerbotten")]
    )
    call_command("import", "art49-csv", str(other))
    assert MatchProposal.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.APPLICANT, Role.ASSESSOR])
def test_others_may_neither_see_nor_decide_matches(client, make_user, matched, role):
    proposal = MatchProposal.objects.get()
    if role:
        client.force_login(make_user("annan", role))
    for response in (
        client.get(reverse("imports:matches")),
        client.get(reverse("imports:history")),
        client.post(reverse("imports:matches"), {"proposal": proposal.pk, "action": "confirm"}),
    ):
        assert response.status_code == 403 or (
            role is None and response.status_code == 302 and response["Location"].startswith(reverse("login"))
        )
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.PENDING


@pytest.mark.django_db
def test_hostile_strings_are_stored_verbatim_and_shown_escaped(client, make_user, tmp_path):
    for text in HOSTILE[:5]:
        Organisation.objects.create(name=f"{text} förening")
    rows = [
        art49_row(
            n,
            operation_name=text,
            beneficiary_name=f"{text} föreningen",
            purpose_and_achievements=text,
            location_indicator=text[:500],
        )
        for n, text in enumerate(HOSTILE)
    ]
    call_command("import", "art49-csv", str(write_art49(tmp_path / "fientlig.csv", rows)))
    for n, text in enumerate(HOSTILE):
        project = Project.objects.get(source_id=f"op-{n}")
        assert (project.name, project.summary) == (text, text)
        assert project.applicant.name == f"{text} föreningen"
    assert MatchProposal.objects.count() >= 3
    # A failing import whose file name and bad value are hostile: the report is shown escaped too.
    name = '"><img src=x onerror=alert(2)>.csv'
    with pytest.raises(CommandError):
        call_command("import", "art49-csv", str(write_art49(tmp_path / name, [art49_row(9, eu_amount="<b>1</b>")])))

    client.force_login(make_user("sara", Role.SECRETARIAT))
    for url in (reverse("imports:matches"), reverse("imports:history")):
        html = client.get(url).content.decode()
        for raw in (
            '<script>alert("x")</script>',
            "<img src=x onerror=alert(1)>",
            "<img src=x onerror=alert(2)>",
            "<b>1</b>",
            "' onmouseover='alert(1)",
        ):
            assert raw not in html
    matches = client.get(reverse("imports:matches")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; föreningen" in matches
    history = client.get(reverse("imports:history")).content.decode()
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.csv" in history and "&lt;b&gt;1&lt;/b&gt;" in history


@pytest.mark.django_db
def test_the_import_pages_in_english(client, make_user, matched):
    client.force_login(make_user("sara", Role.SECRETARIAT))
    assert (
        "Organisations to match" in client.get(reverse("imports:matches"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "Import history" in client.get(reverse("imports:history"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

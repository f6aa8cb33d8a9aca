"""Project ideas through HTTP: registration, visibility, matching, and ideas that became applications."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from samhandling.access.roles import Role
from samhandling.calls.models import Call, CallObjective
from samhandling.mobilisation.models import OrganisationUser, ProjectIdea
from samhandling.portfolio.models import Theme
from samhandling.programmes.models import Fund, SpecificObjective
from samhandling.projects.models import County, Organisation, Project

S = Organisation.Sector


def org_user(make_user, username, org_name, sector=S.REGION, *roles):
    user = make_user(username, Role.APPLICANT, *roles)
    organisation = Organisation.objects.create(name=org_name, sector=sector)
    OrganisationUser.objects.create(user=user, organisation=organisation)
    return user, organisation


def idea_form(**overrides):
    data = {
        "title": "Cybersäkerhet hos små leverantörer",
        "target_groups": "Små och medelstora företag",
        "description": "Testbädd och kompetenshöjning i cybersäkerhet och robust kommunikation för små företag.",
        "budget_min": "2000000",
        "budget_max": "6000000",
        "partner_sectors": ["university"],
        "partner_countries": ["EE", "FI"],
        "partner_competence": "Testmiljöer",
        "seeks_transnational": "on",
    }
    data.update(overrides)
    return data


def test_register_idea_requires_login_and_an_organisation(client, make_user, demo):
    response = client.get(reverse("mobilisation:idea-new"))
    assert response.status_code == 302 and reverse("login") in response["Location"]

    user = make_user("ny", Role.APPLICANT)
    client.force_login(user)
    response = client.get(reverse("mobilisation:idea-new"))
    assert response.status_code == 302 and reverse("mobilisation:organisation") in response["Location"]

    response = client.post(
        reverse("mobilisation:organisation"),
        {"name": "Region Stockholm", "org_number": "", "sector": "region", "country": "SE"},
    )
    assert response.status_code == 302
    assert not OrganisationUser.objects.filter(user=user).exists(), "an existing organisation needs approval"
    link_request = user.organisation_requests.get()
    assert link_request.organisation == Organisation.objects.get(org_number="232100-0016"), "existing one reused"


def test_register_idea_validation_errors_then_success(client, make_user):
    user, organisation = org_user(make_user, "anna", "Testkommunen", S.MUNICIPALITY)
    client.force_login(user)
    before = ProjectIdea.objects.count()

    response = client.post(reverse("mobilisation:idea-new"), idea_form(title="", budget_min="9000000"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Rubrik: ange en rubrik för idén." in text
    assert "Budget till får inte vara lägre än budget från." in text
    assert ProjectIdea.objects.count() == before

    response = client.post(reverse("mobilisation:idea-new"), idea_form(partner_countries=["SE"]))
    assert response.status_code == 400
    assert "minst ett land utanför Sverige" in response.content.decode()

    theme = Theme.objects.create(name="Beredskap och dubbla användningsområden")
    county = County.objects.get(code="01")
    response = client.post(reverse("mobilisation:idea-new"), idea_form(themes=[theme.pk], counties=[county.pk]))
    assert response.status_code == 302
    idea = ProjectIdea.objects.get(title="Cybersäkerhet hos små leverantörer")
    assert idea.organisation == organisation and idea.created_by == user
    assert idea.partner_countries == ["EE", "FI"] and idea.seeks_transnational and not idea.is_public
    assert list(idea.themes.all()) == [theme] and list(idea.counties.all()) == [county]
    page = client.get(response["Location"]).content.decode()
    assert "Cybersäkerhet hos små leverantörer" in page and "Estland" in page


def test_visibility_public_and_private_ideas(client, make_user, demo):
    owner, organisation = org_user(make_user, "agare", "Ägarorganisationen")
    public = ProjectIdea.objects.create(
        organisation=organisation, title="Öppen idé om cirkulär ekonomi", description="x", is_public=True
    )
    private = ProjectIdea.objects.create(
        organisation=organisation, title="Intern idé om kompetens", description="x", is_public=False
    )

    anonymous = client.get(reverse("mobilisation:ideas")).content.decode()
    assert public.title in anonymous and private.title not in anonymous
    assert client.get(reverse("mobilisation:ideas"), {"theme": "abc", "county": "x"}).status_code == 200
    filtered = client.get(reverse("mobilisation:ideas"), {"q": "cirkulär"}).content.decode()
    assert public.title in filtered
    assert client.get(reverse("mobilisation:idea", args=[private.pk])).status_code == 404
    assert client.get(reverse("mobilisation:idea-matches", args=[private.pk])).status_code == 404
    assert client.get(reverse("mobilisation:idea", args=[public.pk])).status_code == 200

    plain = make_user("utan-org", Role.APPLICANT)
    client.force_login(plain)
    assert private.title not in client.get(reverse("mobilisation:ideas")).content.decode()

    other, _ = org_user(make_user, "annan", "Annan organisation")
    client.force_login(other)
    assert private.title in client.get(reverse("mobilisation:ideas")).content.decode()
    assert client.get(reverse("mobilisation:idea", args=[private.pk])).status_code == 200
    # Seeing is not editing: only the owner's organisation changes an idea.
    assert client.post(reverse("mobilisation:idea-edit", args=[private.pk]), idea_form()).status_code == 403
    private.refresh_from_db()
    assert private.title == "Intern idé om kompetens"

    client.force_login(owner)
    response = client.post(
        reverse("mobilisation:idea-edit", args=[private.pk]),
        idea_form(title="Intern idé, omarbetad", version=private.version),
    )
    assert response.status_code == 302
    private.refresh_from_db()
    assert private.title == "Intern idé, omarbetad"
    stale = client.post(
        reverse("mobilisation:idea-edit", args=[private.pk]),
        idea_form(title="Gammal kopia", version=private.version - 1),
    )
    assert stale.status_code == 400 and "ändrats av någon annan" in stale.content.decode()


def make_call(number, status, title, orientation, *, closes_in_days=30, objective="1.7"):
    fund = Fund.objects.get(code="ERUF")
    today = timezone.localdate()
    call = Call.objects.create(
        fund=fund,
        year=today.year,
        number=number,
        status=status,
        title=title,
        orientation=orientation,
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=closes_in_days),
    )
    CallObjective.objects.create(
        call=call, objective=SpecificObjective.objects.filter(code=objective).first(), amount=1_000_000
    )
    return call


def granted(name, summary, applicant, *partners, country="SE", source="samhandling"):
    project = Project.objects.create(
        name=name,
        summary=summary,
        applicant=applicant,
        fund=Fund.objects.get(code="ERUF"),
        status=Project.Status.GRANTED,
        country=country,
        source=source,
    )
    project.partners.set(partners)
    return project


def test_matching_lists_calls_with_reasons_similar_projects_and_partners(client, make_user, demo):
    user, organisation = org_user(make_user, "matcha", "Idébolaget", S.COMPANY)
    fits = make_call(
        41,
        Call.Status.OPEN,
        "Försvarsförmåga",
        "Cybersäkerhet och robust kommunikation. Testbäddar och demonstrationsmiljöer för små och medelstora företag.",
    )
    upcoming = make_call(42, Call.Status.APPROVED, "Beredskap", "Kompetenshöjning i cybersäkerhet.", closes_in_days=120)
    make_call(43, Call.Status.OPEN, "Cirkulär ekonomi", "Industriell symbios och upphandling.")
    closed = make_call(44, Call.Status.OPEN, "Gammal cybersäkerhet", "Cybersäkerhet.", closes_in_days=-1)
    draft = make_call(45, Call.Status.ORIENTATION_DRAFT, "Utkast om cybersäkerhet", "Cybersäkerhet testbäddar.")

    university = Organisation.objects.create(name="Tallinna Tehnikaülikool", sector=S.UNIVERSITY, country="EE")
    agency = Organisation.objects.create(name="Säkerhetsmyndigheten", sector=S.STATE_AGENCY)
    foreign = granted(
        "Cyber Range for SMEs",
        "Cybersäkerheten hos små företag prövas i en testbädd.",
        university,
        country="EE",
        source="keep.eu",
    )
    swedish = granted(
        "Robust kommunikation i länet", "Små företag och myndigheter övar cybersäkerhet.", agency, university
    )
    unrelated = granted("Skolnärvaro", "Socialtjänst och skola minskar frånvaron.", agency)
    Project.objects.create(
        name="Avslagen cybersäkerhet",
        summary="Cybersäkerhet små företag testbädd.",
        fund=Fund.objects.get(code="ERUF"),
        status=Project.Status.REJECTED,
    )

    idea = ProjectIdea.objects.create(
        organisation=organisation,
        title="Testbädd för cybersäkerhet",
        is_public=True,
        description="Små företag prövar cybersäkerhet i en testbädd.",
        partner_sectors=["university"],
        partner_countries=["EE"],
        seeks_transnational=True,
    )
    idea.themes.add(Theme.objects.get(name="Beredskap och dubbla användningsområden"))

    response = client.get(reverse("mobilisation:idea-matches", args=[idea.pk]))
    assert response.status_code == 200
    matches = response.context["matches"]
    calls = [m.call for m in matches.calls]
    assert calls[:2] == [fits, upcoming] or set(calls[:2]) == {fits, upcoming}
    assert closed not in calls and draft not in calls
    best = matches.calls[0]
    assert "cybersäkerhet" in best.words and "Beredskap och dubbla användningsområden" in best.themes
    page = response.content.decode()
    assert "Gemensamma ord" in page and "cybersäkerhet" in page

    projects = [m.project for m in matches.projects]
    assert set(projects[:2]) == {foreign, swedish}, "Swedish and imported foreign projects both found"
    assert unrelated not in projects and all(p.is_granted for p in projects)

    partners = {s.organisation: s for s in matches.partners}
    assert organisation not in partners
    assert matches.partners[0].organisation == university, "wished sector and country first"
    assert set(partners[university].evidence) == {foreign, swedish}
    assert {"önskad sektor", "önskat land", "transnationell part"} <= set(partners[university].wishes)
    assert "Tallinna Tehnikaülikool" in page and "Cyber Range for SMEs" in page


def test_matching_follows_every_write_as_the_search_does(client, make_user, demo):
    """Matching reads the search's own index: a project granted, withdrawn or granted again is matched
    at once, and a rebuild of the index changes nothing."""
    from samhandling.core.background import run_pending
    from samhandling.projectbank.tasks import rebuild_indexes

    _, organisation = org_user(make_user, "index", "Indexbolaget")
    idea = ProjectIdea.objects.create(
        organisation=organisation,
        title="Biogas i jordbruket",
        is_public=True,
        description="Biogas från gödsel på gårdar.",
    )
    url = reverse("mobilisation:idea-matches", args=[idea.pk])
    assert client.get(url).context["matches"].projects == []

    project = granted("Gårdsbiogas", "Biogas av gödsel på mjölkgårdar.", organisation)
    assert [m.project for m in client.get(url).context["matches"].projects] == [project]

    project.status = Project.Status.WITHDRAWN
    project.save()
    assert client.get(url).context["matches"].projects == []

    project.status = Project.Status.GRANTED
    project.save()
    rebuild_indexes.enqueue()
    run_pending()
    matches = client.get(url).context["matches"].projects
    assert [m.project for m in matches] == [project] and 0 < matches[0].score <= 1
    assert {"biogas", "gödsel"} <= set(matches[0].words)


def test_ideas_that_became_applications_for_the_secretariat(client, make_user, demo):
    owner, organisation = org_user(make_user, "sokande", "Sökande AB", S.COMPANY)
    call = make_call(46, Call.Status.CLOSED, "Stängd utlysning", "Cirkulär ekonomi", closes_in_days=-5)
    application = Project.objects.create(
        name="Ansökan om symbios", applicant=organisation, call=call, fund=call.fund, status=Project.Status.SUBMITTED
    )
    other = Project.objects.create(
        name="Annans ansökan",
        applicant=Organisation.objects.create(name="X"),
        call=call,
        fund=call.fund,
        status=Project.Status.SUBMITTED,
    )
    idea = ProjectIdea.objects.create(organisation=organisation, title="Symbios i hamnen", description="x")

    client.force_login(owner)
    response = client.post(reverse("mobilisation:idea-application", args=[idea.pk]), {"application": other.pk})
    idea.refresh_from_db()
    assert idea.application is None, "only the idea's own organisation's applications can be linked"

    secretariat = make_user("sekr", Role.SECRETARIAT)
    client.force_login(secretariat)
    outcome = client.get(reverse("mobilisation:outcomes")).content.decode()
    assert "Symbios i hamnen" in outcome and "ej kopplad" in outcome

    client.force_login(owner)
    assert client.get(reverse("mobilisation:outcomes")).status_code == 403
    response = client.post(reverse("mobilisation:idea-application", args=[idea.pk]), {"application": application.pk})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.application == application

    client.force_login(secretariat)
    outcome = client.get(reverse("mobilisation:outcomes")).content.decode()
    assert "Ansökan om symbios" in outcome and "1 idéer blev ansökningar av 2 ansökningar" in outcome

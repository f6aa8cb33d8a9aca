"""Assessment with jäv, aggregation, the exact prioritisation, the decision in the minutes and the grant."""

import itertools
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.assessment import optimise, services
from samhandling.assessment.models import Assessment
from samhandling.calls import applications
from samhandling.calls import services as call_services
from samhandling.calls.models import Call, PartnershipMode
from samhandling.partnership.models import ConflictOfInterest, Item, Meeting, Membership, Person, PersonTie
from samhandling.partnership.selectors import current_partnership, votes_at
from samhandling.programmes.models import ProgrammePeriod
from samhandling.programmes.selectors import balance
from samhandling.projects.models import Organisation, Project

from test_calls_applications import application_data, objective, open_call


@pytest.fixture
def setup(demo, make_user):
    """An open ESF+ call with 2 000 000 kr in A.1, three submitted applications and two assessors (binding mode)."""
    PartnershipMode.objects.filter(period=ProgrammePeriod.objects.get(start_year=2021)).update(
        mode=PartnershipMode.Mode.BINDING_PRIORITISATION
    )
    call = open_call(amounts=(("A.1", 2_000_000),))
    owner = make_user("sokande", Role.APPLICANT)
    apps = [
        applications.create_and_submit(
            call=call, owner=owner, data=application_data(name=name, amount_applied=amount, cofinancing=amount)
        )
        for name, amount in [("Alfa", "1000000"), ("Beta", "1000000"), ("Gamma", "1500000")]
    ]
    a1, a2 = make_user("bedomare1", Role.ASSESSOR), make_user("bedomare2", Role.ASSESSOR)
    call.assessors.add(a1, a2)
    secretariat = make_user("sek", Role.SECRETARIAT)
    # the call closes on purpose before its closing date, with the reason recorded, so it can be prioritised
    call = call_services.change_status(
        call, Call.Status.CLOSED, by=secretariat, reason="Alla ansökningar har kommit in"
    )
    return {"call": call, "apps": apps, "assessors": (a1, a2), "secretariat": secretariat}


def score_all(application, assessor, values):
    services.save_assessment(
        application,
        assessor,
        complete=True,
        private_note="Min hemliga tanke",
        scores={n: (v, f"Motivering {n}") for n, v in enumerate(values, start=1)},
    )


def test_assessor_scores_through_the_form_and_motivation_is_required(client, setup):
    app, (a1, _) = setup["apps"][0], setup["assessors"]
    client.force_login(a1)
    assert "Alfa" in client.get(reverse("assessment:mine")).content.decode()
    url = reverse("assessment:score", args=[app.pk])
    form = {f"score_{n}": "4" for n in range(1, 6)} | {f"motivation_{n}": "Väl beskrivet" for n in range(1, 6)}
    bad = client.post(url, {**form, "motivation_3": "", "complete": "1"})
    assert bad.status_code == 400 and "Kriterium 3: skriv en motivering" in bad.content.decode()
    bad = client.post(url, {**form, "score_2": "6", "complete": "1"})
    assert "1–5" in bad.content.decode()
    assert client.post(url, {**form, "complete": "1"}).status_code == 302
    assessment = Assessment.objects.get(application=app, assessor=a1)
    assert assessment.completed_at and assessment.scores.count() == 5


def test_aggregation_mean_spread_total_and_flagged_disagreement(client, setup):
    app, (a1, a2) = setup["apps"][0], setup["assessors"]
    score_all(app, a1, [5, 4, 4, 3, 2])
    score_all(app, a2, [1, 4, 5, 3, 2])
    client.force_login(setup["secretariat"])
    html = client.get(reverse("assessment:call", args=[setup["call"].pk])).content.decode()
    assert "Oenighet kriterium 1 (spridning 4)" in html and "Oenighet kriterium 3" not in html
    assert "Min hemliga tanke" not in html
    from samhandling.assessment.selectors import aggregate

    result = next(r for r in aggregate(setup["call"]) if r.application == app)
    assert [c.mean for c in result.criteria] == [3, 4, Decimal("4.5"), 3, 2] and result.total == Decimal("16.5")
    assert [c.spread for c in result.criteria] == [4, 0, 1, 0, 0]


def test_jav_blocks_assessment_and_decision_and_shows_in_the_minutes(client, setup):
    call, (alfa, beta, gamma), (a1, a2) = setup["call"], setup["apps"], setup["assessors"]
    partner = Organisation.objects.get(name="Södertörns högskola")
    tied = Person.objects.create(name="Bedömare Ett", user=a1)
    PersonTie.objects.create(person=tied, organisation=partner, kind=PersonTie.Kind.BOARD)
    client.force_login(a1)
    assert "Jävig" in client.get(reverse("assessment:mine")).content.decode()
    assert client.get(reverse("assessment:score", args=[alfa.pk])).status_code == 403
    assert ConflictOfInterest.objects.filter(application=alfa, person=tied, stage="assessment", item=None).exists()
    with pytest.raises(Exception, match="jävig"):
        score_all(alfa, a1, [5] * 5)
    member = Membership.objects.get(person__name="Nils Ekedahl").person
    PersonTie.objects.create(person=member, organisation=partner, kind=PersonTie.Kind.EMPLOYMENT)
    for app, values in [(alfa, [5] * 5), (beta, [4] * 5), (gamma, [3] * 5)]:
        score_all(app, a2, values)
    prioritisation = services.propose_prioritisation(call)
    meeting = Meeting.objects.create(partnership=current_partnership(), year=2026, number=7, date="2026-11-20")
    item = Item.objects.create(meeting=meeting, number=5, title="Prioritering")
    services.write_decision(prioritisation, item)
    conflicts = ConflictOfInterest.objects.filter(item=item, person=member, stage="decision")
    assert {c.application for c in conflicts} == {alfa, beta, gamma}
    assert all("Södertörns högskola" in c.reason and "Anställning" in c.reason for c in conflicts)
    assert member in votes_at(item).conflicted


def test_decision_points_in_the_meeting_item(client, setup):
    call, (alfa, beta, gamma), (a1, _) = setup["call"], setup["apps"], setup["assessors"]
    for app, values in [(alfa, [5] * 5), (beta, [4] * 5), (gamma, [3] * 5)]:
        score_all(app, a1, values)
    client.force_login(setup["secretariat"])
    client.post(reverse("assessment:prioritise", args=[call.pk]))
    meeting = Meeting.objects.create(partnership=current_partnership(), year=2026, number=8, date="2026-12-01")
    item = Item.objects.create(meeting=meeting, number=4, title="Prioritering ESF+")
    assert client.post(reverse("assessment:decide", args=[call.pk]), {"item": item.pk}).status_code == 302
    texts = list(item.decision_points.order_by("number").values_list("text", "outcome", "amount"))
    assert texts[0] == (
        "Ansökan ”Alfa” (Stockholms stad), specifikt mål A.1, prioriteras med 1\u00a0000\u00a0000\u00a0kr.",
        "prioritised",
        Decimal("1000000.00"),
    )
    assert texts[2][0].endswith("prioriteras inte.") and texts[2][1] == "not_prioritised"
    gamma.refresh_from_db()
    assert gamma.status == Project.Status.NOT_PRIORITISED


def test_quality_floor_moves_with_reason_and_unallocated(client, setup):
    call, (alfa, beta, gamma), (a1, _) = setup["call"], setup["apps"], setup["assessors"]
    call.min_quality = Decimal("3")
    call.save()
    score_all(alfa, a1, [3] * 5)
    score_all(beta, a1, [5, 5, 5, 5, 2])
    score_all(gamma, a1, [4] * 5)
    p = services.propose_prioritisation(call)
    chosen = {e.application.name: e for e in p.entries.all()}
    assert chosen["Gamma"].prioritised and not chosen["Alfa"].prioritised and not chosen["Beta"].eligible
    with pytest.raises(ValidationError, match="Skäl"):
        services.move(chosen["Alfa"], prioritised=True, reason=" ", by=setup["secretariat"])
    with pytest.raises(ValidationError, match="A.1 räcker inte"):
        services.move(chosen["Alfa"], prioritised=True, reason="Strategiskt viktig", by=setup["secretariat"])
    client.force_login(setup["secretariat"])
    client.post(
        reverse("assessment:move", args=[chosen["Gamma"].pk]), {"prioritised": "0", "reason": "Dubblerar annat projekt"}
    )
    client.post(reverse("assessment:move", args=[chosen["Alfa"].pk]), {"prioritised": "1", "reason": "Högst kvalitet"})
    from samhandling.assessment.selectors import unallocated

    assert unallocated(p)[0]["remaining"] == Decimal("1000000")
    html = client.get(reverse("assessment:call", args=[call.pk])).content.decode()
    assert "Dubblerar annat projekt" in html and "1\u00a0000\u00a0000\u00a0kr" in html


def test_grant_moves_money_from_reserved_to_granted(client, setup):
    call, (alfa, beta, gamma), (a1, _) = setup["call"], setup["apps"], setup["assessors"]
    client.force_login(setup["secretariat"])
    url = reverse("assessment:grant", args=[alfa.pk])
    refused = client.post(url, {"amount": "950000", "decided_on": "2026-12-10"})
    assert refused.status_code == 400 and "prioriterats i ett beslut" in refused.content.decode()
    for app, values in [(alfa, [5] * 5), (beta, [4] * 5), (gamma, [3] * 5)]:
        score_all(app, a1, values)
    client.post(reverse("assessment:prioritise", args=[call.pk]))
    meeting = Meeting.objects.create(partnership=current_partnership(), year=2026, number=8, date="2026-12-01")
    item = Item.objects.create(meeting=meeting, number=4, title="Prioritering ESF+")
    client.post(reverse("assessment:decide", args=[call.pk]), {"item": item.pk})
    assert url in client.get(reverse("assessment:call", args=[call.pk])).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Registrera beslut om stöd" in page.content.decode()
    before = balance(objective("A.1"))
    response = client.post(url, {"amount": "950000", "decided_on": "2026-12-10"})
    assert response.status_code == 302
    after = balance(objective("A.1"))
    assert after.reserved == before.reserved - Decimal("950000")
    assert after.granted == before.granted + Decimal("950000")
    assert after.remaining_to_call == before.remaining_to_call
    alfa.refresh_from_db()
    assert alfa.status == Project.Status.GRANTED and alfa.amount_granted == Decimal("950000")
    with pytest.raises(ValidationError, match="redan beviljad"):
        services.register_grant(alfa, 1, decided_on=alfa.decision_date)


def test_new_law_mode_gives_prioritisation_to_the_managing_authority(client, setup, make_user):
    PartnershipMode.objects.update(mode=PartnershipMode.Mode.CALL_ORIENTATION)
    call = setup["call"]
    client.force_login(setup["secretariat"])
    assert client.post(reverse("assessment:prioritise", args=[call.pk])).status_code == 403
    client.force_login(make_user("ma", Role.MA_OFFICER))
    assert client.post(reverse("assessment:prioritise", args=[call.pk])).status_code == 302
    client.force_login(make_user("ledamot", Role.MEMBER))
    html = client.get(reverse("assessment:call", args=[call.pk])).content.decode()
    assert "partnerskapet tar del av utfallet" in html and "Föreslå prioritering" not in html
    assert client.post(reverse("assessment:prioritise", args=[call.pk])).status_code == 403


def _brute_force(candidates, budgets):
    best = -1.0
    for r in range(len(candidates) + 1):
        for combo in itertools.combinations(candidates, r):
            if all(sum(c.amount for c in combo if c.group == g) <= b for g, b in budgets.items()) and all(
                c.group in budgets for c in combo
            ):
                value = sum(c.quality for c in combo)
                if value > best + 1e-9:
                    best = value
    return best


@pytest.mark.parametrize("seed", range(12))
def test_optimiser_matches_brute_force_on_small_cases(seed):
    rng = random.Random(seed)
    budgets = {"1.1": Decimal(rng.randint(2, 6) * 500_000), "1.3": Decimal(rng.randint(2, 6) * 500_000)}
    candidates = [
        optimise.Candidate(
            i, rng.choice(list(budgets)), Decimal(rng.randint(1, 8) * 250_000), round(rng.uniform(5, 25), 2)
        )
        for i in range(10)
    ]
    chosen = optimise.optimal(candidates, budgets)
    value = sum(c.quality for c in candidates if c.key in chosen)
    for g, b in budgets.items():
        assert sum(c.amount for c in candidates if c.key in chosen and c.group == g) <= b
    assert value == pytest.approx(_brute_force(candidates, budgets))
    greedy = sum(c.quality for c in candidates if c.key in optimise.greedy(candidates, budgets))
    assert value >= greedy - 1e-9

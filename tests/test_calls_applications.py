"""Calls, their lifecycle and budget, and applications through the web form, the API and the import."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from samhandling.access.roles import Role
from samhandling.calls import applications, services
from samhandling.calls.models import Call, CallObjective, CallPlan, CallStrand
from samhandling.partnership.models import Item, Meeting
from samhandling.partnership.selectors import current_partnership
from samhandling.programmes.models import SpecificObjective
from samhandling.programmes.selectors import balance
from samhandling.programmes.services import BudgetError
from samhandling.projects.models import Project

TODAY = timezone.localdate


def objective(code):
    return SpecificObjective.objects.get(code=code, programme__period__start_year=2021)


def open_call(fund="ESF+", number=9, amounts=(("A.1", 5_000_000),), strands=None, pre_study=False, **rules):
    """A call on the demo objectives, open from yesterday to next week, opened through the service.

    `strands`: [(name, {rules}, [codes])]; plain rules (max_support, cofinancing_share) make one strand over all
    the call's objectives; without either the call has no strand and no rules.
    """
    call = Call.objects.create(
        fund=objective(amounts[0][0]).fund,
        year=TODAY().year,
        number=number,
        status=Call.Status.APPROVED,
        opens_on=TODAY() - timedelta(days=1),
        closes_on=TODAY() + timedelta(days=7),
    )
    for code, amount in amounts:
        CallObjective.objects.create(call=call, objective=objective(code), amount=amount)
    if rules or pre_study:
        kind = CallStrand.Kind.PRE_STUDY if pre_study else CallStrand.Kind.IMPLEMENTATION
        strands = [("Förstudier" if pre_study else "Projekt", {"kind": kind, **rules}, [c for c, _ in amounts])]
    for order, (name, strand_rules, codes) in enumerate(strands or []):
        strand = CallStrand.objects.create(call=call, name=name, order=order, **strand_rules)
        strand.objectives.set([objective(c) for c in codes])
    return services.change_status(call, Call.Status.OPEN)


def application_data(**overrides):
    data = {
        "name": "Kompetenslyft i äldreomsorgen",
        "summary": "Förstudie om kompetens i äldreomsorgen.",
        "applicant_name": "Stockholms stad",
        "applicant_org_number": "212000-0142",
        "partners": [{"name": "Södertörns högskola", "org_number": "202100-4896"}],
        "objective": "A.1",
        "amount_applied": "900000",
        "cofinancing": "800000",
        "start_date": "2027-01-01",
        "end_date": "2027-06-30",
        "target_group": "Undersköterskor",
        "planned_participants": "40",
        "counties": ["01"],
        "municipalities": ["0180"],
        "criterion_texts": {str(n): f"Text för kriterium {n}" for n in range(1, 6)},
    }
    data.update(overrides)
    return data


def test_public_call_list_and_page(client, demo):
    html = client.get(reverse("calls:list")).content.decode()
    assert reverse("calls:list") == "/utlysningar/"
    assert "ERUF 2026:2" in html and "ERUF 2026:3" in html and "ESF+ 2026:2" in html
    eruf = Call.objects.get(fund__code="ERUF", year=2026, number=2)
    page = client.get(reverse("calls:detail", args=[eruf.pk])).content.decode()
    assert "Cybersäkerhet" in page and "Livsmedelsberedskap" in page and "34\u00a0500\u00a0000\u00a0kr" in page
    assert len(eruf.call_objectives.get().focus_area_list) == 6
    esf = Call.objects.get(fund__code="ESF+", year=2026, number=2)
    assert "1\u00a0004\u00a0400\u00a0kr" in client.get(reverse("calls:detail", args=[esf.pk])).content.decode()
    draft = Call.objects.create(fund=esf.fund, year=2027, number=1)
    assert client.get(reverse("calls:detail", args=[draft.pk])).status_code == 404
    assert "2027:1" not in client.get("/utlysningar/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Specific objectives" in client.get(reverse("calls:detail", args=[eruf.pk])).content.decode()


def test_demo_calls_are_approved_at_the_items_of_minutes_1_2026(demo):
    meeting = Meeting.objects.get(partnership=current_partnership(), year=2026, number=1)
    eight, nine = (Item.objects.get(meeting=meeting, number=n) for n in (8, 9))
    assert Call.objects.get(fund__code="ERUF", year=2026, number=2).approved_at == eight
    assert Call.objects.get(fund__code="ERUF", year=2026, number=3).approved_at == eight
    assert Call.objects.get(fund__code="ESF+", year=2026, number=2).approved_at == nine
    call_command("demo")
    assert Call.objects.filter(year=2026).count() == 4


def test_opening_the_demo_calls_reserves_their_amounts(demo, make_user):
    """The demo opens ERUF 2026:2 and ESF+ 2026:2; 2026:3 waits for 2026:1 until a decision lifts the condition."""
    b = balance(objective("1.7"))
    assert b.reserved == Decimal("34500000") and b.remaining_to_call == 0
    assert balance(objective("A.1")).remaining_to_call == Decimal("119000000")
    later = Call.objects.get(fund__code="ERUF", year=2026, number=3)
    with pytest.raises(ValidationError, match="2026:1"):
        services.change_status(later, Call.Status.OPEN)
    meeting = Meeting.objects.create(partnership=current_partnership(), year=2026, number=9, date=TODAY())
    item = Item.objects.create(meeting=meeting, number=3, title="Utlysning 2026:3")
    services.lift_condition(later, item=item, reason="Medlen räcker enligt Tillväxtverket")
    services.change_status(later, Call.Status.OPEN)
    assert balance(objective("1.3")).remaining_to_call == 0


def test_a_call_beyond_the_budget_is_refused_with_objective_and_shortfall(demo):
    with pytest.raises(BudgetError) as exc:
        open_call(fund="ERUF", amounts=(("2.6", 5_000_000), ("1.7", 40_000_000)))
    # the demo has opened ERUF 2026:2, which reserved all of 1.7
    assert "1.7" in exc.value.messages[0] and "40\u00a0000\u00a0000\u00a0kr" in exc.value.messages[0]
    assert (
        balance(objective("2.6")).reserved == 0 and not Call.objects.filter(number=9, status=Call.Status.OPEN).exists()
    )


def test_conditional_objective_is_not_held_when_the_earlier_call_exhausted_it(demo):
    open_call(fund="ERUF", number=5, amounts=(("1.1", 30_000_000),))  # spends what 1.1 had left
    earlier = Call.objects.get(fund__code="ERUF", year=2026, number=1)
    meeting = Meeting.objects.create(partnership=current_partnership(), year=2026, number=9, date=TODAY())
    item = Item.objects.create(meeting=meeting, number=3, title="Beslut 2026:1")
    services.change_status(earlier, Call.Status.ASSESSED)
    services.change_status(earlier, Call.Status.DECIDED, item=item)
    later = Call.objects.get(fund__code="ERUF", year=2026, number=3)
    services.change_status(later, Call.Status.OPEN)
    held = {co.objective.code: co.held for co in later.call_objectives.all()}
    assert held == {"1.1": False, "1.3": True, "2.6": True}
    assert balance(objective("1.3")).reserved == Decimal("32300000")


def test_lifecycle_needs_the_approving_item_and_refuses_skipping(demo):
    call = Call.objects.create(fund=objective("A.2").fund, year=2027, number=1)
    with pytest.raises(ValidationError, match="kan inte gå från"):
        services.change_status(call, Call.Status.OPEN)
    services.change_status(call, Call.Status.PROPOSED)
    services.change_status(call, Call.Status.PARTNERSHIP_OPINION)
    with pytest.raises(ValidationError, match="paragraf"):
        services.change_status(call, Call.Status.APPROVED)


def test_call_plan_changes_make_a_new_version(demo):
    plan = CallPlan.objects.get(fund__code="ERUF", year=2026, version=1)
    new = services.revise_call_plan(
        plan, reason="2026:3 flyttas", entries=[{"number": 3, "objective": objective("2.6"), "amount": 20_000_000}]
    )
    assert new.version == 2 and plan.entries.count() == 6 and new.entries.count() == 1


def test_applicant_drafts_submits_and_cannot_edit_afterwards(client, demo, make_user):
    call = open_call(max_support=Decimal("1004400"), cofinancing_share=Decimal("0.46"), pre_study=True)
    client.force_login(make_user("sokande", Role.APPLICANT))
    form = {k: v for k, v in application_data().items() if k not in ("partners", "criterion_texts")}
    form.update(
        {f"criterion_{n}": f"Text {n}" for n in range(1, 6)}, partners="Södertörns högskola; 202100-4896", save="1"
    )
    form["criterion_5"] = ""
    response = client.post(reverse("calls:apply", args=[call.pk]), form)
    app = Project.objects.get(owner__username="sokande")
    assert response.status_code == 302 and app.status == Project.Status.DRAFT
    response = client.post(reverse("calls:application", args=[app.pk]), {**form, "submit": "1"})
    assert response.status_code == 400 and "kriterium 5" in response.content.decode()
    form["criterion_5"] = "Text 5"
    client.post(reverse("calls:application", args=[app.pk]), {**form, "submit": "1"})
    app.refresh_from_db()
    assert app.status == Project.Status.SUBMITTED and app.submitted_at and app.partners.count() == 1
    assert list(app.counties.values_list("code", flat=True)) == ["01"]
    assert client.post(reverse("calls:application", args=[app.pk]), form).status_code == 403
    client.force_login(make_user("annan", Role.APPLICANT))
    assert client.get(reverse("calls:application", args=[app.pk])).status_code == 404
    assert "Kompetenslyft" not in client.get(reverse("calls:my-applications")).content.decode()


def test_late_early_and_incomplete_submissions_are_refused_with_the_reason(demo, make_user):
    call = open_call()
    user = make_user("s", Role.APPLICANT)
    app = applications.save_draft(call=call, owner=user, data=application_data(target_group=""))
    with pytest.raises(ValidationError) as exc:
        applications.submit(app, by=user)
    assert "Målgrupp" in exc.value.message_dict["target_group"][0]
    app = applications.save_draft(call=call, owner=user, data=application_data(), application=app)
    with pytest.raises(ValidationError, match="för sent"):
        applications.submit(app, by=user, at=timezone.now() + timedelta(days=8))
    with pytest.raises(ValidationError, match="öppnar först"):
        applications.submit(app, by=user, at=timezone.now() - timedelta(days=2))
    assert applications.submit(app, by=user).status == Project.Status.SUBMITTED


def test_support_cofinancing_and_organisation_numbers_are_checked(demo, make_user):
    call = open_call(max_support=Decimal("1004400"), cofinancing_share=Decimal("0.46"))
    user = make_user("s", Role.APPLICANT)
    with pytest.raises(ValidationError) as exc:
        applications.create_and_submit(call=call, owner=user, data=application_data(amount_applied="1004401"))
    assert "1\u00a0004\u00a0400\u00a0kr" in exc.value.message_dict["amount_applied"][0]
    with pytest.raises(ValidationError) as exc:
        applications.create_and_submit(call=call, owner=user, data=application_data(cofinancing="600000"))
    assert "46 %" in exc.value.message_dict["cofinancing"][0] and "40 %" in exc.value.message_dict["cofinancing"][0]
    with pytest.raises(ValidationError) as exc:
        applications.create_and_submit(call=call, owner=user, data=application_data(applicant_org_number="212000-0143"))
    assert "kontrollsiffra" in exc.value.message_dict["applicant_org_number"][0]
    with pytest.raises(ValidationError) as exc:
        applications.create_and_submit(call=call, owner=user, data=application_data(objective="1.7"))
    assert "1.7" in exc.value.message_dict["objective"][0]
    assert not Project.objects.filter(call=call).exists()


def test_calls_api_is_public_with_rules_and_objectives(client, demo):
    rows = {f"{r['fund']} {r['code']}": r for r in client.get("/api/v1/calls").json()}
    esf = rows["ESF+ 2026:2"]
    pre = next(s for s in esf["strands"] if s["name"] == "Förstudier A.1")
    assert pre["max_support"] == 1004400 and float(pre["cofinancing_share"]) == 0.46 and pre["kind"] == "pre_study"
    assert {o["code"] for o in esf["objectives"]} == {"A.1", "A.2"}
    one = client.get(f"/api/v1/calls/{rows['ERUF 2026:2']['id']}").json()
    assert one["objectives"][0]["amount"] == 34500000 and len(one["objectives"][0]["focus_areas"]) == 6
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/calls", "/api/v1/calls/{call_id}", "/api/v1/applications"} <= set(paths)


def test_applications_api_needs_login_and_shows_own_only(client, demo, make_user):
    call = open_call()
    assert client.get("/api/v1/applications").status_code == 401
    client.force_login(make_user("a", Role.APPLICANT))
    payload = {**application_data(), "call_id": call.pk, "submit": True}
    created = client.post("/api/v1/applications", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "submitted"
    bad = client.post("/api/v1/applications", {**payload, "cofinancing": -5}, content_type="application/json")
    assert bad.status_code == 400 and "cofinancing" in bad.json()["errors"]
    client.force_login(make_user("b", Role.APPLICANT))
    assert client.get("/api/v1/applications").json() == []
    assert client.get(f"/api/v1/applications/{created.json()['id']}").status_code == 404
    client.force_login(make_user("sek", Role.SECRETARIAT))
    assert [r["name"] for r in client.get("/api/v1/applications").json()] == ["Kompetenslyft i äldreomsorgen"]


def test_import_command_is_all_or_nothing_and_names_row_and_field(demo, tmp_path):
    call = open_call()
    now = timezone.now().isoformat()
    rows = [
        {**application_data(), "id": "X-1", "call": f"ESF+ {call.code}", "submitted_at": now},
        {
            **application_data(name="Andra", cofinancing="100"),
            "id": "X-2",
            "call": f"ESF+ {call.code}",
            "submitted_at": now,
        },
    ]
    path = tmp_path / "apps.json"
    path.write_text(json.dumps({"applications": rows}), encoding="utf-8")
    CallStrand.objects.create(call=call, name="Projekt", cofinancing_share=Decimal("0.46")).objectives.set(
        [objective("A.1")]
    )
    with pytest.raises(CommandError, match="Rad 2, fältet cofinancing"):
        call_command("applications", "import", str(path))
    assert not Project.objects.filter(source="import").exists()
    rows[1]["cofinancing"] = "900000"
    path.write_text(json.dumps(rows), encoding="utf-8")
    call_command("applications", "import", str(path))
    call_command("applications", "import", str(path))
    assert Project.objects.filter(source="import", status=Project.Status.SUBMITTED).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, index", [("call", "project_call"), ("strand", "project_strand"), ("owner", "project_owner")]
)
def test_a_calls_strands_or_owners_applications_are_found_through_its_partial_index(field, index):
    """The index holds only the projects that have one (applications, no list of operations), and a lookup of
    one uses it."""
    if connection.vendor == "postgresql":  # an almost empty table is otherwise read whole
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    # Unordered: with the model's ordering PostgreSQL may walk the start date's index of an almost empty table.
    projects = Project.objects.order_by()
    assert index in projects.filter(**{f"{field}_id": 1}).explain()
    assert index in projects.filter(**{f"{field}_id__in": [1, 2]}).explain()

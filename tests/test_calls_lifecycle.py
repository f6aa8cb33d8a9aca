"""Calls in the UI: editing calls, strands and call plans; the one state machine; the public call plan; grants.

Most tests load only the parts of the demo a call needs (programmes, partnership, criteria, the 2026 calls):
the full demo's meeting takes most of its load time and is not needed here.
"""

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from demo_snapshot import loaded

from samhandling.access.roles import Role
from samhandling.assessment import services as assessment
from samhandling.calls import applications, services
from samhandling.calls.models import Call
from samhandling.core.audit import command_actor
from samhandling.partnership.models import Item, Meeting
from samhandling.partnership.selectors import current_partnership
from samhandling.programmes.models import Fund, SpecificObjective
from samhandling.programmes.selectors import balance
from samhandling.projects.models import Project

from test_calls_applications import application_data, open_call

S = Call.Status
TODAY = timezone.localdate


@pytest.fixture
def calls_demo(db):
    """Funds, budgets, the partnership, the selection criteria and the demo's 2026 calls."""
    from samhandling.assessment import demo as criteria
    from samhandling.calls import demo as calls
    from samhandling.partnership import demo as partnership
    from samhandling.programmes import demo as programmes

    def load():
        with command_actor("demo"):
            for module in (programmes, partnership, criteria, calls):
                module.load()

    loaded("calls_demo", load)  # once per test process, then copied (tests/demo_snapshot.py)


def objective(code):
    return SpecificObjective.objects.get(code=code, programme__period__start_year=2021)


def call(fund, number, year=2026):
    return Call.objects.get(fund__code=fund, year=year, number=number)


def open_item(number=1, meeting_number=7, status=Meeting.Status.PLANNED):
    """An item of a meeting; with `status` SIGNED the meeting is signed after the item is added."""
    meeting, _ = Meeting.objects.get_or_create(
        partnership=current_partnership(), year=TODAY().year, number=meeting_number, defaults={"date": TODAY()}
    )
    item = Item.objects.create(meeting=meeting, number=number, title=f"Ärende {number}")
    if status != Meeting.Status.PLANNED:
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    return Item.objects.select_related("meeting").get(pk=item.pk)


def call_form(fund="ESF+", number=7, **overrides):
    """The POST of the call form: one objective and two strands (implementation projects and pre-studies)."""
    a1 = objective("A.1")
    data = {
        "fund": Fund.objects.get(code=fund).pk,
        "year": "2027",
        "number": str(number),
        "title": "Kompetens i välfärden",
        "orientation": "Bred inriktning",
        "conditions": "",
        "opens_on": "2027-02-01",
        "closes_on": "2027-03-31",
        "objectives-TOTAL_FORMS": "2",
        "objectives-INITIAL_FORMS": "0",
        "objectives-0-objective": str(a1.pk),
        "objectives-0-amount": "10000000",
        "objectives-1-objective": "",
        "objectives-1-amount": "",
        "strands-TOTAL_FORMS": "3",
        "strands-INITIAL_FORMS": "0",
        "strands-0-name": "Genomförandeprojekt A.1",
        "strands-0-kind": "implementation",
        "strands-0-objectives": [str(a1.pk)],
        "strands-0-amount": "7000000",
        "strands-1-name": "Förstudier A.1",
        "strands-1-kind": "pre_study",
        "strands-1-objectives": [str(a1.pk)],
        "strands-1-max_support": "1004400",
        "strands-1-cofinancing_percent": "46",
        "strands-1-amount": "3000000",
        "strands-1-simplified_reporting": "on",
        "strands-1-final_report_only": "on",
        "strands-2-name": "",
        "strands-2-kind": "implementation",
    }
    data.update(overrides)
    return data


# Calls and call plans in the UI ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.MA_OFFICER])
def test_secretariat_and_managing_authority_create_and_edit_a_call_with_strands(client, calls_demo, make_user, role):
    client.force_login(make_user("redaktor", role))
    assert client.get(reverse("calls:create")).status_code == 200
    response = client.post(reverse("calls:create"), call_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    created = call("ESF+", 7, year=2027)
    assert created.status == S.ORIENTATION_DRAFT
    strands = {s.name: s for s in created.strands.all()}
    pre = strands["Förstudier A.1"]
    assert (
        pre.kind == "pre_study" and pre.max_support == Decimal("1004400") and pre.cofinancing_share == Decimal("0.46")
    )
    assert pre.simplified_reporting and pre.final_report_only and pre.objective_codes == ["A.1"]
    assert strands["Genomförandeprojekt A.1"].max_support is None
    # the draft is listed for the editor, not for the public
    assert "2027:7" in client.get(reverse("calls:list")).content.decode()
    edit = call_form(title="Kompetens i välfärden och vården")
    edit["strands-1-max_support"] = "900000"
    assert client.post(reverse("calls:edit", args=[created.pk]), edit).status_code == 302
    created.refresh_from_db()
    assert created.title == "Kompetens i välfärden och vården"
    assert created.strands.get(name="Förstudier A.1").max_support == Decimal("900000")
    client.logout()
    assert "2027:7" not in client.get(reverse("calls:list")).content.decode()


@pytest.mark.parametrize("role", [None, Role.APPLICANT, Role.MEMBER, Role.ASSESSOR])
def test_others_cannot_create_or_edit_calls_or_plans(client, calls_demo, make_user, role):
    if role:
        client.force_login(make_user("annan", role))
    existing = call("ERUF", 3)
    for url in (reverse("calls:create"), reverse("calls:edit", args=[existing.pk]), reverse("calls:plans")):
        assert client.post(url, call_form()).status_code in (302, 403)
        assert client.get(url).status_code in (302, 403)
    assert not Call.objects.filter(year=2027).exists()


def test_call_form_errors_are_shown_next_to_their_field_and_nothing_is_stored(client, calls_demo, make_user):
    client.force_login(make_user("sek", Role.SECRETARIAT))
    data = call_form()
    data["strands-1-objectives"] = [str(objective("A.2").pk)]  # not one of the call's objectives
    data["strands-0-amount"] = "12000000"  # more than the objective's 10 000 000 kr
    data["closes_on"] = "2027-01-01"
    response = client.post(reverse("calls:create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r"id_strands-1-objectives.*?A\.2 ingår inte i utlysningen", page, re.S)
    assert "12\u00a0000\u00a0000\u00a0kr är mer än målens belopp" in page
    assert "kan inte stänga före den öppnar" in page
    assert not Call.objects.filter(year=2027).exists()
    # the same fund, year and number twice is refused at the number
    assert client.post(reverse("calls:create"), call_form()).status_code == 302
    again = client.post(reverse("calls:create"), call_form())
    assert again.status_code == 400 and "har redan en utlysning 2027:7" in again.content.decode()


def test_an_open_call_can_no_longer_be_edited(client, calls_demo, make_user):
    client.force_login(make_user("sek", Role.SECRETARIAT))
    opened = call("ESF+", 2)
    assert opened.status == S.OPEN
    response = client.post(reverse("calls:edit", args=[opened.pk]), call_form(number=2, year="2026"))
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.title != "Kompetens i välfärden" and opened.strands.count() == 4


def test_call_plan_is_created_edited_and_revised_in_the_ui(client, calls_demo, make_user):
    client.force_login(make_user("ma", Role.MA_OFFICER))
    eruf = Fund.objects.get(code="ERUF")
    response = client.post(reverse("calls:plans"), {"fund": eruf.pk, "year": "2027"})
    assert response.status_code == 302
    plan = eruf.call_plans.get(year=2027)
    entry = {"entry-number": "1", "entry-objective": objective("2.6").pk, "entry-amount": "5000000"}
    assert client.post(reverse("calls:plan", args=[plan.pk]), entry).status_code == 302
    wrong = client.post(reverse("calls:plan", args=[plan.pk]), {**entry, "entry-objective": objective("A.1").pk})
    assert wrong.status_code == 400 and "hör inte till fonden ERUF" in wrong.content.decode()
    assert plan.entries.count() == 1
    client.post(reverse("calls:plan-revise", args=[plan.pk]), {"revision-reason": "Mål 1.7 tillkommer"})
    new = eruf.call_plans.get(year=2027, version=2)
    assert new.change_reason == "Mål 1.7 tillkommer" and new.entries.count() == 1
    # the older version is no longer edited in place
    client.post(reverse("calls:plan-entry-delete", args=[plan.entries.get().pk]))
    assert plan.entries.count() == 1
    client.post(reverse("calls:plan-entry-delete", args=[new.entries.get().pk]))
    assert new.entries.count() == 0


# The state machine -----------------------------------------------------------------------------------------


ALLOWED = {
    (S.ORIENTATION_DRAFT, S.PROPOSED),
    (S.PROPOSED, S.PARTNERSHIP_OPINION),
    (S.PROPOSED, S.ORIENTATION_DRAFT),
    (S.PARTNERSHIP_OPINION, S.APPROVED),
    (S.PARTNERSHIP_OPINION, S.PROPOSED),
    (S.APPROVED, S.OPEN),
    (S.OPEN, S.CLOSED),
    (S.CLOSED, S.ASSESSED),
    (S.ASSESSED, S.DECIDED),
}


def test_the_transition_table_is_the_lifecycle():
    assert {(a, b) for a, targets in services.TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize("source", list(S))
def test_the_state_machine_refuses_every_illegal_transition(calls_demo, source):
    made = Call.objects.create(fund=Fund.objects.get(code="ESF+"), year=2027, number=8, status=source)
    for target in S:
        if (source, target) in ALLOWED:
            continue
        with pytest.raises(ValidationError, match="kan inte gå från"):
            services.change_status(made, target)
        made.refresh_from_db()
        assert made.status == source
    assert not made.transitions.exists()


def test_each_step_is_recorded_with_actor_item_and_reason(client, calls_demo, make_user):
    user = make_user("sek", Role.SECRETARIAT)
    client.force_login(user)
    made = Call.objects.create(fund=Fund.objects.get(code="ESF+"), year=2027, number=8)
    url = reverse("calls:status", args=[made.pk])
    client.post(url, {"status": S.PROPOSED})
    client.post(url, {"status": S.PARTNERSHIP_OPINION})
    client.post(url, {"status": S.APPROVED})  # no item: refused
    made.refresh_from_db()
    assert made.status == S.PARTNERSHIP_OPINION
    item = open_item()
    signed = open_item(number=2, meeting_number=8, status=Meeting.Status.SIGNED)
    page = client.get(reverse("calls:detail", args=[made.pk])).content.decode()
    assert f'<option value="{item.pk}">' in page and f'value="{signed.pk}"' not in page
    client.post(url, {"status": S.APPROVED, "item": signed.pk})
    made.refresh_from_db()
    assert made.status == S.PARTNERSHIP_OPINION
    client.post(url, {"status": S.APPROVED, "item": item.pk})
    made.refresh_from_db()
    assert made.status == S.APPROVED and made.approved_at == item
    steps = list(made.transitions.values_list("from_status", "to_status", "by__username"))
    assert steps[-1] == (S.PARTNERSHIP_OPINION, S.APPROVED, "sek") and len(steps) == 3
    # assessment and decision are not steps anyone takes on the call's page
    for status in (S.ASSESSED, S.DECIDED):
        client.post(url, {"status": status, "item": item.pk})
    made.refresh_from_db()
    assert made.status == S.APPROVED


def test_a_call_does_not_close_before_its_closing_date_unless_closed_on_purpose(client, calls_demo, make_user):
    from auditlog.models import LogEntry

    client.force_login(make_user("sek", Role.SECRETARIAT))
    opened = call("ESF+", 2)
    url = reverse("calls:status", args=[opened.pk])
    response = client.post(url, {"status": S.CLOSED}, follow=True)
    assert "Ange skälet om den ska stängas i förtid" in response.content.decode()
    opened.refresh_from_db()
    assert opened.status == S.OPEN
    client.post(url, {"status": S.CLOSED, "reason": "Medlen är slut efter omfördelning"})
    opened.refresh_from_db()
    assert opened.status == S.CLOSED
    step = opened.transitions.get(to_status=S.CLOSED)
    assert step.reason == "Medlen är slut efter omfördelning" and step.by.username == "sek"
    assert LogEntry.objects.get_for_object(step).filter(actor__username="sek").exists()
    assert "Medlen är slut efter omfördelning" in client.get(reverse("calls:detail", args=[opened.pk])).content.decode()
    # after the closing date it closes without a reason
    late = open_call(number=11)
    assert services.change_status(late, S.CLOSED, when=late.closes_on + timedelta(days=1)).status == S.CLOSED


def test_prioritising_and_deciding_an_open_call_leaves_it_open(client, calls_demo, make_user):
    """Reproduces the report: "Föreslå prioritering" + "För in beslutet" marked an open call as decided."""
    opened = call("ESF+", 2)
    closes = max(date(2027, 1, 31), TODAY() + timedelta(days=7))  # the report's closing date while it lies ahead
    Call.objects.filter(pk=opened.pk).update(closes_on=closes)
    client.force_login(make_user("ma", Role.MA_OFFICER))
    response = client.post(reverse("assessment:prioritise", args=[opened.pk]), follow=True)
    assert f"öppen till och med {closes:%Y-%m-%d}" in response.content.decode()
    item = open_item()
    client.post(reverse("assessment:decide", args=[opened.pk]), {"item": item.pk})
    opened.refresh_from_db()
    assert opened.status == S.OPEN and not item.decision_points.exists()


def test_no_decision_into_a_signed_meeting(client, calls_demo, make_user):
    user = make_user("ma", Role.MA_OFFICER)
    made = open_call(number=12)
    made = services.change_status(made, S.CLOSED, by=user, reason="Test")
    prioritisation = assessment.propose_prioritisation(made, by=user)
    signed = open_item(number=4, meeting_number=8, status=Meeting.Status.SIGNED)
    with pytest.raises(ValidationError, match="justerat eller signerat"):
        assessment.write_decision(prioritisation, signed, by=user)
    client.force_login(user)
    page = client.get(reverse("assessment:call", args=[made.pk])).content.decode()
    assert f'value="{signed.pk}"' not in page
    client.post(reverse("assessment:decide", args=[made.pk]), {"item": signed.pk})
    made.refresh_from_db()
    assert made.status == S.ASSESSED and not signed.decision_points.exists()
    item = open_item(number=5)
    assert f'value="{item.pk}"' in client.get(reverse("assessment:call", args=[made.pk])).content.decode()
    client.post(reverse("assessment:decide", args=[made.pk]), {"item": item.pk})
    made.refresh_from_db()
    assert made.status == S.DECIDED and made.transitions.get(to_status=S.DECIDED).item == item


def test_conditional_call_opens_only_when_the_condition_is_met_or_lifted(client, calls_demo, make_user):
    client.force_login(make_user("sek", Role.SECRETARIAT))
    later, earlier = call("ERUF", 3), call("ERUF", 1)
    assert later.condition_calls == [earlier]
    page = client.get(reverse("calls:detail", args=[later.pk])).content.decode()
    assert "Villkorad utlysning" in page and "ERUF 2026:1" in page
    url = reverse("calls:status", args=[later.pk])
    response = client.post(url, {"status": S.OPEN}, follow=True)
    assert "hålls bara om utlysning ERUF 2026:1 lämnar medel" in response.content.decode()
    later.refresh_from_db()
    assert later.status == S.APPROVED
    # lifting needs an item of an open meeting and a reason
    item = open_item()
    client.post(reverse("calls:lift-condition", args=[later.pk]), {"item": item.pk, "reason": ""})
    later.refresh_from_db()
    assert later.condition_lifted_at is None
    client.post(reverse("calls:lift-condition", args=[later.pk]), {"item": item.pk, "reason": "Medel finns kvar"})
    client.post(url, {"status": S.OPEN})
    later.refresh_from_db()
    assert later.status == S.OPEN and later.condition_lifted_at == item


def test_conditional_call_opens_once_the_earlier_call_is_decided(calls_demo):
    later, earlier = call("ERUF", 3), call("ERUF", 1)
    item = open_item()
    services.change_status(earlier, S.ASSESSED)
    with pytest.raises(ValidationError, match="2026:1"):
        services.change_status(later, S.OPEN)
    services.change_status(earlier, S.DECIDED, item=item)
    assert services.change_status(later, S.OPEN).status == S.OPEN


# Strands on applications ------------------------------------------------------------------------------------


def _web_form(call_, **overrides):
    data = application_data(**overrides)
    form = {k: v for k, v in data.items() if k not in ("partners", "criterion_texts")}
    form.update({f"criterion_{n}": f"Text {n}" for n in range(1, 6)}, partners="Södertörns högskola; 202100-4896")
    return form


def test_application_over_the_strands_cap_is_refused_with_the_message_at_the_field(client, calls_demo, make_user):
    esf = call("ESF+", 2)
    pre = esf.strands.get(name="Förstudier A.1")
    client.force_login(make_user("sokande", Role.APPLICANT))
    form = _web_form(esf, amount_applied="1004401", cofinancing="900000", strand=str(pre.pk), submit="1")
    response = client.post(reverse("calls:apply", args=[esf.pk]), form)
    assert response.status_code == 400
    page = response.content.decode()
    message = "mer än högsta stöd per projekt i delutlysningen ”Förstudier A.1”, 1\u00a0004\u00a0400\u00a0kr"
    # the message sits in the amount field's own group, not only in the summary at the top
    group = re.search(r'<label for="id_amount_applied".*?(?=<label for=)', page, re.S).group(0)
    assert message in group
    assert not Project.objects.filter(status=Project.Status.SUBMITTED).exists()
    # the same amount in the broad strand is fine: the pre-study cap does not refuse ordinary projects
    broad = esf.strands.get(name="Genomförandeprojekt A.1")
    form.update(strand=str(broad.pk))
    assert client.post(reverse("calls:apply", args=[esf.pk]), form).status_code == 302
    app = Project.objects.get(status=Project.Status.SUBMITTED)
    assert app.strand == broad


def test_strand_must_match_the_objective_and_is_required_when_there_are_several(calls_demo, make_user):
    esf = call("ESF+", 2)
    user = make_user("s", Role.APPLICANT)
    with pytest.raises(ValidationError) as exc:
        applications.create_and_submit(call=esf, owner=user, data=application_data())
    assert "välj vilken del" in exc.value.message_dict["strand"][0]
    with pytest.raises(ValidationError) as exc:
        applications.create_and_submit(call=esf, owner=user, data=application_data(strand="Förstudier A.2"))
    assert "A.1 ingår inte i delutlysningen ”Förstudier A.2”" in exc.value.message_dict["objective"][0]
    made = applications.create_and_submit(call=esf, owner=user, data=application_data(strand="förstudier a.1"))
    assert made.strand.name == "Förstudier A.1"


# Caps and co-financing at their boundaries; share = co-financing / (support + co-financing).
STRAND_CASES = [
    # max_support, share, amount, cofinancing, field refused (or None)
    ("1004400", "0.46", "1004400", "855600", None),  # exactly the cap, exactly 46 %
    ("1004400", "0.46", "1004400.01", "900000", "amount_applied"),  # one öre over the cap
    ("1004400", "0.46", "540000", "459999", "cofinancing"),  # 45,99… % < 46 %
    ("1004400", "0.46", "540000", "460000", None),  # 46 % exactly
    ("1004400", "0.46", "0", "460000", "amount_applied"),  # nothing applied for
    (None, "0.46", "20000000", "17040000", None),  # no cap: only the objective's and strand's amounts bound it
    ("1004400", None, "1000000", "0", None),  # no co-financing rule
    ("1004400", "0", "1000000", "0", None),  # 0 % required
]


@pytest.mark.parametrize("cap, share, amount, cofinancing, refused", STRAND_CASES)
def test_strand_rules_table(calls_demo, make_user, cap, share, amount, cofinancing, refused):
    made = open_call(
        number=13,
        amounts=(("A.1", 30_000_000),),
        strands=[
            (
                "Del",
                {"max_support": cap and Decimal(cap), "cofinancing_share": share and Decimal(share)},
                ["A.1"],
            )
        ],
    )
    user = make_user("s", Role.APPLICANT)
    data = application_data(amount_applied=amount, cofinancing=cofinancing)
    if refused is None:
        assert applications.create_and_submit(call=made, owner=user, data=data).status == Project.Status.SUBMITTED
    else:
        with pytest.raises(ValidationError) as exc:
            applications.create_and_submit(call=made, owner=user, data=data)
        assert set(exc.value.message_dict) == {refused}


def test_strand_amount_bounds_an_application(calls_demo, make_user):
    made = open_call(
        number=14, amounts=(("A.1", 30_000_000),), strands=[("Liten", {"amount": Decimal(500_000)}, ["A.1"])]
    )
    with pytest.raises(ValidationError) as exc:
        applications.create_and_submit(call=made, owner=make_user("s", Role.APPLICANT), data=application_data())
    assert "delutlysningens belopp, 500\u00a0000\u00a0kr" in exc.value.message_dict["amount_applied"][0]


def test_draft_without_org_number_can_be_submitted_with_one(client, calls_demo, make_user):
    """Issue 19 #19: a draft saved as organisation "X" without a number, then submitted with a valid number."""
    made = open_call(number=15)
    client.force_login(make_user("sokande", Role.APPLICANT))
    form = _web_form(made, applicant_name="X", applicant_org_number="", save="1")
    assert client.post(reverse("calls:apply", args=[made.pk]), form).status_code == 302
    draft = Project.objects.get(owner__username="sokande")
    form.update(applicant_org_number="559912-3451", submit="1")  # valid, and no organisation holds it yet
    form.pop("save")
    response = client.post(reverse("calls:application", args=[draft.pk]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.status == Project.Status.SUBMITTED
    assert (draft.applicant.name, draft.applicant.org_number) == ("X", "559912-3451")


# The public call plan and the API ---------------------------------------------------------------------------


def test_public_call_plan_page_and_open_data_files_follow_changes(client, calls_demo, make_user):
    page = client.get(reverse("calls:public-plan")).content.decode()
    assert "ERUF 2026:2" in page and "ESF+ 2026:2" in page and "ERUF 2026:3" in page
    assert "ERUF 2026:1" not in re.sub(r"Hålls bara om ERUF 2026:1", "", page)  # closed: not in the timetable
    assert "Förstudier A.1" in page and "1\u00a0004\u00a0400\u00a0kr" in page and "Öppen" in page
    assert "Hålls bara om ERUF 2026:1 lämnar medel" in page
    rows = json.loads(client.get(reverse("calls:public-plan-file", args=["json"])).content)["calls"]
    eruf3 = next(r for r in rows if r["fund"] == "ERUF" and r["call"] == "2026:3")
    assert eruf3["status"] == "Kommande" and eruf3["amount"] == "82300000.00" and len(eruf3["objectives"]) == 3
    assert eruf3["condition"] == "Hålls bara om ERUF 2026:1 lämnar medel"
    esf = next(r for r in rows if r["fund"] == "ESF+")
    assert len(esf["strands"]) == 4 and esf["opens_on"] <= TODAY().isoformat() <= esf["closes_on"]
    response = client.get(reverse("calls:public-plan-file", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {"fund", "call", "objectives", "strands", "amount", "opens_on", "closes_on"} <= set(table[0])
    assert client.get(reverse("calls:public-plan-file", args=["xml"])).status_code == 404
    # a change to a call shows at once; a call planned only in the plan shows as planned
    later = call("ERUF", 3)
    Call.objects.filter(pk=later.pk).update(closes_on=later.closes_on + timedelta(days=10))
    rows = json.loads(client.get(reverse("calls:public-plan-file", args=["json"])).content)["calls"]
    assert (
        next(r for r in rows if r["call"] == "2026:3")["closes_on"]
        == (later.closes_on + timedelta(days=10)).isoformat()
    )
    plan = Fund.objects.get(code="ESF+").call_plans.get(year=2026)
    services.add_plan_entry(plan, number=3, objective=objective("A.2"), amount=Decimal(20_000_000))
    rows = json.loads(client.get(reverse("calls:public-plan-file", args=["json"])).content)["calls"]
    assert next(r for r in rows if r["fund"] == "ESF+" and r["call"] == "2026:3")["status"] == "Planerad"
    # a draft call's strands and titles stay internal
    Call.objects.create(fund=Fund.objects.get(code="ESF+"), year=2027, number=1, title="Hemligt utkast")
    assert "Hemligt utkast" not in client.get(reverse("calls:public-plan")).content.decode()


def test_open_data_page_lists_the_call_plan_files(client, calls_demo):
    page = client.get(reverse("projectbank:open-data")).content.decode()
    assert reverse("calls:public-plan-file", args=["csv"]) in page
    assert reverse("calls:public-plan-file", args=["json"]) in page


def test_api_returns_each_calls_strands(client, calls_demo):
    esf = call("ESF+", 2)
    body = client.get(f"/api/v1/calls/{esf.pk}").json()
    strands = {s["name"]: s for s in body["strands"]}
    assert set(strands) == {"Genomförandeprojekt A.1", "Genomförandeprojekt A.2", "Förstudier A.1", "Förstudier A.2"}
    pre = strands["Förstudier A.2"]
    assert pre["kind"] == "pre_study" and pre["objectives"] == ["A.2"] and pre["max_support"] == 1004400
    assert float(pre["cofinancing_share"]) == 0.46 and pre["amount"] == 3000000
    assert pre["simplified_reporting"] and pre["final_report_only"]
    assert strands["Genomförandeprojekt A.1"]["kind"] == "implementation"
    assert strands["Genomförandeprojekt A.1"]["max_support"] is None
    eruf3 = client.get(f"/api/v1/calls/{call('ERUF', 3).pk}").json()
    assert eruf3["conditional_on"] == ["ERUF 2026:1"] and eruf3["condition_lifted"] is False
    assert {s["kind"] for s in eruf3["strands"]} == {"implementation"}


def test_demo_calls_follow_minutes_1_2026(calls_demo):
    assert call("ERUF", 2).status == S.OPEN and call("ESF+", 2).status == S.OPEN
    later = call("ERUF", 3)
    held_if = {co.objective.code: co.not_held_if_exhausted_by for co in later.call_objectives.all()}
    assert held_if == {"1.1": call("ERUF", 1), "1.3": call("ERUF", 1), "2.6": None}
    assert later.status == S.APPROVED and later.opens_on > TODAY()
    esf = call("ESF+", 2)
    assert esf.opens_on <= TODAY() <= esf.closes_on
    kinds = sorted((s.name, s.kind, s.objective_codes) for s in esf.strands.all())
    assert kinds == [
        ("Förstudier A.1", "pre_study", ["A.1"]),
        ("Förstudier A.2", "pre_study", ["A.2"]),
        ("Genomförandeprojekt A.1", "implementation", ["A.1"]),
        ("Genomförandeprojekt A.2", "implementation", ["A.2"]),
    ]
    assert balance(objective("1.7")).reserved == Decimal("34500000")


# Grants -----------------------------------------------------------------------------------------------------


def test_a_draft_is_never_granted_on_any_path(client, calls_demo, make_user):
    """Issue 19 #9: a never-submitted draft is refused at the service, so the web page, API and CLI are held to it."""
    made = open_call(number=16)
    draft = applications.save_draft(call=made, owner=make_user("s", Role.APPLICANT), data=application_data())
    granted_before = balance(objective("A.1")).granted
    with pytest.raises(ValidationError, match="prioriterats i ett beslut"):
        assessment.register_grant(draft, 100_000, decided_on=TODAY())
    ma = make_user("ma", Role.MA_OFFICER)
    client.force_login(ma)
    response = client.post(
        reverse("assessment:grant", args=[draft.pk]), {"amount": "100000", "decided_on": "2026-12-10"}
    )
    assert response.status_code == 400 and "prioriterats i ett beslut" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Project.Status.DRAFT and draft.amount_granted is None
    assert balance(objective("A.1")).granted == granted_before
    # a submitted application that never went through the decision is refused too
    submitted = applications.create_and_submit(call=made, owner=draft.owner, data=application_data(name="Annan"))
    with pytest.raises(ValidationError, match="prioriterats i ett beslut"):
        assessment.register_grant(submitted, 100_000, decided_on=TODAY())


def test_grant_is_registered_on_its_own_page_after_the_decision(client, calls_demo, make_user):
    ma = make_user("ma", Role.MA_OFFICER)
    made = open_call(number=17, amounts=(("A.1", 2_000_000),))
    applicant = make_user("s", Role.APPLICANT)
    app = applications.create_and_submit(call=made, owner=applicant, data=application_data())
    made = services.change_status(made, S.CLOSED, by=ma, reason="Test")
    prioritisation = assessment.propose_prioritisation(made, by=ma)
    entry = prioritisation.entries.get()
    assessment.move(entry, prioritised=True, reason="Enda ansökan", by=ma)
    assessment.write_decision(prioritisation, open_item(), by=ma)
    client.force_login(ma)
    url = reverse("assessment:grant", args=[app.pk])
    assert url in client.get(reverse("assessment:call", args=[made.pk])).content.decode()
    bad = client.post(url, {"amount": "9000000", "decided_on": "2026-12-10"})
    assert bad.status_code == 400 and "mer än det sökta beloppet" in bad.content.decode()
    bad = client.post(url, {"amount": "800000", "decided_on": "10/12"})
    assert bad.status_code == 400 and "ÅÅÅÅ-MM-DD" in bad.content.decode()
    bank = reverse("projectbank:project", args=[app.pk])
    assert client.get(bank).status_code == 404  # not public before the grant
    before = balance(objective("A.1"))
    assert client.post(url, {"amount": "800000", "decided_on": "2026-12-10"}).status_code == 302
    assert client.get(bank).status_code == 200 and app.name in client.get(bank).content.decode()
    app.refresh_from_db()
    assert app.status == Project.Status.GRANTED and app.amount_granted == Decimal("800000")
    after = balance(objective("A.1"))
    assert after.granted - before.granted == Decimal("800000") and before.reserved - after.reserved == Decimal("800000")
    assert "Beviljad 800\u00a0000\u00a0kr" in client.get(reverse("assessment:call", args=[made.pk])).content.decode()
    client.force_login(make_user("ledamot", Role.MEMBER))
    assert client.get(url).status_code == 403
    # the secretariat registers grants too, also when the managing authority prioritises (today's law)
    client.force_login(make_user("sek", Role.SECRETARIAT))
    assert client.get(url).status_code == 200

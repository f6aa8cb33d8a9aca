"""A decision by written procedure through `samhandling writtenprocedure`, the services' one caller."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from factories import MeetingFactory, MembershipFactory, PartnershipFactory, RulesOfProcedureFactory
from samhandling.partnership.models import Membership, WrittenProcedure


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("writtenprocedure", *args, stdout=out)
    return out.getvalue()


def _open(closes_in_days=7) -> WrittenProcedure:
    closes_on = timezone.localdate() + timedelta(days=closes_in_days)
    output = run(
        "open", "--title", "Yttrande över utlysningsplan", "--proposal", "Vi yttrar oss.", "--closes-on", str(closes_on)
    )
    assert "öppnad" in output
    return WrittenProcedure.objects.get()


@pytest.mark.django_db
def test_open_answer_and_record_in_the_minutes():
    partnership = PartnershipFactory()
    members = [MembershipFactory(partnership=partnership) for _ in range(5)]
    meeting = MeetingFactory(partnership=partnership, date=timezone.localdate() + timedelta(days=14))
    procedure = _open()
    for m in members[:3]:
        assert "Bifaller förslaget" in run("answer", str(procedure.pk), str(m.pk), "yes")
    run("answer", str(procedure.pk), str(members[3].pk), "no")
    output = run("record", str(procedure.pk), meeting.code)
    item = meeting.items.get(kind="written_procedure")
    assert f"§ {item.number}" in output
    assert "skriftlig procedur" in item.matter and item.decision_points.get().text == "Förslaget bifalls."
    with pytest.raises(CommandError, match="redan redovisad"):
        run("record", str(procedure.pk), meeting.code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "closes_in_days", "refusal"),
    [
        (Membership.Role.MEMBER, 0, None),  # the last day for answers
        (Membership.Role.MEMBER, -1, "gick ut"),
        (Membership.Role.SUBSTITUTE, 7, "Bara partnerskapets ledamöter"),
    ],
)
def test_who_may_answer_and_until_when(role, closes_in_days, refusal):
    member = MembershipFactory(role=role)
    procedure = _open(closes_in_days)
    if refusal is None:
        run("answer", str(procedure.pk), str(member.pk), "abstain")
        assert procedure.answers.get().answer == "abstain"
    else:
        with pytest.raises(CommandError, match=refusal):
            run("answer", str(procedure.pk), str(member.pk), "yes")
        assert not procedure.answers.exists()


@pytest.mark.django_db
def test_not_allowed_by_the_rules_of_procedure():
    RulesOfProcedureFactory(written_procedure_allowed=False)
    with pytest.raises(CommandError, match="tillåter inte"):
        _open()
    assert not WrittenProcedure.objects.exists()

"""Small factory_boy factories for unit-level tests: only the rows a rule needs, not the whole demo.

Each factory fills what the model requires with neutral values; a test names only what its rule reads.
The geography (programme regions, counties) comes from a migration and is reused, never created here.
"""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from samhandling.calls.models import Call, CallObjective
from samhandling.partnership.models import Item, Meeting, Membership, Partnership, Person, RulesOfProcedure
from samhandling.programmes.models import Fund, Programme, ProgrammePeriod, SpecificObjective
from samhandling.projects.models import Organisation, ProgrammeRegion, Project


def _stockholm() -> ProgrammeRegion:
    return ProgrammeRegion.objects.get(code="SE11")


class FundFactory(DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ("code",)

    code = "ERUF"
    name = "Europeiska regionala utvecklingsfonden"
    managing_authority = "Tillväxtverket"


class ProgrammePeriodFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammePeriod
        django_get_or_create = ("start_year",)

    start_year = 2021
    end_year = factory.LazyAttribute(lambda o: o.start_year + 6)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Program {n}")
    kind = Programme.Kind.REGIONAL_ERDF
    fund = factory.SubFactory(FundFactory)
    period = factory.SubFactory(ProgrammePeriodFactory)


class SpecificObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = SpecificObjective

    code = factory.Sequence(lambda n: f"1.{n + 1}")
    name = factory.LazyAttribute(lambda o: f"Mål {o.code}")
    programme = factory.SubFactory(ProgrammeFactory)
    fund = factory.SelfAttribute("programme.fund")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Strategiska partnerskapet {n}")
    programme_region = factory.LazyFunction(_stockholm)


class RulesOfProcedureFactory(DjangoModelFactory):
    class Meta:
        model = RulesOfProcedure

    partnership = factory.SubFactory(PartnershipFactory)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class MembershipFactory(DjangoModelFactory):
    """A member (with a seat) by default; `role=Membership.Role.SUBSTITUTE` for a substitute."""

    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    organisation = factory.SubFactory(OrganisationFactory)


class MeetingFactory(DjangoModelFactory):
    """A planned meeting without items; add them with ItemFactory (services.create_meeting adds the standard ones)."""

    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    date = date(2026, 5, 20)
    year = factory.LazyAttribute(lambda o: o.date.year)
    number = factory.Sequence(lambda n: n + 1)


class ItemFactory(DjangoModelFactory):
    class Meta:
        model = Item

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    order = factory.SelfAttribute("number")
    title = factory.LazyAttribute(lambda o: f"Ärende {o.number}")


class CallFactory(DjangoModelFactory):
    class Meta:
        model = Call

    fund = factory.SubFactory(FundFactory)
    year = 2026
    number = factory.Sequence(lambda n: n + 1)
    title = "Utlysning"
    status = Call.Status.OPEN
    opens_on = date(2026, 3, 1)
    closes_on = date(2026, 4, 30)


class CallObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = CallObjective

    call = factory.SubFactory(CallFactory)
    objective = factory.SubFactory(SpecificObjectiveFactory, programme__fund=factory.SelfAttribute("...call.fund"))
    amount = 1_000_000


class ProjectFactory(DjangoModelFactory):
    """A granted project (pass `status=Project.Status.DRAFT` and `call=` for an application)."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Projekt {n}")
    fund = factory.SubFactory(FundFactory)
    status = Project.Status.GRANTED
    applicant = factory.SubFactory(OrganisationFactory)

"""Organisations from imported files, matched to the organisations already known.

A list that gives an identifier (Swedish organisation number, EU PIC, VAT number) is matched on it first:
the same number is the same organisation whatever its name. An identified organisation not yet known is
created with its identifier, country and county, and a name that matches a known organisation (exactly or
closely) is only proposed, for the secretariat to confirm. Without identifiers, an exact match on the
normalised name or an alias (projects.models.normalise_name) is the same organisation. Anything else
becomes a new organisation; when its name is close to a known one's (rapidfuzz token ratio at or above
PROPOSAL_SCORE) a MatchProposal asks the secretariat, because a fuzzy score alone cannot tell "Region
Västerbotten" from "Region Västernorrland". Confirming makes the name an alias and moves the new
organisation's projects over; rejecting keeps them apart for good.
"""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from rapidfuzz import fuzz, process

from samhandling.projects.models import Organisation, OrganisationAlias, Participation, Project, normalise_name

from .bulk import BulkInserter
from .models import MatchProposal

PROPOSAL_SCORE = 88.0
KEY_LENGTH = Organisation._meta.get_field("normalised_name").max_length
IDENTIFIERS = ("org_number", "pic", "vat_number")
SECTOR_WORDS = [
    ("kommun", Organisation.Sector.MUNICIPALITY),
    ("kommune", Organisation.Sector.MUNICIPALITY),
    ("region", Organisation.Sector.REGION),
    ("landsting", Organisation.Sector.REGION),
    ("universitet", Organisation.Sector.UNIVERSITY),
    ("högskola", Organisation.Sector.UNIVERSITY),
    ("yliopisto", Organisation.Sector.UNIVERSITY),
    ("ammattikorkeakoulu", Organisation.Sector.UNIVERSITY),
    ("myndighet", Organisation.Sector.STATE_AGENCY),
    ("verket", Organisation.Sector.STATE_AGENCY),
    ("förening", Organisation.Sector.CIVIL_SOCIETY),
    ("stiftelse", Organisation.Sector.CIVIL_SOCIETY),
    (" ab", Organisation.Sector.COMPANY),
    (" oy", Organisation.Sector.COMPANY),
    ("a/s", Organisation.Sector.COMPANY),
    ("aktiebolag", Organisation.Sector.COMPANY),
]


def _key(name: str) -> str:
    """The normalised name as stored: NFKC can make it longer than the name (ﷺ is 18 letters), so it is cut."""
    return normalise_name(name)[:KEY_LENGTH]


def guess_sector(name: str) -> str:
    lowered = f" {name.casefold()} "
    for word, sector in SECTOR_WORDS:
        if word in lowered:
            return sector
    return Organisation.Sector.OTHER


class OrganisationMatcher:
    """Resolves names to organisation ids for one import run, creating missing organisations in bulk."""

    def __init__(self, run=None):
        self.run = run
        self.ids: dict[str, int] = {}
        self.sectors: dict[int, str] = {}  # the project bank's facets show the applicant's sector
        for key, pk, sector in Organisation.objects.values_list("normalised_name", "id", "sector").order_by("-id"):
            self.ids[key] = pk
            self.sectors[pk] = sector
        self.ids.update(OrganisationAlias.objects.values_list("normalised_name", "organisation_id"))
        # Fuzzy candidates are the organisations known before the run: names new in this file are
        # matched exactly among themselves, so a million-row file does not compare every name to every name.
        self.known = list(self.ids)
        self.known_ids = [self.ids[k] for k in self.known]
        self.rejected = set(
            MatchProposal.objects.filter(status=MatchProposal.Status.REJECTED).values_list(
                "normalised_name", "candidate_id"
            )
        )
        self.identified: dict[tuple[str, str], int] = {}  # ("org_number" | "pic" | "vat_number", value) → id
        for pk, *values in (
            Organisation.objects.exclude(org_number="", pic="", vat_number="")
            .order_by("id")
            .values_list("id", *IDENTIFIERS)
        ):
            for name, value in zip(IDENTIFIERS, values):
                if value:
                    self.identified.setdefault((name, value), pk)
        self.inserter = BulkInserter(Organisation)
        self.proposals = 0
        self.by_name: dict[str, int] = {}  # names as written in the file, resolved before: no normalising again

    def resolve(self, names) -> dict[str, int]:
        """{name: organisation id} for the given names (blank names are left out)."""
        out, missing = {}, {}
        by_name = self.by_name
        for name in names:
            if name in by_name:
                out[name] = by_name[name]
                continue
            key = _key(name)
            if not key:
                continue
            if key in self.ids:
                out[name] = self.ids[key]
            else:
                missing.setdefault(key, name)
        if missing:
            keys = list(missing)
            sectors = [guess_sector(missing[k]) for k in keys]
            new_ids = self.inserter.insert(
                [{"name": missing[k], "normalised_name": k, "sector": sector} for k, sector in zip(keys, sectors)]
            )
            proposals = []
            for key, pk, sector in zip(keys, new_ids, sectors):
                self.ids[key] = pk
                self.sectors[pk] = sector
                proposal = self._proposal(missing[key], key, pk)
                if proposal:
                    proposals.append(proposal)
            if proposals:
                MatchProposal.objects.bulk_create(proposals, ignore_conflicts=True)
                self.proposals += len(proposals)
            for name in names:
                if name not in out:
                    key = _key(name)
                    if key in missing:
                        out[name] = self.ids[key]
        by_name.update(out)
        return out

    def resolve_parties(self, parties) -> dict[tuple, int]:
        """{party: organisation id} for (name, org_number, pic, vat, country, county id) tuples.

        An identifier finds the organisation; without one the name does (as `resolve`). New organisations
        are created with what the list says about them; a name like a known one's becomes a proposal.
        """
        out: dict[tuple, int] = {}
        new: dict[tuple, tuple] = {}  # the identity of a new organisation → its first party
        for party in parties:
            name, org_number, pic, vat, _country, _county = party
            identifiers = [(k, v) for k, v in zip(IDENTIFIERS, (org_number, pic, vat)) if v]
            if identifiers:
                pk = next((self.identified[i] for i in identifiers if i in self.identified), None)
                identity = identifiers[0]
            else:
                key = _key(name)
                if not key:
                    continue
                pk = self.ids.get(key)
                identity = ("name", key)
            if pk is not None:
                out[party] = pk
            else:
                new.setdefault(identity, party)
        if new:
            identities = list(new)
            rows = []
            for identity in identities:
                name, org_number, pic, vat, country, county = new[identity]
                rows.append(
                    {
                        "name": name,
                        "normalised_name": _key(name),
                        "sector": guess_sector(name),
                        "org_number": org_number,
                        "pic": pic,
                        "vat_number": vat,
                        "country": country or "SE",
                        "county_id": county,
                    }
                )
            proposals = []
            for identity, row, pk in zip(identities, rows, self.inserter.insert(rows)):
                key = row["normalised_name"]
                self.sectors[pk] = row["sector"]
                for name in IDENTIFIERS:
                    if row[name]:
                        self.identified.setdefault((name, row[name]), pk)
                exact = self.ids.get(key) if identity[0] != "name" else None
                if key:
                    self.ids.setdefault(key, pk)
                proposal = self._proposal(row["name"], key, pk, exact=exact if exact != pk else None)
                if proposal:
                    proposals.append(proposal)
            if proposals:
                MatchProposal.objects.bulk_create(proposals, ignore_conflicts=True)
                self.proposals += len(proposals)
            for party in parties:
                if party not in out:
                    name, org_number, pic, vat, _country, _county = party
                    identifiers = [(k, v) for k, v in zip(IDENTIFIERS, (org_number, pic, vat)) if v]
                    found = next((self.identified[i] for i in identifiers if i in self.identified), None)
                    if found is None and not identifiers:
                        found = self.ids.get(_key(name))
                    if found is not None:
                        out[party] = found
        return out

    def _proposal(self, name, key, new_id, exact=None):
        if exact is not None:  # an identified organisation whose name a known one has: the same one?
            found = (key, 100.0, None)
            candidate_id = exact
        else:
            if not self.known:
                return None
            found = process.extractOne(key, self.known, scorer=fuzz.token_sort_ratio, score_cutoff=PROPOSAL_SCORE)
            if not found:
                return None
            candidate_id = self.known_ids[found[2]]
        if candidate_id == new_id:
            return None
        if (key, candidate_id) in self.rejected:
            return None
        return MatchProposal(
            name=name,
            normalised_name=key,
            new_organisation_id=new_id,
            candidate_id=candidate_id,
            score=round(found[1], 1),
            run=self.run,
        )


@transaction.atomic
def confirm(proposal: MatchProposal, user) -> None:
    """The imported name is the candidate organisation: alias it and move the projects over."""
    proposal = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != MatchProposal.Status.PENDING:
        return
    target, duplicate = proposal.candidate, proposal.new_organisation
    if not OrganisationAlias.objects.filter(normalised_name=_key(proposal.name)).exists():
        OrganisationAlias.objects.create(organisation=target, name=proposal.name)
    if duplicate is not None and duplicate.pk != target.pk:
        for project in Project.objects.filter(applicant=duplicate):
            project.applicant = target
            project.save(update_fields=["applicant", "updated_at"])
        for project in Project.objects.filter(partners=duplicate):
            project.partners.remove(duplicate)
            project.partners.add(target)
        for participation in Participation.objects.filter(organisation=duplicate):
            if Participation.objects.filter(project_id=participation.project_id, organisation=target).exists():
                participation.delete()
            else:
                participation.organisation = target
                participation.save(update_fields=["organisation"])
        _take_identifiers(target, duplicate)
        MatchProposal.objects.filter(new_organisation=duplicate).exclude(pk=proposal.pk).update(new_organisation=None)
        try:
            duplicate.delete()
            proposal.new_organisation = None
        except ProtectedError:  # still referenced elsewhere (e.g. a partnership): keep it, the alias links them
            pass
    _decide(proposal, MatchProposal.Status.CONFIRMED, user)


@transaction.atomic
def reject(proposal: MatchProposal, user) -> None:
    """Two different organisations: nothing moves, and the pair is not proposed again."""
    proposal = MatchProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == MatchProposal.Status.PENDING:
        _decide(proposal, MatchProposal.Status.REJECTED, user)


def _take_identifiers(target: Organisation, duplicate: Organisation) -> None:
    """The confirmed organisation keeps the identifiers only the imported duplicate had (before it goes)."""
    moved = [name for name in IDENTIFIERS if getattr(duplicate, name) and not getattr(target, name)]
    if not moved:
        return
    values = {name: getattr(duplicate, name) for name in moved}
    for name in moved:
        setattr(duplicate, name, "")
    duplicate.save(update_fields=moved)
    for name, value in values.items():
        setattr(target, name, value)
    target.save(update_fields=moved)


def _decide(proposal, status, user):
    proposal.status, proposal.decided_by, proposal.decided_at = status, user, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])

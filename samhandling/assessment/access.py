"""Route rules; which of these roles may act on a given call depends on the partnership's mode (see services)."""

from samhandling.access.roles import STAFF, Role

ASSESSORS = STAFF | {Role.ASSESSOR, Role.MA_OFFICER}
PRIORITISERS = STAFF | {Role.MA_OFFICER}
# Within an earmark (an ITI) the intermediate body's people, assessors linked to that organisation, prioritise
# too; the view lets through only them (assessment.selectors.can_prioritise).
EARMARK_PRIORITISERS = PRIORITISERS | {Role.ASSESSOR}
OUTCOME_READERS = ASSESSORS | {Role.MEMBER, Role.SUBSTITUTE}

RULES = {
    "assessment:mine": {"GET": ASSESSORS},
    "assessment:score": {"GET": ASSESSORS, "POST": ASSESSORS},
    "assessment:call": {"GET": OUTCOME_READERS},
    "assessment:prioritise": {"POST": EARMARK_PRIORITISERS},
    "assessment:decide": {"POST": PRIORITISERS},
    "assessment:move": {"POST": EARMARK_PRIORITISERS},
    "assessment:grant": {"GET": PRIORITISERS, "POST": PRIORITISERS},
}

"""Route rules; which of these roles may act on a given call depends on the partnership's mode (see services)."""

from samhandling.access.roles import STAFF, Role

ASSESSORS = STAFF | {Role.ASSESSOR, Role.MA_OFFICER}
PRIORITISERS = STAFF | {Role.MA_OFFICER}
OUTCOME_READERS = ASSESSORS | {Role.MEMBER, Role.SUBSTITUTE}

RULES = {
    "assessment:mine": {"GET": ASSESSORS},
    "assessment:score": {"GET": ASSESSORS, "POST": ASSESSORS},
    "assessment:call": {"GET": OUTCOME_READERS},
    "assessment:prioritise": {"POST": PRIORITISERS},
    "assessment:decide": {"POST": PRIORITISERS},
    "assessment:move": {"POST": PRIORITISERS},
    "assessment:grant": {"GET": PRIORITISERS, "POST": PRIORITISERS},
}

from samhandling.access.roles import ALL, STAFF, Role

EDITORS = STAFF | {Role.MA_OFFICER}
APPLICANT = {Role.APPLICANT}

RULES = {
    "calls:list": {"GET": ALL},
    "calls:detail": {"GET": ALL},
    "calls:create": {"GET": EDITORS, "POST": EDITORS},
    "calls:edit": {"GET": EDITORS, "POST": EDITORS},
    "calls:status": {"POST": EDITORS},
    "calls:lift-condition": {"POST": EDITORS},
    "calls:assessors": {"POST": EDITORS},
    "calls:plans": {"GET": EDITORS, "POST": EDITORS},
    "calls:plan": {"GET": EDITORS, "POST": EDITORS},
    "calls:plan-revise": {"POST": EDITORS},
    "calls:plan-agree": {"POST": EDITORS},
    "calls:plan-entry-delete": {"POST": EDITORS},
    "calls:public-plan": {"GET": ALL},
    "calls:public-plan-file": {"GET": ALL},
    "calls:apply": {"GET": APPLICANT, "POST": APPLICANT},
    "calls:my-applications": {"GET": APPLICANT},
}

APPLICATION_READERS = EDITORS | APPLICANT
RULES["calls:application"] = {"GET": APPLICATION_READERS, "POST": APPLICANT}

API_RULES = {
    "GET /calls": ALL,
    "GET /calls/{call_id}": ALL,
    "GET /applications": APPLICATION_READERS,
    "GET /applications/{application_id}": APPLICATION_READERS,
    "POST /applications": APPLICANT,
}

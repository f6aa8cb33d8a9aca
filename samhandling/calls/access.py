from samhandling.access.roles import ALL, STAFF, Role

EDITORS = STAFF | {Role.MA_OFFICER}
APPLICANT = {Role.APPLICANT}

RULES = {
    "calls:list": {"GET": ALL},
    "calls:detail": {"GET": ALL},
    "calls:status": {"POST": EDITORS},
    "calls:apply": {"GET": APPLICANT, "POST": APPLICANT},
    "calls:my-applications": {"GET": APPLICANT},
    "calls:application": {"GET": APPLICANT, "POST": APPLICANT},
}

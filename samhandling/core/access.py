from samhandling.access.roles import ALL, STAFF

RULES = {
    "core:home": {"GET": ALL},
    "core:tasks": {"GET": ALL},  # a signed-in user without roles has only PUBLIC; a visitor is asked to sign in
    "core:accessibility": {"GET": ALL},
    "core:audit-trail": {"GET": STAFF},
    "core:audit-trail-csv": {"GET": STAFF},
}

# The foundation's open API (budget per objective, organisations).
API_RULES = {
    "GET /objectives": ALL,
    "GET /organisations": ALL,
}

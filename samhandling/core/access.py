from samhandling.access.roles import ALL, AUTHENTICATED, STAFF

RULES = {
    "core:home": {"GET": ALL},
    "core:tasks": {"GET": AUTHENTICATED},
    "core:audit-trail": {"GET": STAFF},
    "core:audit-trail-csv": {"GET": STAFF},
}

# The foundation's open API (budget per objective, organisations).
API_RULES = {
    "GET /objectives": ALL,
    "GET /organisations": ALL,
}

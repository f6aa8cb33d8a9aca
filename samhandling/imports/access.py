from samhandling.access.roles import STAFF

RULES = {
    "imports:history": {"GET": STAFF},
    "imports:matches": {"GET": STAFF, "POST": STAFF},
}

from samhandling.access.roles import STAFF

RULES = {
    "imports:history": {"GET": STAFF},
    "imports:matches": {"GET": STAFF, "POST": STAFF},
    "imports:upload": {"GET": STAFF, "POST": STAFF},
    "imports:upload-detail": {"GET": STAFF},
    "imports:upload-status": {"GET": STAFF},
    "imports:upload-start": {"POST": STAFF},
    "imports:upload-rejects": {"GET": STAFF},
}

"""Who may open the mobilisation pages. Object-level rules (own ideas, private ideas) live in selectors."""

from samhandling.access.roles import ALL, AUTHENTICATED, STAFF

RULES = {
    "mobilisation:ideas": {"GET": ALL},
    "mobilisation:idea-new": {"GET": AUTHENTICATED, "POST": AUTHENTICATED},
    "mobilisation:organisation": {"GET": AUTHENTICATED, "POST": AUTHENTICATED},
    "mobilisation:link-requests": {"GET": AUTHENTICATED},
    "mobilisation:link-request-decide": {"POST": AUTHENTICATED},
    "mobilisation:outcomes": {"GET": STAFF},
    "mobilisation:platform-new": {"GET": STAFF, "POST": STAFF},
    "mobilisation:platform-edit": {"GET": STAFF, "POST": STAFF},
    "mobilisation:idea": {"GET": ALL},
    "mobilisation:idea-edit": {"GET": AUTHENTICATED, "POST": AUTHENTICATED},
    "mobilisation:idea-matches": {"GET": ALL},
    "mobilisation:idea-application": {"POST": AUTHENTICATED},
    "mobilisation:notices": {"GET": ALL},
    "mobilisation:notice-new": {"GET": AUTHENTICATED, "POST": AUTHENTICATED},
    "mobilisation:notice": {"GET": ALL, "POST": AUTHENTICATED},
    "mobilisation:meetings": {"GET": ALL},
    "mobilisation:meeting-new": {"GET": STAFF, "POST": STAFF},
    "mobilisation:meeting": {"GET": ALL, "POST": ALL},
    "mobilisation:attendees": {"GET": STAFF},
    "mobilisation:registration-confirm": {"GET": ALL, "POST": ALL},
}

API_RULES = {
    "GET /ideas": ALL,
    "GET /ideas/{idea_id}/matches": ALL,
    "GET /partner-notices": ALL,
}

from samhandling.access.roles import ALL, AUTHENTICATED, STAFF, Role

INSIDERS = frozenset({Role.MEMBER, Role.SUBSTITUTE, Role.MA_OFFICER}) | STAFF

RULES = {
    "portfolio:dashboard": {"GET": ALL},
    "portfolio:chart": {"GET": ALL},
    "portfolio:network": {"GET": ALL},
    "portfolio:network-organisation": {"GET": ALL},
    "portfolio:network-csv": {"GET": ALL},
    "portfolio:orientation": {"GET": INSIDERS},
    # The report includes targets not yet published: for insiders only.
    "portfolio:report-new": {"POST": INSIDERS},
    "portfolio:report": {"GET": INSIDERS},
    "portfolio:report-file": {"GET": INSIDERS},
    "portfolio:labels": {"GET": STAFF, "POST": STAFF},
    "portfolio:targets": {"GET": STAFF, "POST": STAFF},
    "portfolio:followup": {"GET": STAFF, "POST": STAFF},
    "portfolio:maturity": {"GET": AUTHENTICATED},
    "portfolio:maturity-new": {"GET": STAFF, "POST": STAFF},
}

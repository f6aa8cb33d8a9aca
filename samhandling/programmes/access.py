"""Route rules of the programmes' ledger pages: anyone reads the earmarks; the managing authority (and the
administrator) sets them, as the programme decides them."""

from samhandling.access.roles import ALL, Role

SETTERS = {Role.MA_OFFICER, Role.ADMINISTRATOR}

RULES = {
    "programmes:earmarks": {"GET": ALL},
    "programmes:earmark-create": {"GET": SETTERS, "POST": SETTERS},
    "programmes:earmark-delete": {"POST": SETTERS},
}

"""Access rules of the account and role pages (the matrix collects every app's `access.py`)."""

from .roles import ALL, STAFF

RULES = {
    "access:roles": {"GET": STAFF},
    "access:invite": {"GET": STAFF, "POST": STAFF},
    "access:user": {"GET": STAFF, "POST": STAFF},
    "access:resend": {"POST": STAFF},
    "access:register": {"GET": ALL, "POST": ALL},
    "access:verify": {"GET": ALL},
    "access:set-password": {"GET": ALL, "POST": ALL},
    "access:password-reset": {"GET": ALL, "POST": ALL},
    "access:password-reset-done": {"GET": ALL},
    "access:password-reset-confirm": {"GET": ALL, "POST": ALL},
    "access:password-reset-complete": {"GET": ALL},
}

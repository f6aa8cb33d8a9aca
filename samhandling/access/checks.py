"""System check: a production server does not start while demo accounts (with published passwords) exist."""

from django.conf import settings
from django.core.checks import Error, register
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _


@register()
def no_demo_accounts_in_production(app_configs, **kwargs):  # noqa: ARG001 (check signature)
    if not settings.PRODUCTION:
        return []
    from . import demo

    try:
        present = [name for _role, name, _password in demo.accounts()]
    except DatabaseError:  # no tables yet (before the first migrate): nothing to refuse
        return []
    if not present:
        return []
    return [
        Error(
            _("Demokonton finns i databasen: %(names)s.") % {"names": ", ".join(present)},
            hint=_("Ta bort demokontona (eller använd en databas utan demodata) innan Samhandling körs i produktion."),
            id="samhandling.E001",
        )
    ]

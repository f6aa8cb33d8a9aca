from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "samhandling.access"
    label = "access"
    verbose_name = _("Behörigheter")

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        from . import checks  # noqa: F401  (registers the system checks)

        # Role grants and revocations are changes of a user's groups: audited with their actor.
        User = get_user_model()
        if not auditlog.contains(User):
            auditlog.register(User, m2m_fields={"groups"}, exclude_fields=["password", "last_login"])
        if not auditlog.contains(Group):
            auditlog.register(Group, m2m_fields={"permissions"})

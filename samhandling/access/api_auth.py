"""Role checks for API operations, run before the request body is parsed.

Refusing a caller before validation means a role that may not use an operation gets 403, not a 422
about the payload it was never allowed to send.
"""

from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import SessionAuth

from .roles import Role, has_role


class RoleAuth(SessionAuth):
    """Session login plus one of the given roles."""

    def __init__(self, *roles: Role, message=_("Du saknar behörighet för den här åtgärden.")):
        super().__init__()
        self.roles = roles
        self.message = message

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user and not has_role(user, *self.roles):
            raise HttpError(403, str(self.message))
        return user

"""Public reads on a read replica: with SAMHANDLING_REPLICA_URL set, anonymous GET and HEAD requests read the
product's own tables (the project bank, public minutes, calls…) from that database, e.g. a PostgreSQL
streaming replica, and leave the primary to the people who work in the product.

Everything else stays on the primary: writes (Django sends every write to the default alias), whatever a
signed-in user reads (so nobody misses their own write on a lagging replica), and, in any request, the tables
of sessions, accounts, django-axes, the task queue and the database cache with its rate-limit counts, which
are not the product's apps. The public pages that are precomputed say when they were computed, so a replica
a moment behind shows them as of that moment. See docs/deploy.md.
"""

from contextvars import ContextVar
from functools import cache

from django.apps import apps

ALIAS = "replica"
_public_read: ContextVar[bool] = ContextVar("samhandling_public_read", default=False)


@cache
def _product_labels() -> frozenset[str]:
    return frozenset(c.label for c in apps.get_app_configs() if c.name.startswith("samhandling."))


class ReplicaRouter:
    """Sends the product's reads in a public request to the replica; says nothing of anything else."""

    def db_for_read(self, model, **hints):
        if _public_read.get() and model._meta.app_label in _product_labels():
            return ALIAS
        return None

    def allow_migrate(self, db, app_label, **hints):  # noqa: ARG002 (Django passes it by name)
        return False if db == ALIAS else None  # the replica is a copy of the primary, never migrated itself


class ReplicaMiddleware:
    """Marks an anonymous GET or HEAD request as a public read (after the authentication middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = request.method in ("GET", "HEAD") and not request.user.is_authenticated
        token = _public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)

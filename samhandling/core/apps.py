from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samhandling.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self):
        from auditlog.signals import post_log, pre_log

        from . import text
        from .audit import connect_request_context, link_entry_to_cases, register_models, skip_suggestions

        register_models()
        connect_request_context()
        text.install()
        pre_log.connect(skip_suggestions, dispatch_uid="samhandling-audit-skip-suggestions")
        post_log.connect(link_entry_to_cases, dispatch_uid="samhandling-audit-case-links")
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="samhandling-cache-table")


def create_cache_table(using="default", verbosity=1, **kwargs):
    """The database cache's table (CACHE_URL=db://…) is made by every `migrate`, so `samhandling migrate`,
    `make db` and the test databases have it on a fresh machine (createcachetable skips an existing one)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=verbosity)

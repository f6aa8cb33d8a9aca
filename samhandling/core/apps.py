from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samhandling.core"
    label = "core"
    verbose_name = _("Kärna")

    def ready(self):
        from auditlog.signals import post_log, pre_log

        from . import text
        from .audit import link_entry_to_cases, register_models, skip_suggestions

        register_models()
        text.install()
        pre_log.connect(skip_suggestions, dispatch_uid="samhandling-audit-skip-suggestions")
        post_log.connect(link_entry_to_cases, dispatch_uid="samhandling-audit-case-links")

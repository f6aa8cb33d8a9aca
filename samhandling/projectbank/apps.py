from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectbankConfig(AppConfig):
    name = "samhandling.projectbank"
    label = "projectbank"
    verbose_name = _("Projektbank och öppna data")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401
        from .services import fill_analysed_text

        post_migrate.connect(fill_analysed_text, sender=self)

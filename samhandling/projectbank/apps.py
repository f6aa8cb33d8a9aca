from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectbankConfig(AppConfig):
    name = "samhandling.projectbank"
    label = "projectbank"
    verbose_name = _("Projektbank och öppna data")

    def ready(self):
        from . import signals  # noqa: F401

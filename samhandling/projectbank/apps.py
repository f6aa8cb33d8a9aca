from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectbankConfig(AppConfig):
    name = "samhandling.projectbank"
    label = "projectbank"
    verbose_name = _("Projektbank och öppna data")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import facetindex, loader, signals  # noqa: F401 (signals: connects the receivers)
        from .services import fill_analysed_text

        facetindex.feed(loader.DatabaseLoader())

        post_migrate.connect(fill_analysed_text, sender=self)

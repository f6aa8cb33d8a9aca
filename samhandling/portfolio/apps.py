from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "samhandling.portfolio"
    label = "portfolio"
    verbose_name = _("Portföljuppföljning")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import ProjectLabel
        from .signals import label_changed

        post_save.connect(label_changed, sender=ProjectLabel, dispatch_uid="portfolio_label_saved")
        post_delete.connect(label_changed, sender=ProjectLabel, dispatch_uid="portfolio_label_deleted")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "samhandling.portfolio"
    label = "portfolio"
    verbose_name = _("Portföljuppföljning")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from samhandling.projects.models import Organisation, Project

        from .models import ProjectLabel
        from .signals import applicant_changed, label_changed, places_changed, project_changed

        post_save.connect(project_changed, sender=Project, dispatch_uid="portfolio_project_saved")
        post_delete.connect(project_changed, sender=Project, dispatch_uid="portfolio_project_deleted")
        post_save.connect(label_changed, sender=ProjectLabel, dispatch_uid="portfolio_label_saved")
        post_delete.connect(label_changed, sender=ProjectLabel, dispatch_uid="portfolio_label_deleted")
        post_save.connect(applicant_changed, sender=Organisation, dispatch_uid="portfolio_applicant_saved")
        for field in ("counties", "municipalities"):
            m2m_changed.connect(
                places_changed, sender=getattr(Project, field).through, dispatch_uid=f"portfolio_{field}_changed"
            )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilisationConfig(AppConfig):
    name = "samhandling.mobilisation"
    label = "mobilisation"
    verbose_name = _("Mobilisering")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from samhandling.projects.models import Project

        from .signals import project_changed

        post_save.connect(project_changed, sender=Project, dispatch_uid="mobilisation_project_saved")
        post_delete.connect(project_changed, sender=Project, dispatch_uid="mobilisation_project_deleted")

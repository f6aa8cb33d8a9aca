from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilisationConfig(AppConfig):
    name = "samhandling.mobilisation"
    label = "mobilisation"
    verbose_name = _("Mobilisering")

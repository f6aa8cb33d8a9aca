from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "samhandling.programmes"
    label = "programmes"
    verbose_name = _("Program och budget")

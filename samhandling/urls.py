"""Root URLs. Each domain app that has a `urls` module is mounted at the root with its own Swedish paths."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .access.views import LoginView
from .core.api_root import api
from .partnership.scope import PARTNERSHIP_APPS

admin.site.site_header = "Samhandling – administration"
admin.site.site_title = "Samhandling"
admin.site.index_title = "Administration"


def app_urls(scoped: bool | None = None):
    """Each app's URLs; `scoped` picks the partnership apps (True) or the shared ones (False)."""
    for app in settings.INSTALLED_APPS:
        if app.startswith("samhandling.") and find_spec(f"{app}.urls"):
            if scoped is None or (app in PARTNERSHIP_APPS) == scoped:
                yield path("", include(import_module(f"{app}.urls")))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("logga-in/", LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    *app_urls(),  # unprefixed: the default partnership (partnership.scope mounts the others under a prefix)
]

# Styled, translated error pages with the site's header (core.views); htmx requests get just the message.
handler400 = "samhandling.core.views.bad_request"
handler403 = "samhandling.core.views.forbidden"
handler404 = "samhandling.core.views.not_found"
handler500 = "samhandling.core.views.server_error"

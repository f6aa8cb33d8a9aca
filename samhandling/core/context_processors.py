from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from samhandling.access.matrix import allowed_roles
from samhandling.access.roles import roles_of

PRODUCT_NAME = SITE_NAME = "Samhandling"  # the product's name, in every page title

# Main navigation: (route name, label). Routes that do not exist yet, or that the user may not open, are left out.
NAV = [
    ("core:home", _("Start")),
    ("core:tasks", _("Mina uppgifter")),
    ("calls:list", _("Utlysningar")),
    ("projectbank:search", _("Projektbanken")),
    ("partnership:meetings", _("Sammanträden")),
    ("portfolio:dashboard", _("Portföljen")),
    ("mobilisation:ideas", _("Projektidéer")),
    ("assessment:mine", _("Bedömning")),
    ("imports:history", _("Import")),
    ("access:roles", _("Roller")),
    ("projectbank:open-data", _("Öppna data")),
]


@cache
def _nav_urls(urlconf=None) -> list[tuple[str, str, object]]:
    """(route, URL, label) of the main navigation's routes that exist: fixed per URLconf (one per partnership
    prefix, see partnership.scope) while the process runs."""
    found = []
    for route, label in NAV:
        try:
            found.append((route, reverse(route, urlconf=urlconf), label))
        except NoReverseMatch:
            continue
    return found


def site(request):
    roles = roles_of(getattr(request, "user", None))
    nav = []
    for route, url, label in _nav_urls(get_urlconf()):
        allowed = allowed_roles(route, "GET")
        if allowed and roles & allowed:
            nav.append(
                {
                    "url": url,
                    "label": label,
                    "active": request.path.startswith(url) and url != "/" or request.path == url,
                }
            )
    # `product_name` is what the pages are called; `site_name` is kept for templates that use it, but views such
    # as Django's LoginView put the host name under that key, so the base template does not rely on it.
    return {
        "site_name": PRODUCT_NAME,
        "product_name": PRODUCT_NAME,
        "partnership_name": getattr(getattr(request, "partnership", None), "name", settings.PARTNERSHIP_NAME),
        "nav": nav,
    }

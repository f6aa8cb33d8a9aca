"""The partnership a request works in: read from the URL's first segment, else the installation's default.

`/stockholm/sammantraden/` serves the partnership with the slug "stockholm"; unprefixed URLs serve the
default one (settings.PARTNERSHIP_NAME, env SAMHANDLING_PARTNERSHIP), so a single-partnership installation
and every existing link keep working. The middleware sets `request.partnership` and a context variable that
`selectors.current_partnership()` reads (the default partnership only when first asked for), and for a
prefixed request it sets `request.urlconf` to the root URLs with the partnership's own apps mounted under the
prefix first: Django caches reversed URLs per URL configuration (and language), not per request, so a prefix
that varied within one URLconf would leak between requests. With a URLconf per prefix, `reverse()` and
`{% url %}` add the prefix by themselves and no template changes. Shared pages (project bank, open data,
organisations, the API) stay unprefixed.
"""

import copy
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from types import ModuleType

from django.conf import settings
from django.utils.functional import SimpleLazyObject

# The apps whose pages hold one partnership's working data and so live under its prefix.
PARTNERSHIP_APPS = (
    "samhandling.partnership",
    "samhandling.calls",
    "samhandling.assessment",
    "samhandling.portfolio",
    "samhandling.mobilisation",
)

_current: ContextVar = ContextVar("samhandling_partnership", default=None)


_last_default: dict = {}  # (database, name) → (compiled query, its last row, the partnership built from it)


def default_partnership():
    """The partnership named in settings, else the first by name; None before there is any.

    Asked on every request. Building its ORM query took a quarter of a cached page's time, so each process
    compiles it once and reads its row with plain SQL; the model object is built again only when that row
    (every column of the partnership and of its programme region) differs from the last one seen. Each
    caller gets its own copy."""
    from django.db import connection
    from django.db.models import Case, IntegerField, Value, When

    from .models import Partnership

    key = (connection.alias, connection.vendor, settings.PARTNERSHIP_NAME)
    seen = _last_default.get(key)
    if seen is None:
        named_first = Case(When(name=key[2], then=Value(0)), default=Value(1), output_field=IntegerField())
        query = Partnership.objects.select_related("programme_region").order_by(named_first, "name", "pk")[:1]
        seen = (query, query.query.sql_with_params(), None, None)
    query, (sql, params), last_row, partnership = seen
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if row != last_row:
        found = list(query.all())
        if not found:  # deleted in between
            return None
        partnership = found[0]
        _last_default[key] = (query, (sql, params), row, partnership)
    return copy.copy(partnership)


def current_partnership_id():
    """The default of working data's partnership field: a new row belongs to the partnership of the request it
    was made in. Outside a request it is left empty here, so building an unsaved object reads no database, and
    `fill_partnership` gives the row the default partnership when it is saved."""
    partnership = active()
    return partnership.pk if partnership is not None else None


def fill_partnership(sender, instance, raw=False, **_kwargs):
    """pre_save: a scoped row saved outside a request, with no partnership named, belongs to the default one."""
    field = next((f for f in sender._meta.concrete_fields if f.name == "partnership"), None)
    if raw or field is None or field.default is not current_partnership_id or instance.partnership_id is not None:
        return
    partnership = default_partnership()
    instance.partnership_id = partnership.pk if partnership is not None else None


def partnership_field(related_name: str, on_delete=None):
    """The partnership a piece of working data belongs to (null only for rows made before any partnership)."""
    from django.db import models
    from django.utils.translation import gettext_lazy as _

    return models.ForeignKey(
        "partnership.Partnership",
        verbose_name=_("partnerskap"),
        on_delete=on_delete or models.CASCADE,
        null=True,
        blank=True,
        default=current_partnership_id,
        related_name=related_name,
    )


def is_default(partnership) -> bool:
    """Whether this is the installation's default partnership (whose roles the Django groups hold)."""
    flag = getattr(partnership, "_is_default", None)
    if flag is None:
        default = default_partnership()
        flag = partnership._is_default = default is not None and default.pk == partnership.pk
    return flag


def active():
    """The partnership of the request under way, or None outside a request (then the default applies).

    An unprefixed request's partnership, the default one, is read when first asked for, not by the middleware:
    a public page served from the cache (most of the project bank's traffic) never asks."""
    partnership = _current.get()
    return partnership() if isinstance(partnership, _DefaultOnce) else partnership


class _DefaultOnce:
    """The default partnership, read when first asked for and then kept for the request."""

    def __init__(self):
        self.asked, self.partnership = False, None

    def __call__(self):
        if not self.asked:
            self.partnership = default_partnership()
            if self.partnership is not None:
                self.partnership._is_default = True
            self.asked = True
        return self.partnership


@cache
def urlconf_for(slug: str):
    """The root URLs with the partnership apps' pages also under `<slug>/`, first so that reverse() picks them."""
    from django.urls import include, path

    from samhandling import urls as root

    urlconf = ModuleType(f"samhandling.urls[{slug}]")  # hashable, as Django's resolver cache needs
    urlconf.urlpatterns = [path(f"{slug}/", include(list(root.app_urls(scoped=True)))), *root.urlpatterns]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        setattr(urlconf, handler, getattr(root, handler))
    return urlconf


@cache
def reserved_segments() -> frozenset[str]:
    """First path segments the root URLs use: no partnership may take one as its slug."""
    from django.urls import URLResolver, get_resolver

    def firsts(patterns):
        for p in patterns:
            text = str(p.pattern).lstrip("^")
            if text == "" and isinstance(p, URLResolver):
                yield from firsts(p.url_patterns)
            else:
                yield text.split("/", 1)[0]

    return frozenset(s for s in firsts(get_resolver().url_patterns) if s and "<" not in s)


class PartnershipMiddleware:
    """Sets `request.partnership` (and the URLconf of a prefixed request) before the URL is resolved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        partnership = None
        segment = request.path_info.lstrip("/").split("/", 1)[0]
        if segment and segment not in reserved_segments():
            from .models import Partnership

            partnership = Partnership.objects.select_related("programme_region").filter(slug=segment).first()
            if partnership is not None:
                request.urlconf = urlconf_for(partnership.slug)
        if partnership is None:
            partnership = _DefaultOnce()
            request.partnership = SimpleLazyObject(partnership)  # the same read as `active()`'s
        else:
            request.partnership = partnership
        token = _current.set(partnership)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def assign_existing_rows(*models: tuple[str, str]):
    """For a migration: rows made before their model had a partnership belong to the installation's default one."""

    def assign(apps, _schema_editor):
        partnerships = apps.get_model("partnership", "Partnership").objects.order_by("pk")
        default = partnerships.filter(name=settings.PARTNERSHIP_NAME).first() or partnerships.first()
        if default is not None:
            for label, name in models:
                apps.get_model(label, name).objects.filter(partnership__isnull=True).update(partnership=default)

    return assign


def current():
    """The partnership of the request under way, else the installation's default one."""
    return active() or default_partnership()


@contextmanager
def within(partnership):
    """Runs the block as if in a request to that partnership's pages: its rows, roles and URLs."""
    from django.urls import get_urlconf, set_urlconf

    token, urlconf = _current.set(partnership), get_urlconf()
    set_urlconf(None if is_default(partnership) else urlconf_for(partnership.slug))
    try:
        yield
    finally:
        set_urlconf(urlconf)
        _current.reset(token)


def partnerships_of(user) -> list:
    """The partnerships the user holds a partnership-bound role in: the default one through groups, any other
    through PartnershipRole rows (a superuser: all)."""
    from samhandling.access.roles import PARTNERSHIP_ROLES

    from .models import Partnership

    partnerships = Partnership.objects.select_related("programme_region").order_by("name")
    if user.is_superuser:
        return list(partnerships)
    found = list(partnerships.filter(roles__user=user).distinct())
    default = default_partnership()
    grouped = user.groups.filter(name__in=[r.value for r in PARTNERSHIP_ROLES]).exists()
    if default is not None and grouped and all(p.pk != default.pk for p in found):
        found.insert(0, default)
    return found


def scoped(qs, path: str = "partnership"):
    """The rows of `qs` that belong to the current partnership (`path` leads from the row to its partnership)."""
    return qs.filter(**{path: current()})

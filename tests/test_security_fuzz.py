"""Every form the site shows, fuzzed: found by crawling the URL conf as each role, never listed by hand.

For each role, the crawl starts at every route that takes no parameters and follows the site's own links
(a few pages per URL shape: /ideer/3/ and /ideer/4/ are one shape), collecting each <form method="post">.
Each form is then posted with every text field over-long, holding control characters, starting like a
formula, and with every choice set to ids the form did not offer (other organisations' records).
Whatever the form answers, it must not be a server error, and no text that may not be stored may be
stored: no control characters anywhere, nothing longer than its field's limit. A new form is covered the
day it is linked from a page.
"""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Length
from django.test import Client
from django.urls import NoReverseMatch, reverse

from samhandling.access.matrix import allowed_roles, rules
from samhandling.access.roles import Role
from samhandling.core.text import TEXT_MAX_LENGTH

MAX_PAGES = 250
PER_SHAPE = 4  # pages of one URL shape visited (a list's first few records, in states that differ)
SKIP = ("/static/", "/media/", "/api/", "/admin/", "/logga-ut", "/i18n/")
DOWNLOADS = re.compile(r"\.(pdf|csv|xlsx|json|docx|zip)$|/(csv|xlsx|json|pdf)/$")
PAYLOADS = {
    "over-long": "å" * (TEXT_MAX_LENGTH + 1),
    "control characters": "Text\x0bmed\x00styr\x1btecken",
    "formula": '=HYPERLINK("http://evil.example","klicka")',
    "other ids": None,  # text fields keep a plain value; every choice gets ids the form did not offer
}
FOREIGN_IDS = ["999999", "1", "-1", "0"]


class Forms(HTMLParser):
    """The links and POST forms of a page: forms as (action, [(kind, name, value, options)])."""

    def __init__(self):
        super().__init__()
        self.links, self.forms = [], []
        self._form = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = (a.get("action") or "", [])
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._form[1].append(((a.get("type") or "text").lower(), a["name"], a.get("value") or "", None))
        elif tag == "textarea" and a.get("name"):
            self._form[1].append(("textarea", a["name"], "", None))
        elif tag == "button" and a.get("name"):
            self._form[1].append(("submit", a["name"], a.get("value") or "", None))
        elif tag == "select" and a.get("name"):
            self._select = ("select", a["name"], "", [])
            self._form[1].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select[3].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(client) -> dict[tuple[str, tuple], str]:
    """{(form action shape, field names): page URL, action URL}: each distinct form once."""
    start = []
    for name in sorted(rules()):
        if allowed_roles(name, "GET"):
            try:
                start.append(reverse(name))
            except NoReverseMatch:
                continue
    queue, visited, per_shape, forms = ["/", *start], set(), Counter(), {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in visited or per_shape[shape(path)] >= PER_SHAPE or path.startswith(SKIP) or DOWNLOADS.search(path):
            continue
        visited.add(path)
        per_shape[shape(path)] += 1
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        parser = Forms()
        parser.feed(response.content.decode())
        for href in parser.links:
            target = urlsplit(urljoin(url, href))
            if not target.netloc or target.netloc == "testserver":
                queue.append(target.path)
        for action, fields in parser.forms:
            target = urlsplit(urljoin(url, action)).path
            if target.startswith(SKIP):
                continue
            key = (shape(target), tuple(sorted({f[1] for f in fields})))
            forms.setdefault(key, (target, fields))
    return forms


def hostile(fields, payload) -> dict:
    data: dict[str, list[str]] = {}
    pressed = False
    for kind, name, value, options in fields:
        if kind in ("hidden",):
            data.setdefault(name, []).append(value)
        elif kind in ("submit", "button", "image"):
            if not pressed:
                data.setdefault(name, []).append(value)
                pressed = True
        elif kind in ("checkbox", "radio"):
            data.setdefault(name, [value or "on"])
        elif kind == "file":
            continue
        elif kind == "select":
            offered = [o for o in options if o]
            if payload is None:
                data[name] = [next((i for i in FOREIGN_IDS if i not in offered), "999999")]
            else:
                data[name] = offered[:1] or [""]
        else:
            data[name] = [payload if payload is not None else "1"]
    return data


def unstorable_rows() -> list[str]:
    """Product records holding text no path should have let in."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("samhandling."):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                continue
            manager = model._base_manager
            limit = field.max_length or TEXT_MAX_LENGTH
            for char in ("\x0b", "\x1b"):  # (NUL cannot be searched for with LIKE on SQLite)
                if manager.filter(**{f"{field.name}__contains": char}).exists():
                    found.append(f"{model._meta.label}.{field.name} holds U+{ord(char):04X}")
            if manager.annotate(_length=Length(field.name)).filter(_length__gt=limit).exists():
                found.append(f"{model._meta.label}.{field.name} longer than {limit}")
    return found


def login_as(role, make_user):
    from samhandling.mobilisation.models import OrganisationUser
    from samhandling.projects.models import Organisation

    client = Client(raise_request_exception=False)
    if role is not Role.PUBLIC:
        user = make_user(f"fuzz-{role}", role)
        if role is Role.APPLICANT:
            organisation = Organisation.objects.create(name="Fuzzföreningen", sector=Organisation.Sector.CIVIL_SOCIETY)
            OrganisationUser.objects.create(user=user, organisation=organisation)
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "role", [Role.PUBLIC, Role.APPLICANT, Role.MEMBER, Role.ASSESSOR, Role.SECRETARIAT, Role.MA_OFFICER]
)
def test_every_form_survives_hostile_input(demo, make_user, open_call, role):
    open_call(number=9)  # an open call, so the application form is there to be found
    client = login_as(role, make_user)
    forms = crawl(client)
    if role is Role.APPLICANT:
        assert any(shape(action).endswith("/ansok/") for action, _f in forms.values()), "discovery is broken"
    errors = []
    for (_shape, _names), (action, fields) in sorted(forms.items()):
        for label, payload in PAYLOADS.items():
            response = client.post(action, hostile(fields, payload))
            if response.status_code >= 500:
                error = getattr(response, "exc_info", None)  # the exception, so a failure says what broke
                raised = f" {error[0].__name__}: {str(error[1])[:300]}" if error else ""
                errors.append(f"{action} ({label}): HTTP {response.status_code}{raised}")
    assert not errors, "\n".join(errors)
    assert unstorable_rows() == []

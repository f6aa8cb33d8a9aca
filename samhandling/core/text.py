"""Stored text: one rule for every text a user or a file can put into the database, on every path in.

- No control characters (tab, line feed and carriage return aside): they have no place in a name or a
  description, XLSX cannot hold them, and PostgreSQL refuses NUL.
- A length limit: a CharField's `max_length`; a TextField's `max_length`, else `TEXT_MAX_LENGTH`; every string
  inside a JSONField the same. Without it one draft can hold a million characters that every page, export
  and search index then carries.

The rule is applied where text enters, each with a message naming the field:
- ModelForms (web and admin): `install()` adds the checks to every text field's validators, which
  `full_clean` runs; `CheckedForm` does the same for plain forms' text fields;
- services, the API and scripts: a pre_save check on every model of the product's apps refuses to store
  what the forms would have refused (ValidationError keyed by field), so no path can skip it;
- importers call `reason()` per field and report file, row and field.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.text import capfirst
from django.utils.translation import gettext as _

TEXT_MAX_LENGTH = 50_000
CONTROL_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # as a regex class; also the API schema's pattern (core.api)
CONTROL = re.compile(f"[{CONTROL_CLASS}\ud800-\udfff]")  # and lone surrogates, which no database stores


def limit_of(field) -> int:
    return getattr(field, "max_length", None) or TEXT_MAX_LENGTH


def reason(value: str, max_length: int = TEXT_MAX_LENGTH) -> str | None:
    """Why this text cannot be stored (in Swedish, without the field's name); None when it can."""
    if len(value) > max_length:
        return _("högst %(max)s tecken (texten har %(length)s)") % {
            "max": f"{max_length:,}".replace(",", "\u00a0"),
            "length": f"{len(value):,}".replace(",", "\u00a0"),
        }
    found = CONTROL.search(value)
    if found:
        return _("texten innehåller ett otillåtet styrtecken (U+%(code)04X)") % {"code": ord(found.group())}
    return None


def problem(label, value: str, max_length: int = TEXT_MAX_LENGTH) -> str | None:
    """`reason()` as a message naming the field: "Sammanfattning: högst 50 000 tecken (texten har 50 001)."."""
    found = reason(value, max_length)
    return f"{capfirst(str(label))}: {found}." if found else None


def json_problem(label, value, max_length: int = TEXT_MAX_LENGTH) -> str | None:
    """`problem()` for each string (key or value) anywhere inside a JSON value."""
    if isinstance(value, str):
        return problem(label, value, max_length)
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, (list, tuple)) else ()
    for key, item in items:
        found = (isinstance(key, str) and problem(label, key, max_length)) or json_problem(label, item, max_length)
        if found:
            return found
    return None


class TextValidator:
    """A model field's validator: the field's own limit and no control characters, named by its label."""

    def __init__(self, field):
        self.label, self.is_json = field.verbose_name, isinstance(field, models.JSONField)
        # a CharField's own MaxLengthValidator already reports its length, next to the field
        self.max_length = 10**9 if isinstance(field, models.CharField) else limit_of(field)

    def __call__(self, value):
        if value is None:
            return
        if self.is_json:
            found = json_problem(self.label, value, self.max_length)
        else:
            found = problem(self.label, str(value), self.max_length)
        if found:
            raise ValidationError(found, code="text")

    def __eq__(self, other):  # validators take part in field comparison; equal when they check the same
        return isinstance(other, TextValidator) and (self.label, self.max_length) == (other.label, other.max_length)


# Text the product derives from text already checked, not input: a frozen copy must store what it copies
# (signed minutes of records stored before this rule existed), and a report what it reports.
DERIVED = {
    "partnership.signedminutes.content",
    "partnership.signedminutes.public_content",
    "imports.importrun.errors",
}


def _text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        and not f.choices
        and f.editable
        and f"{model._meta.label_lower}.{f.name}" not in DERIVED
    ]


def instance_problems(instance) -> dict[str, str]:
    """{field name: message} for every text of this instance that cannot be stored."""
    errors = {}
    for field in _text_fields(type(instance)):
        value = getattr(instance, field.attname)
        if value is None:
            continue
        if isinstance(field, models.JSONField):
            found = json_problem(field.verbose_name, value, limit_of(field))
        else:
            found = problem(field.verbose_name, str(value), limit_of(field))
        if found:
            errors[field.name] = found
    return errors


def refuse_unstorable_text(sender, instance, raw=False, **kwargs):  # noqa: ARG001 (signal signature)
    """pre_save: the last guard, for writes that went through no form (services, API, scripts)."""
    errors = instance_problems(instance)
    if errors:
        raise ValidationError(errors)


def _product_models():
    return [m for m in apps.get_models() if m.__module__.startswith("samhandling.")]


def install():
    """Adds the check to every text field's validators and to every save (called from CoreConfig.ready).

    The validators are added to each field's list, not to its definition, so no migration records them.
    """
    for model in _product_models():
        fields = _text_fields(model)
        if not fields:
            continue
        for field in fields:
            field.validators.append(TextValidator(field))
        pre_save.connect(refuse_unstorable_text, sender=model, dispatch_uid=f"samhandling-text-{model._meta.label}")


class CheckedForm:
    """Mixin for plain forms: every text a field cleans is held to the same rule, named by the field's label.

    A CharField without `max_length` gets `TEXT_MAX_LENGTH`. ModelForms need it only for their extra fields.
    """

    def full_clean(self):
        super().full_clean()
        if not hasattr(self, "cleaned_data"):
            return
        for name, value in list(self.cleaned_data.items()):
            field = self.fields.get(name)
            if field is None:  # set by a form's own clean(), not typed in
                continue
            limit = getattr(field, "max_length", None) or TEXT_MAX_LENGTH
            for item in value if isinstance(value, (list, tuple)) else [value]:
                found = isinstance(item, str) and problem(field.label or name, item, limit)
                if found:
                    self.add_error(name, found)
                    break

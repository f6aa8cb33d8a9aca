"""Template filters: Swedish money formats, forms (core/forms), reference data in the reader's language."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from samhandling.core.money import format_mnkr, format_sek
from samhandling.core.language import in_reader_language

register = template.Library()


@register.filter
def sek(value):
    return "" if value is None or value == "" else format_sek(value)


@register.filter
def mnkr(value):
    return "" if value is None or value == "" else format_mnkr(value)


@register.filter
def is_required(bound_field) -> bool:
    """Required now (the form refuses a blank) or later (a draft's submission does, see core.forms)."""
    field = bound_field.field
    return bool(field.required or getattr(field, "required_later", False))


@register.filter
def has_required_fields(form) -> bool:
    return any(is_required(bf) for bf in form if not bf.is_hidden)


@register.simple_tag
def labelled_error(bound_field, error):
    """The error as the summary lists it: prefixed with the field's label unless the message already names it."""
    label = str(bound_field.label or "")
    return str(error) if not label or str(error).startswith(label) else f"{label}: {error}"


@register.filter
def localized(obj):
    """Reference data (fund, objective, criterion, theme) in the reader's language: its `name_en` in English
    when there is one, otherwise its Swedish name marked `lang="sv"` so it is read as Swedish (WCAG 3.1.2)."""
    if obj is None or obj == "":
        return ""
    name, english = getattr(obj, "name", str(obj)), getattr(obj, "name_en", "")
    if get_language() != "sv" and not english:
        return format_html('<span lang="sv">{}</span>', name)
    return in_reader_language(name, english)

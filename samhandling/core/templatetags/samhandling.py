"""Template filters for Swedish money formats."""

from django import template

from samhandling.core.money import format_mnkr, format_sek

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

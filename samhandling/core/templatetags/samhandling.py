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

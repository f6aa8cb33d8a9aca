"""Money is Decimal SEK with öre precision; never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

ORE = Decimal("0.01")


def to_money(value) -> Decimal:
    """Parse a number (int, str, Decimal) into SEK with two decimals; floats are refused."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a str, int or Decimal.")
    try:
        return Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"Ogiltigt belopp: {value!r}") from exc


def format_sek(value) -> str:
    """Swedish format: 34 500 000 kr (non-breaking spaces between thousands)."""
    amount = to_money(value)
    whole, _, ore = f"{amount:.2f}".partition(".")
    sign = "−" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = "\u00a0".join(groups) or "0"
    return f"{sign}{text}{',' + ore if ore != '00' else ''}\u00a0kr"


def format_mnkr(value) -> str:
    """Millions of kronor with one decimal and a Swedish comma: 116,8 mnkr."""
    amount = to_money(value) / Decimal(1_000_000)
    return f"{amount:.1f}".replace(".", ",") + "\u00a0mnkr"


class MoneyField(models.DecimalField):
    """SEK amount: up to 999 999 999 999,99 kr."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs

"""Swedish organisation numbers (organisationsnummer): ten digits, Luhn check digit."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn

_FORMAT = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")


def normalise_org_number(value: str) -> str:
    """Returns NNNNNN-NNNN or raises ValidationError naming what is wrong."""
    raw = (value or "").strip().replace(" ", "")
    match = _FORMAT.match(raw)
    if not match:
        raise ValidationError(
            _("Organisationsnumret ska ha tio siffror, till exempel 556000-0000."), code="org_number_format"
        )
    digits = match.group(1) + match.group(2)
    if not luhn.is_valid(digits):
        raise ValidationError(
            _("Organisationsnumret %(value)s har fel kontrollsiffra."),
            code="org_number_checksum",
            params={"value": f"{digits[:6]}-{digits[6:]}"},
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_org_number(value: str) -> None:
    if value:
        normalise_org_number(value)

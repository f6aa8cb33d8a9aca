"""Passwords Swedish users actually choose, refused alongside Django's validators (settings.py).

Django's CommonPasswordValidator knows English lists; "Sommar2026" and "korvkorvkorv" pass it. This one
refuses a password that, in lower case and without trailing digits and punctuation, is a word of
data/common-passwords-sv.txt or a repetition of one short piece, and one that is a season or month with a year.
"""

import re
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST = Path(__file__).parent / "data" / "common-passwords-sv.txt"
TRAILER = re.compile(r"[\d\W_]+$")
LEADER = re.compile(r"^[\d\W_]+")


@cache
def common_words() -> frozenset[str]:
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _repeated(text: str) -> bool:
    """ "korvkorvkorv", "abcabc", "aaaaaaaaaa": the text is one short piece over and over."""
    return len(text) >= 4 and re.fullmatch(r"(.{1,%d})\1+" % (len(text) // 2), text) is not None


def is_common(password: str) -> bool:
    lowered = password.casefold()
    base = LEADER.sub("", TRAILER.sub("", lowered))
    words = common_words()
    if not base or base in words or _repeated(base) or _repeated(lowered):
        return True
    # two common words run together ("hejsansommar", "kalleanka") or a word with a common name
    return any(base[:i] in words and base[i:] in words for i in range(2, len(base) - 1))


class SwedishCommonPasswordValidator:
    def validate(self, password, user=None):  # noqa: ARG002 (Django validator signature)
        if is_common(password):
            raise ValidationError(
                _("Lösenordet är för vanligt (t.ex. årstid eller namn med årtal, eller ett upprepat ord)."),
                code="password_too_common",
            )

    def get_help_text(self):
        return _("Lösenordet får inte vara ett vanligt ord, namn eller en årstid med årtal, eller ett upprepat ord.")

"""Date helpers."""

from datetime import date


def d(text: str) -> date:
    return date.fromisoformat(text)

"""Which of two names a reader gets: the one rule for reference data kept in Swedish and English."""

from django.utils.translation import get_language


def in_reader_language(name: str, name_en: str) -> str:
    """Reference data's name (fund, objective, criterion, theme, Annex I field) in the reader's language: the
    English name in English when there is one, the Swedish otherwise."""
    return name_en if name_en and get_language() != "sv" else name

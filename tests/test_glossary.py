"""docs/glossary.md stays in step with the code: every `samhandling.…` path it names must exist."""

import re
from importlib import import_module
from pathlib import Path

import pytest

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"
PATHS = sorted(set(re.findall(r"`(samhandling(?:\.\w+)+)`", GLOSSARY.read_text(encoding="utf-8"))))


def resolve(dotted: str):
    """The module or attribute a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ModuleNotFoundError(dotted)


def test_the_glossary_names_code():
    assert len(PATHS) > 40


@pytest.mark.parametrize("dotted", PATHS)
def test_each_path_in_the_glossary_exists(dotted):
    try:
        resolve(dotted)
    except (ModuleNotFoundError, AttributeError) as exc:
        pytest.fail(f"docs/glossary.md names {dotted}, which does not exist ({exc}); update the glossary")

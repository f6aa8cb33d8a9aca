"""The `samhandling` command: Django's management commands, plus `serve` for the production server."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    if language := os.environ.get("SAMHANDLING_LANGUAGE"):  # messages in another language than Swedish, e.g. "en"
        import django
        from django.utils import translation

        django.setup()
        translation.activate(language)
    execute_from_command_line(["samhandling", *argv[1:]])


if __name__ == "__main__":
    main()

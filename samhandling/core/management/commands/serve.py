"""Serves the app with gunicorn, the production WSGI server (static files through WhiteNoise)."""

import os
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Startar Samhandling med gunicorn (produktionsserver)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        # One process per core, each with a few threads for requests waiting on the database or the client:
        # measured on 2 cores, 2 × 4 served the public search ~50 % faster than 3 × 2 (bench/bench_load.py).
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2)))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("SAMHANDLING_THREADS", "4")))

    def handle(self, *args, host, port, workers, threads, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "samhandling.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        self.stdout.write(_("Samhandling på %(url)s") % {"url": f"http://{host}:{port}/"})
        self.stdout.flush()
        os.execv(sys.executable, argv)

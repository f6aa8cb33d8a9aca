"""Serves the app with gunicorn, the production WSGI server (static files through WhiteNoise)."""
import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Startar Samhandling med gunicorn (produktionsserver)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("SAMHANDLING_THREADS", "2")))

    def handle(self, *args, host, port, workers, threads, **options):
        argv = [
            sys.executable, "-m", "gunicorn", "samhandling.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-", "--graceful-timeout", "10",
        ]
        self.stdout.write(f"Samhandling på http://{host}:{port}/")
        self.stdout.flush()
        os.execv(sys.executable, argv)

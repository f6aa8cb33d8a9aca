"""Serves the app with gunicorn, the production WSGI server (static files through WhiteNoise), and runs the
background worker (samhandling.core.background) beside it: both start together and stop together."""

import os
import signal
import subprocess
import sys
import time

from django.utils.translation import gettext as _, gettext_lazy

WORKER_RESTART_PAUSE = 5  # seconds before a worker that died is started again


from samhandling.core.commands import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy("Startar Samhandling med gunicorn (produktionsserver) och bakgrundsarbetaren.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        # One process per core, each with a second thread for a request waiting on the database or a client.
        # Measured on 2 cores (bench/bench_load.py): 2 × 4 served the public search ~50 % faster than 3 × 2;
        # 2 × 2 as fast as 2 × 4 with a p99 a fifth lower (the threads of a process share one interpreter lock).
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 2)))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("SAMHANDLING_THREADS", "2")))
        parser.add_argument(
            "--no-task-worker",
            action="store_false",
            dest="task_worker",
            help=_("Starta inte bakgrundsarbetaren (när den körs som en egen tjänst: samhandling db_worker)."),
        )

    def handle(self, *args, host, port, workers, threads, task_worker=True, **options):
        web_argv = [
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
        worker_argv = [sys.executable, "-m", "samhandling", "db_worker", "--no-reload", "--verbosity", "1"]
        self.stdout.write(_("Samhandling på %(url)s") % {"url": f"http://{host}:{port}/"})
        self.stdout.flush()
        web = subprocess.Popen(web_argv)
        worker = subprocess.Popen(worker_argv) if task_worker else None
        stopping = False

        def stop(signum, frame):  # noqa: ARG001 (signal handler signature)
            nonlocal stopping
            stopping = True
            web.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while web.poll() is None:
                if worker is not None and worker.poll() is not None and not stopping:
                    self.stderr.write(f"Bakgrundsarbetaren avslutades (kod {worker.returncode}); startar om.")
                    time.sleep(WORKER_RESTART_PAUSE)
                    worker = subprocess.Popen(worker_argv)
                time.sleep(0.5)
        finally:
            if web.poll() is None:
                web.terminate()
            if worker is not None and worker.poll() is None:
                worker.terminate()  # the worker finishes the task it is running, then exits
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
            web.wait()
        sys.exit(web.returncode if web.returncode and web.returncode > 0 else 0)

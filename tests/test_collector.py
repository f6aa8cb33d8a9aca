"""The cycle collector's set-up for a server process (core.collector): the WSGI module, which gunicorn loads in
each worker, freezes what the loaded application keeps and raises the threshold of the first generation."""

import subprocess
import sys

from samhandling.core import collector


def test_a_server_process_freezes_the_loaded_application_and_collects_less_often():
    probe = "import gc, samhandling.wsgi; print(gc.get_threshold()[0], gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    threshold, frozen = int(out[0]), int(out[1])
    assert threshold == collector.SERVING_THRESHOLD
    assert frozen > 50_000  # Django, the URL conf and the apps: what every request would otherwise scan again

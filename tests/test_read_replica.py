"""A read replica for the public pages (SAMHANDLING_REPLICA_URL, samhandling.core.replica), on two SQLite files
standing for the primary and a replica that has not yet received the primary's last write.

A child process runs Django with both, since the databases are fixed when Django starts: a project written to
the primary is not found by an anonymous visitor (who reads the replica) but is by a signed-in user (who
reads the primary), and what an anonymous request writes (the network's queued build) goes to the primary.
"""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment
    from samhandling.programmes.models import Fund
    from samhandling.projects.models import Project

    setup_test_environment()
    fund = Fund.objects.create(code="ERUF", name="Regionalfonden", managing_authority="Tillväxtverket")
    project = Project.objects.create(name="Bara i primären", fund=fund, status=Project.Status.GRANTED)
    url = f"/projekt/{project.pk}/"
    print("anonymous", Client().get(url).status_code)
    signed_in = Client()
    signed_in.force_login(User.objects.create_user("lasare"))
    print("signed-in", signed_in.get(url).status_code)
    from samhandling.portfolio.models import NetworkBuild
    Client().get("/portfoljen/natverk/")  # reads on the replica, queues the network's build on the primary
    print("queued-on", sorted(a for a in ("default", "replica") if NetworkBuild.objects.using(a).exists()))
    """
)


def test_anonymous_reads_go_to_the_replica_and_everything_else_to_the_primary(tmp_path, migrated_sqlite):
    primary, replica = migrated_sqlite(tmp_path / "primary.sqlite3"), migrated_sqlite(tmp_path / "replica.sqlite3")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samhandling.settings",
        "DATABASE_URL": f"sqlite:///{primary}",
        "SAMHANDLING_REPLICA_URL": f"sqlite:///{replica}",
        "SAMHANDLING_VAR": str(tmp_path),
        "SAMHANDLING_DEMO": "0",
    }
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    answers = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.startswith(("anon", "sign", "que")))
    assert answers == {"anonymous": "404", "signed-in": "200", "queued-on": "['default']"}


def test_without_a_replica_url_there_is_no_router():
    from django.conf import settings

    assert "replica" not in settings.DATABASES and not settings.DATABASE_ROUTERS

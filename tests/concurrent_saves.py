"""Helper of test_concurrent_edits: 40 threads save the same minutes item at once through the web UI, against
the SQLite file database named by $DATABASE_URL (each thread its own connection). Prints the statuses as JSON."""

import json
import os
import threading
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from samhandling.access.roles import Role  # noqa: E402
from samhandling.partnership import services  # noqa: E402
from samhandling.partnership.models import Partnership  # noqa: E402
from samhandling.projects.models import ProgrammeRegion  # noqa: E402

PARALLEL = 40


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    user = User.objects.create_user("sekr")
    user.groups.add(Group.objects.get_or_create(name=str(Role.SECRETARIAT))[0])
    partnership = Partnership.objects.create(name="Parallellt", programme_region=ProgrammeRegion.objects.first())
    meeting = services.create_meeting(partnership, date=date(2026, 6, 11))
    item = services.add_item(meeting, title="Budget", matter="Start")
    url = f"/sammantraden/{meeting.year}/{meeting.number}/paragrafer/{item.pk}/"
    connection.close()
    statuses, start = [], threading.Barrier(PARALLEL)

    def save(n):
        client = Client()
        client.force_login(user)
        start.wait()
        form = {"item-title": "Budget", "item-matter": f"Flik {n}", "item-version": item.version}
        try:
            statuses.append(client.post(url, form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(statuses))


if __name__ == "__main__":
    main()

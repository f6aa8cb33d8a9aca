"""Demo: the Stockholm region's projects from Tillväxtverket's real project bank, through the real importer.

Only a slice (a few rows) so `samhandling demo` stays quick; the whole file is `samhandling import
tillvaxtverket-json`. Without the shared data folder the demo goes on without them.
"""
from django.conf import settings

from samhandling.projects.models import Project

from .formats import tillvaxtverket_json
from .services import import_file

ORDER = 80
REGION = "Stockholm"
FILE = "data/open/se-tillvaxtverket-eruf-2014-2020.json"


def load():
    path = settings.SHARED_DIR / FILE
    if not path.exists():
        print(f"Demo: {path} saknas, inga projekt från Tillväxtverkets projektbank.")
        return
    if Project.objects.filter(source=tillvaxtverket_json.SOURCE, programme_region__name=REGION).exists():
        return
    import_file("tillvaxtverket-json", path, only=lambda record: record.programme_region == REGION)

"""Demo: the Stockholm region's research and innovation projects from Tillväxtverket's real project bank.

They come in through the real importer, but only a slice (four rows) so `samhandling demo` stays quick;
the whole file is `samhandling import tillvaxtverket-json`. (The SME projects are left out: their objective's
label mentions agriculture, which the mobilisation demo's farm-biogas idea would then match.) Without the
shared data folder the demo goes on without them.
"""

import logging

from django.conf import settings

from samhandling.projects.models import Project

from .formats import tillvaxtverket_json
from .services import import_file

ORDER = 80
REGION = "Stockholm"
OBJECTIVE = "Att stärka forskning"
FILE = "data/open/se-tillvaxtverket-eruf-2014-2020.json"
log = logging.getLogger(__name__)


def load():
    path = settings.SHARED_DIR / FILE
    if not path.exists():
        log.warning("Demo: %s saknas, inga projekt från Tillväxtverkets projektbank.", path)
        return
    if Project.objects.filter(source=tillvaxtverket_json.SOURCE, programme_region__name=REGION).exists():
        return
    import_file(
        "tillvaxtverket-json",
        path,
        only=lambda record: record.programme_region == REGION and record.thematic_objective.startswith(OBJECTIVE),
    )

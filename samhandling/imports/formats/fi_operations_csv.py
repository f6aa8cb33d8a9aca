"""The Finnish list of ERDF and ESF projects 2014–2020 (the structural funds' information service EURA).

Finnish headers, dates `1.3.2015`, whole euros; some projects have no beneficiary name (kept without an
applicant). `Myönnetty EU- ja valtion rahoitus` (granted EU and state funding) is the amount granted and
`Suunniteltu julkinen rahoitus yhteensä` (planned public funding) the total cost. Amounts are in EUR in
the file and are stored in SEK (the project bank's currency) at the ECB's 2016 average rate, SEK_PER_EUR.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .base import Record, RowError, csv_rows, parsed, day, number, required, text

SOURCE = "fi-eura"
DEFAULTS = {"period": 2014, "country": "FI"}
FUNDS = {"EAKR": "ERUF", "ESR": "ESF"}
SEK_PER_EUR = Decimal("9.4689")  # ECB reference rate, 2016 average
STATUSES = {"toiminnassa": "ongoing", "päättynyt": "completed", "hyväksytty": "granted"}


GRANTED = "Myönnetty EU- ja valtion rahoitus"
PLANNED = "Suunniteltu julkinen rahoitus yhteensä"


def sek(amount):
    return None if amount is None else (amount * SEK_PER_EUR).quantize(Decimal("0.01"))


def parse(row: dict) -> Record:
    fund_code = required(row.get("Rahasto"), "Rahasto")
    if fund_code not in FUNDS:
        raise RowError("Rahasto", _("okänd fondkod ”%(code)s” (känner EAKR och ESR)") % {"code": fund_code[:20]})
    state = required(row.get("Tila"), "Tila")
    if state.casefold() not in STATUSES:
        raise RowError("Tila", _("okänd status ”%(code)s”") % {"code": state[:40]})
    axis = text(row.get("Tl"))
    return Record(
        source_id=required(row.get("Koodi"), "Koodi"),
        name=required(row.get("Hankkeen nimi"), "Hankkeen nimi"),
        fund=FUNDS[fund_code],
        status=STATUSES[state.casefold()],
        beneficiary=text(row.get("Toteuttajan nimi")),
        priority=f"Toimintalinja {axis}" if axis else "",
        location_text=re.sub(r"\s+", " ", text(row.get("Viranomainen"))),
        start_date=day(row.get("Aloituspvm"), "Aloituspvm"),
        end_date=day(row.get("Päättymispvm"), "Päättymispvm"),
        amount_granted=sek(number(row.get(GRANTED), GRANTED)),
        total_cost=sek(number(row.get(PLANNED), PLANNED)),
        **DEFAULTS,
    )


def rows(path):
    return parsed(csv_rows(path), parse)

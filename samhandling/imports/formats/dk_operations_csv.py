"""The Danish ERDF/ESF list of operations 2014–2020 (Erhvervsstyrelsen), a CSV with bilingual headers.

Amounts are written `7.500.000`, dates `26.01.2016`, the rate `50%`; the priority axis, description,
contacts and partners are multi-line cells. The file has no operation id, so the id is a digest of the
fields that tell operations apart (a changed amount or text then updates the operation it belongs to).
Coordinates (UTM) and the beneficiary's street address are not kept. Amounts are in DKK in the file
and are stored in SEK (the project bank's currency) at the ECB's 2016 average rate, SEK_PER_DKK.
"""

import hashlib
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .base import Record, RowError, csv_rows, parsed, day, number, rate, required, split_list, text

SOURCE = "dk-erhvervsstyrelsen"
DEFAULTS = {"period": 2014, "status": "granted"}
FUNDS = {"R": "ERUF", "S": "ESF"}
SEK_PER_DKK = Decimal("9.4689") / Decimal("7.4452")  # ECB reference rates, 2016 averages (EUR/SEK, EUR/DKK)
COUNTRIES = {"denmark": "DK", "danmark": "DK"}

NAME = "Projektitel / Operation name"
START = "Startdato / Operation start date"
END = "Slutdato / Operation end date"
PRIORITY = "Prioritetsakse / Priority axis"
BUDGET = "Budget / Budget"
EU = "EU-medfinansiering / Union co-financing"
RATE = "EU-medfinansieringssats / Union co-financing rate"
SUMMARY = "Projektbeskrivelse"
FUND = "Fond / Fund"
REGION = "Region / Region"
COUNTRY = "Land / Country"
BENEFICIARY = "Kontraktansvarlig partner / Beneficiary name"
POSTCODE = "Postnr / Operation postcode"
CITY = "Bynavn / City name"
CONTACTS = "Kontaktperson / Contacts"
PARTNERS = "Partere / Project partners"


def one_line(value) -> str:
    return re.sub(r"\s*\n\s*", " ", text(value))


def contacts(value) -> list[tuple[str, str, str, str]]:
    """`Name,phone,e-mail.` per line."""
    out = []
    for line in split_list(value, separators=""):
        name, _sep, rest = line.partition(",")
        phone, _sep, email = rest.partition(",")
        if name.strip():
            out.append((name.strip(), "", phone.strip(), email.strip().rstrip(".")))
    return out


def sek(amount):
    return None if amount is None else (amount * SEK_PER_DKK).quantize(Decimal("0.01"))


def parse(row: dict) -> Record:
    name = required(row.get(NAME), NAME)
    beneficiary = required(row.get(BENEFICIARY), BENEFICIARY)
    fund_code = required(row.get(FUND), FUND)
    if fund_code not in FUNDS:
        raise RowError(FUND, _("okänd fondkod ”%(code)s” (känner R och S)") % {"code": fund_code[:20]})
    country_name = required(row.get(COUNTRY), COUNTRY)
    country = COUNTRIES.get(country_name.casefold())
    if country is None:
        raise RowError(COUNTRY, _("okänt land ”%(name)s”") % {"name": country_name[:40]})
    priority, region = one_line(row.get(PRIORITY)), one_line(row.get(REGION))
    start = day(row.get(START), START)
    key = "|".join([name, beneficiary, str(start), fund_code, priority, region])
    place = " ".join(p for p in (text(row.get(POSTCODE)), text(row.get(CITY))) if p)
    return Record(
        source_id="dk-" + hashlib.sha1(key.encode()).hexdigest()[:16],
        name=name,
        beneficiary=beneficiary,
        fund=FUNDS[fund_code],
        country=country,
        start_date=start,
        end_date=day(row.get(END), END),
        priority=priority,
        summary=text(row.get(SUMMARY)),
        total_cost=sek(number(row.get(BUDGET), BUDGET)),
        amount_granted=sek(number(row.get(EU), EU)),
        cofinancing_rate=rate(row.get(RATE), RATE),
        location_text=", ".join(p for p in (place, region) if p),
        partners=[p.rstrip(".").strip() for p in split_list(row.get(PARTNERS), separators="")],
        contacts=contacts(row.get(CONTACTS)),
        **DEFAULTS,
    )


def rows(path):
    return parsed(csv_rows(path), parse)

"""Tillväxtverket's project bank (Regionalfonden 2014–2020) as JSON: a list of one object per project.

Amounts are whole SEK, `län` and `kommuner` comma-separated names, `område` a programme region's name or
the national programme, missing values the literal `UPPGIFT SAKNAS`. The project leader's name, phone and
e-mail are kept as a contact person (personal data, for the secretariat only).
"""

import ijson

from django.utils.translation import gettext as _

from .base import Record, RowError, parsed, day, number, required, split_list, text

SOURCE = "tillvaxtverket"
DEFAULTS = {"fund": "ERUF", "period": 2014, "status": "granted", "country": "SE"}
NATIONAL = "nationell"


def json_array(path):
    """(position, item) for each element of the top-level JSON array, read incrementally (ijson)."""
    position = 0
    with open(path, "rb") as handle:
        try:
            for position, item in enumerate(ijson.items(handle, "item"), start=1):
                yield position, item
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise RowError(
                "-", _("JSON-filen är trasig efter post %(n)s (%(error)s)") % {"n": position, "error": str(exc)[:80]}
            ) from None


def parse(item) -> Record:
    if not isinstance(item, dict):
        raise RowError("-", _("posten är inte ett JSON-objekt"))
    region = text(item.get("område"))
    contact = text(item.get("projektledare"))
    return Record(
        source_id=required(item.get("ärende-id"), "ärende-id"),
        name=required(item.get("projektnamn"), "projektnamn"),
        beneficiary=required(item.get("stödmottagare"), "stödmottagare"),
        summary=text(item.get("projektbeskrivning")),
        amount_granted=number(item.get("beviljat_belopp_sek"), "beviljat_belopp_sek"),
        start_date=day(item.get("projekt_starttid"), "projekt_starttid"),
        end_date=day(item.get("projekt_sluttid"), "projekt_sluttid"),
        counties=split_list(item.get("län")),
        municipalities=split_list(item.get("kommuner")),
        programme_region="" if region.casefold().startswith(NATIONAL) else region,
        priority=text(item.get("insatsområde")),
        thematic_objective=text(item.get("tematiskt_mål")),
        location_text=text(item.get("län")),
        contacts=[(contact, _("Projektledare"), text(item.get("telnr")), text(item.get("e-post")))] if contact else [],
        **DEFAULTS,
    )


def rows(path):
    return parsed(json_array(path), parse)

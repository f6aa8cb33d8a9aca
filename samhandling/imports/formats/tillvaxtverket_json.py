"""Tillväxtverket's project bank (Regionalfonden 2014–2020) as JSON: a list of one object per project.

Amounts are whole SEK, `län` and `kommuner` comma-separated names, `område` a programme region's name or
the national programme, missing values the literal `UPPGIFT SAKNAS`. The project leader's name, phone and
e-mail are kept as a contact person (personal data, for the secretariat only).
"""
import json

from django.utils.translation import gettext as _

from .base import Record, RowError, parsed, day, number, required, split_list, text

SOURCE = "tillvaxtverket"
DEFAULTS = {"fund": "ERUF", "period": 2014, "status": "granted", "country": "SE"}
NATIONAL = "nationell"
CHUNK = 1 << 16


def json_array(path):
    """(position, item) for each element of a top-level JSON array, decoded piece by piece."""
    decoder = json.JSONDecoder()
    with open(path, encoding="utf-8-sig") as handle:
        buffer = ""

        def fill() -> bool:
            nonlocal buffer
            chunk = handle.read(CHUNK)
            buffer += chunk
            return bool(chunk)

        while not buffer.strip():
            if not fill():
                raise RowError("-", _("filen är tom"))
        buffer = buffer.lstrip()
        if not buffer.startswith("["):
            raise RowError("-", _("filen ska vara en JSON-lista"))
        buffer, position = buffer[1:], 0
        while True:
            buffer = buffer.lstrip()
            if position and buffer.startswith(","):
                buffer = buffer[1:].lstrip()
            if buffer.startswith("]"):
                return
            try:
                if not buffer:
                    raise json.JSONDecodeError("", "", 0)
                item, end = decoder.raw_decode(buffer)
            except json.JSONDecodeError:
                if not fill():
                    raise RowError("-", _("JSON-filen tar slut eller är trasig efter post %(n)s") % {"n": position}) from None
                continue
            position += 1
            yield position, item
            buffer = buffer[end:]


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

"""The public version of the minutes, derived from their content (the frozen content once signed).

What the law lets a partnership leave out of what it publishes is left out here, in one place: items marked as
not public (secrecy under OSL, personal matters) keep only their number and the reason; names the secretariat
lists as personal data on any item, guests' names, and e-mail addresses, phone numbers and personnummer
anywhere are replaced by a marker. Members, substitutes and officials act in public office and stay named.
The full version stays the record; both versions are signed.
"""

import copy
import re

MASK = "[personuppgift utelämnad]"
NOTICE = (
    "Offentlig version. Personuppgifter som inte publiceras och paragrafer som inte är offentliga är utelämnade. "
    "Det fullständiga signerade originalet förvaras hos partnerskapets sekretariat och lämnas ut på begäran "
    "efter sekretessprövning."
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# a personnummer or samordningsnummer (month 01–12, day 01–31 or 61–91); an organisationsnummer (month ≥ 20) is
# an organisation's and stays
PERSONNUMMER = re.compile(
    r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?\d{4}(?!\d)"
)
# a phone number starts with 0 or +46, not inside a longer number ('1 000 000 000 kronor' stays)
PHONE = re.compile(r"(?<![\w+])(?<!\d[ -])(?:\+46|0)[ -]?\d{1,4}(?:[ -]?\d{2,4}){2,4}(?!\d)")
# keys whose values are the minutes' own structure, not text a person wrote
STRUCTURAL = {"kind", "role", "choice", "outcome", "winner", "sha256", "date", "start_time", "end_time"}


def personal_data_phrases(content: dict) -> list[str]:
    """The names and other personal data the secretariat listed on any item (longest first, so a full name goes
    before a part of it)."""
    phrases = {
        line.strip()
        for item in content.get("items", [])
        for line in (item.get("personal_data") or "").splitlines()
        if len(line.strip()) >= 2
    }
    return sorted(phrases, key=len, reverse=True)


def mask_text(text: str, phrases: list[str]) -> str:
    for phrase in phrases:
        text = re.sub(re.escape(phrase), MASK, text, flags=re.IGNORECASE)
    for pattern in (EMAIL, PERSONNUMMER, PHONE):
        text = pattern.sub(MASK, text)
    return text


def _masked(value, phrases, key=""):
    if isinstance(value, dict):
        return {k: _masked(v, phrases, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, phrases, key) for v in value]
    if isinstance(value, str) and key not in STRUCTURAL:
        return mask_text(value, phrases)
    return value


def _withheld(item: dict) -> dict:
    """A § that is not public: its number and the reason, nothing of its matter, decision or people."""
    return {
        "number": item["number"],
        "order": item.get("order", 0),
        "kind": item["kind"],
        "title": "Ej offentlig paragraf",
        "withheld": True,
        "withheld_reason": item.get("withheld_reason", ""),
        "registry_number": "",
        "presenter": "",
        "matter": "Paragrafen utelämnas i den offentliga versionen. Skäl: "
        + (item.get("withheld_reason") or "uppgifterna är inte offentliga")
        + ".",
        "proposal": "",
        "decision_intro": "",
        "decided_without_quorum": False,
        "projects": [],
        "project_ids": [],
        "decision_points": [],
        "notes": [],
        "votes": [],
        "dissents": [],
        "conflicts": [],
        "attachments": [],
    }


def public_content(content: dict) -> dict:
    """The public version of a content dict; the same content gives the same public version."""
    phrases = personal_data_phrases(content)
    doc = copy.deepcopy(content)
    items = []
    for item in doc["items"]:
        item.pop("personal_data", None)
        items.append(_withheld(item) if item.get("public", True) is False else item)
    doc["items"] = items
    for p in doc.get("participants", []):
        if p["kind"] == "guest":
            p["name"] = MASK
    doc = _masked(doc, phrases)
    doc["public_version"] = True
    return doc


def is_withheld(content: dict, number: int) -> bool:
    return any(i["number"] == number and i.get("public", True) is False for i in content.get("items", []))

"""Reads for projects and organisations."""


def public_org_number(org_number: str) -> str | None:
    """A legal person's number is public; a sole trader's is a personal identity number and is withheld.

    Swedish legal persons have a third digit of 2 or more; personal identity numbers (months 01–12) do not.
    """
    if not org_number or len(org_number) < 3 or int(org_number[2]) < 2:
        return None
    return org_number


OBJECTIVE_PREFIX = {"ERUF": "RSO", "ESF+": "ESO", "ESF": "ESO", "FRO": "JSO"}


def regulation_objective_code(code: str, fund_code: str) -> str:
    """A specific objective as the fund regulations number it: `1.1` of ERUF is `RSO1.1`, `4.1` of ESF+
    `ESO4.1`; a code that has its prefix (or a programme's own code such as `A.1`) is kept as it is. The
    same code then finds projects of every programme, Interreg included, in one objective."""
    code = code.strip().upper().replace(" ", "")
    if code[:1].isdigit():
        return OBJECTIVE_PREFIX.get(fund_code.strip().upper(), "") + code
    return code

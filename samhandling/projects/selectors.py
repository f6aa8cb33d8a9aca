"""Reads for projects and organisations."""


def public_org_number(org_number: str) -> str | None:
    """A legal person's number is public; a sole trader's is a personal identity number and is withheld.

    Swedish legal persons have a third digit of 2 or more; personal identity numbers (months 01–12) do not.
    """
    if not org_number or len(org_number) < 3 or int(org_number[2]) < 2:
        return None
    return org_number

"""Writes for projects and organisations shared by the web UI, the API, imports and the demo."""

from django.db import transaction

from .models import Organisation, OrganisationAlias, Project, ProjectStatusChange, normalise_name


def find_organisation(name: str, org_number: str = "") -> Organisation | None:
    """Exact match on organisation number, then on normalised name or alias. Never fuzzy."""
    if org_number:
        found = Organisation.objects.filter(org_number=org_number).first()
        if found:
            return found
    key = normalise_name(name)
    if not key:
        return None
    found = Organisation.objects.filter(normalised_name=key).order_by("pk").first()
    if found:
        return found
    alias = OrganisationAlias.objects.filter(normalised_name=key).select_related("organisation").first()
    return alias.organisation if alias else None


def get_or_create_organisation(name: str, *, org_number: str = "", **fields) -> tuple[Organisation, bool]:
    found = find_organisation(name, org_number)
    if found:
        return found, False
    return Organisation.objects.create(name=name.strip(), org_number=org_number, **fields), True


@transaction.atomic
def set_status(project: Project, status: str, *, by=None, note: str = "") -> Project:
    """Changes a project's status and records the change in its history."""
    if project.status == status:
        return project
    ProjectStatusChange.objects.create(project=project, from_status=project.status, to_status=status, by=by, note=note)
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    return project

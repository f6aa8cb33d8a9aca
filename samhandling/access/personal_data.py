"""Access and erasure of a person's data (GDPR articles 15 and 17) while public records stay intact.

What a person is linked to is discovered from the models, so records other apps add are covered:
- relations that PROTECT or keep the person (memberships, attendance in minutes) are public records: they
  stay, and so does the name that makes them readable;
- conflicts of interest (jäv) on a decided case are part of its record and stay; those on a case not yet
  decided are deleted. The report says what was kept and why;
- relations that CASCADE with the person (ties, private notes) are private: erasure deletes them;
- contact details (PERSONAL_FIELDS) are blanked, contact-person rows with the same e-mail are deleted, and
  the audit trail keeps that a change happened but no longer the erased values.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict

PERSONAL_FIELDS = ("email", "phone")
ERASED = "[raderad]"
CONFLICTS = "partnership.conflictofinterest"
WHY_KEPT = {
    CONFLICTS: "Jäv i ett beslutat ärende är en del av ärendets handlingar och bevaras (förvaltningslagen 16–18 §§, "
    "arkivlagen).",
}
WHY_KEPT_DEFAULT = "Offentlig handling (uppdrag, närvaro eller annat i protokoll) som ska bevaras (arkivlagen)."
UNDECIDED = ("draft", "submitted", "assessed")


def _undecided_conflicts(qs):
    """Conflicts recorded on applications not yet decided (no item, no decision point, status before decision)."""
    return qs.filter(item__isnull=True, application__status__in=UNDECIDED, application__decision_points__isnull=True)


def _person(person_id):
    from samhandling.partnership.models import Person

    return Person.objects.get(pk=person_id)


def _relations(person):
    """(relation, queryset) for every model that points at the person."""
    for rel in person._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            yield rel, rel.related_model._base_manager.filter(**{rel.field.name: person})


def _contacts(person):
    from samhandling.projects.models import ContactPerson

    return ContactPerson.objects.filter(email__iexact=person.email) if person.email else ContactPerson.objects.none()


def _audit_entries(objects):
    from auditlog.models import LogEntry

    q = models.Q(pk__in=[])
    for obj in objects:
        q |= models.Q(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk))
    return LogEntry.objects.filter(q)


def export(person_id) -> str:
    """Everything stored about the person, as JSON."""
    person = _person(person_id)
    related = {}
    for rel, qs in _relations(person):
        rows = [model_to_dict(obj) | {"id": obj.pk, "text": str(obj)} for obj in qs]
        if rows:
            related[rel.related_model._meta.label_lower] = rows
    contacts = list(_contacts(person))
    data = {
        "person": model_to_dict(person) | {"id": person.pk},
        "user": (
            {
                "username": person.user.username,
                "email": person.user.email,
                "first_name": person.user.first_name,
                "last_name": person.user.last_name,
            }
            if person.user_id
            else None
        ),
        "related": related,
        "contact_persons": [model_to_dict(c) | {"project": str(c.project)} for c in contacts],
        "audit_trail": [
            {"timestamp": e.timestamp, "action": e.get_action_display(), "record": e.object_repr, "changes": e.changes}
            for e in _audit_entries([person, *contacts]).order_by("timestamp")
        ],
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


@transaction.atomic
def erase(person_id) -> dict:
    """Erases the person's contact data and private links; keeps public records. Returns what was done."""
    from auditlog.context import disable_auditlog

    person = _person(person_id)
    erased_values = {v for v in (getattr(person, f) for f in PERSONAL_FIELDS) if v}
    contacts = list(_contacts(person))
    erased_values |= {v for c in contacts for v in (c.email, c.phone, c.name) if v}
    entries = _audit_entries([person, *contacts])
    report = {"deleted": {}, "kept": {}}
    with disable_auditlog():
        for rel, qs in _relations(person):
            label = rel.related_model._meta.label_lower
            if label == CONFLICTS:
                undecided = _undecided_conflicts(qs)
                report["deleted"][label] = undecided.count()
                undecided.delete()
            if rel.on_delete is models.CASCADE:
                report["deleted"][label] = qs.count()
                qs.delete()
            elif qs.exists():
                report["kept"][label] = qs.count()
                report.setdefault("why_kept", {})[label] = WHY_KEPT.get(label, WHY_KEPT_DEFAULT)
        for contact in contacts:
            contact.delete()
        report["deleted"]["projects.contactperson"] = len(contacts)
        user = person.user
        if user is not None:
            user.email, user.first_name, user.last_name, user.is_active = "", "", "", False
            user.set_unusable_password()
            user.save()
        for field in PERSONAL_FIELDS:
            setattr(person, field, "")
        person.user = None
        if report["kept"]:
            person.save()
            report["person"] = "kept (public records)"
        else:
            person.delete()
            report["person"] = "deleted"
    _scrub(entries, erased_values)
    return report


def _scrub(entries, values):
    """Replaces erased values in the audit trail, keeping the fact and time of each change."""

    def clean(value):
        if isinstance(value, str):
            for v in values:
                value = value.replace(v, ERASED)
            return value
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        return value

    for entry in entries:
        entry.changes = clean(entry.changes)
        entry.changes_text = clean(entry.changes_text)
        entry.serialized_data = clean(entry.serialized_data)
        entry.object_repr = clean(entry.object_repr)
        entry.save(update_fields=["changes", "changes_text", "serialized_data", "object_repr"])

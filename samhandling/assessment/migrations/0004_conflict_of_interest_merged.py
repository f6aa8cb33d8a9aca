"""One jäv model: the assessment app's ConflictBlock rows move into partnership.ConflictOfInterest.

Each block keeps its application, person, stage, reason and time (with no item). Assessors' private notes
already in the audit trail are masked: the trail says that a note changed, not what it says.
"""

from django.db import migrations

PRIVATE_VALUE = "[privat]"


def move_blocks(apps, schema_editor):
    ConflictBlock = apps.get_model("assessment", "ConflictBlock")
    ConflictOfInterest = apps.get_model("partnership", "ConflictOfInterest")
    for block in ConflictBlock.objects.all():
        ConflictOfInterest.objects.get_or_create(
            application_id=block.application_id,
            person_id=block.person_id,
            stage=block.stage,
            item=None,
            defaults={"reason": block.reason, "recorded_at": block.recorded_at},
        )


def move_back(apps, schema_editor):
    ConflictBlock = apps.get_model("assessment", "ConflictBlock")
    ConflictOfInterest = apps.get_model("partnership", "ConflictOfInterest")
    moved = ConflictOfInterest.objects.filter(item__isnull=True, application__isnull=False)
    for c in moved:
        ConflictBlock.objects.create(
            application_id=c.application_id, person_id=c.person_id, stage=c.stage, reason=c.reason
        )
    moved.delete()


def mask_private_notes(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ct = ContentType.objects.filter(app_label="assessment", model="assessment").first()
    if ct is None:
        return
    for entry in LogEntry.objects.filter(content_type=ct):
        changes = entry.changes if isinstance(entry.changes, dict) else None
        if changes and "private_note" in changes:
            changes["private_note"] = [PRIVATE_VALUE if v not in ("", "None", None) else v for v in changes["private_note"]]
            entry.changes = changes
        entry.changes_text = ""
        entry.serialized_data = None
        entry.save(update_fields=["changes", "changes_text", "serialized_data"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_assessments_prioritisation"),
        ("partnership", "0005_conflict_of_interest_merged"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_blocks, move_back),
        migrations.RunPython(mask_private_notes, migrations.RunPython.noop),
        migrations.DeleteModel(name="ConflictBlock"),
    ]

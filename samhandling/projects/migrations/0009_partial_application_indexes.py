"""The call's, strand's and owner's indexes hold only the projects that have one (applications): projects
from lists of operations never do. The state changes the fields; the database drops their full indexes by
name, since SQLite would otherwise copy the whole projects table to change a field."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Django's names for the fields' own indexes, the same on SQLite and PostgreSQL.
FIELD_INDEXES = {
    "call_id": "projects_project_call_id_dc396791",
    "owner_id": "projects_project_owner_id_b940de39",
    "strand_id": "projects_project_strand_id_5f21a981",
}


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0006_steering_models"),
        ("programmes", "0008_merge_0004_steering_models_0007_load_indicators"),
        ("projects", "0008_merge_participations_and_intervention_field"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="project",
                    name="call",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="projects",
                        to="calls.call",
                        verbose_name="utlysning",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Kontot som har skrivit ansökan; bara det får se och ändra den före inlämning",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="applications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="sökande användare",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="strand",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="applications",
                        to="calls.callstrand",
                        verbose_name="delutlysning",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "projects_project" ("{column}")'
                )
                for column, name in FIELD_INDEXES.items()
            ],
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(condition=models.Q(("call__isnull", False)), fields=["call"], name="project_call"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(condition=models.Q(("strand__isnull", False)), fields=["strand"], name="project_strand"),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(condition=models.Q(("owner__isnull", False)), fields=["owner"], name="project_owner"),
        ),
    ]

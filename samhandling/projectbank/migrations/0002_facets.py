"""The compact facet table and the index version (see projectbank/models.py), filled for existing projects."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from samhandling.projectbank.services import refresh_facets

    refresh_facets()


class Migration(migrations.Migration):

    dependencies = [
        ('projectbank', '0001_search_index'),
        ('projects', '0004_merge_0003_application_fields_0003_operation_fields'),
    ]

    operations = [
        migrations.CreateModel(
            name='IndexState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.BigIntegerField(default=0)),
            ],
            options={'db_table': 'projectbank_state'},
        ),
        migrations.CreateModel(
            name='ProjectFacet',
            fields=[
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='projects.project')),
                ('fund_id', models.IntegerField()),
                ('period_year', models.SmallIntegerField(null=True)),
                ('region_id', models.IntegerField(null=True)),
                ('objective', models.CharField(blank=True, max_length=12)),
                ('sector', models.CharField(blank=True, max_length=32)),
                ('amount_ore', models.BigIntegerField(null=True)),
                ('start_date', models.DateField(null=True)),
                ('counties', models.CharField(blank=True, max_length=200)),
                ('municipalities', models.CharField(blank=True, max_length=2000)),
            ],
            options={'db_table': 'projectbank_facet'},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

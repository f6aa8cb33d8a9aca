"""The dashboard's running sums (see portfolio/summary.py), filled for existing projects."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0002_maturityevaluation_projectlabel_target'),
        ('projects', '0005_updated_at_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectFigures',
            fields=[
                ('project_id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('year', models.SmallIntegerField()),
                ('objective', models.CharField(blank=True, max_length=310)),
                ('sector', models.CharField(blank=True, max_length=32)),
                ('amount_ore', models.BigIntegerField(null=True)),
                ('counties', models.CharField(blank=True, max_length=200)),
                ('municipalities', models.TextField(blank=True)),
                ('areas', models.CharField(blank=True, max_length=500)),
                ('themes', models.CharField(blank=True, max_length=500)),
            ],
            options={
                'db_table': 'portfolio_project_figures',
            },
        ),
        migrations.CreateModel(
            name='FigureSum',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dimension', models.CharField(max_length=12)),
                ('value', models.CharField(blank=True, max_length=310)),
                ('year', models.SmallIntegerField()),
                ('projects', models.IntegerField()),
                ('amount_ore', models.BigIntegerField()),
            ],
            options={
                'db_table': 'portfolio_figure_sum',
                'constraints': [models.UniqueConstraint(fields=('dimension', 'value', 'year'), name='uniq_figure_sum')],
            },
        ),
        # The sums are filled by 0009_rebuild_figure_sums, once every column they need exists.
    ]

from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    from samhandling.partnership.models import free_slug

    Partnership = apps.get_model("partnership", "Partnership")
    for partnership in Partnership.objects.order_by("pk"):
        partnership.slug = free_slug(Partnership.objects.exclude(pk=partnership.pk), partnership.name)
        partnership.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("partnership", "0007_merge_20261206_0614")]

    operations = [
        migrations.AddField(
            model_name="partnership",
            name="slug",
            field=models.SlugField(null=True, max_length=50, verbose_name="kortnamn i adressen"),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
    ]

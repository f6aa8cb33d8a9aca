from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partnership", "0008_partnership_slug")]

    operations = [
        migrations.AlterField(
            model_name="partnership",
            name="slug",
            field=models.SlugField(
                help_text="Första delen av partnerskapets adresser, t.ex. stockholm i /stockholm/sammantraden/",
                max_length=50,
                unique=True,
                verbose_name="kortnamn i adressen",
            ),
        ),
    ]

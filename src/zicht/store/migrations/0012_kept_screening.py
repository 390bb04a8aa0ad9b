"""Each chat's screening kept, without text, for the report's estimate (models.KeptScreening)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("store", "0011_data_version")]

    operations = [
        migrations.CreateModel(
            name="KeptScreening",
            fields=[
                (
                    "conversation",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="kept_screening",
                        serialize=False,
                        to="store.conversation",
                    ),
                ),
                ("reader", models.CharField(max_length=64)),
                ("chance", models.FloatField()),
                ("likely", models.BooleanField()),
            ],
        ),
    ]

# Written for Django 5.2.19 on 2026-11-28, as makemigrations would.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0002_linkage"),
    ]

    operations = [
        migrations.CreateModel(
            name="Suggestion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("visitor", models.CharField(db_index=True, max_length=200)),
                ("year", models.PositiveIntegerField(db_index=True)),
                ("codebook", models.CharField(max_length=40)),
                ("conversation_ids", models.JSONField(default=list)),
                ("variable", models.CharField(max_length=80)),
                ("value", models.JSONField(null=True)),
                ("confidence", models.FloatField()),
                ("evidence", models.JSONField(default=list)),
                ("suggested_at", models.DateTimeField()),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("visitor", "variable"), name="one_suggestion_per_variable")],
            },
        ),
    ]

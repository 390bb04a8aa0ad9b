from django.db import migrations, models

import zicht.store.keys


class Migration(migrations.Migration):
    dependencies = [("store", "0005_sealed_text")]

    operations = [
        migrations.AddField(model_name="conversation", name="purged_at", field=models.DateTimeField(null=True)),
        migrations.AddField(model_name="suggestion", name="quotes", field=zicht.store.keys.SealedTextField(default="")),
        migrations.CreateModel(
            name="FinalReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveIntegerField(unique=True)),
                ("finalised_by", models.CharField(max_length=150)),
                ("finalised_at", models.DateTimeField()),
                ("tables_sha256", models.CharField(max_length=64)),
            ],
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """Which reader each suggestion came from (issue 20); suggestions stored before say nothing ("")."""

    dependencies = [("store", "0006_retention")]

    operations = [
        migrations.AddField(model_name="suggestion", name="reader", field=models.CharField(default="", max_length=20)),
    ]

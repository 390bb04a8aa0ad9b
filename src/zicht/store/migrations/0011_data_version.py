"""The data version: a number the database itself draws anew on every write to the cases and the merge
decisions, so that no write path can leave the monitor's cached counts looking current.

Drawn at random, not counted up: a count rolled back with its transaction would come again for
other data, and counts cached under it would pass for current."""

from django.db import migrations, models

WATCHED = ("store_case", "store_linkdecision")


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_changed_on_{event.lower()} AFTER {event} ON {table} "
        "BEGIN UPDATE store_dataversion SET number = random() WHERE id = 1; END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION store_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_dataversion SET number = (random() * 4e18)::bigint WHERE id = 1;
    RETURN NULL;
END
$$
"""


def add_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("store", "DataVersion").objects.create(id=1, number=0)
    run = schema_editor.execute
    if schema_editor.connection.vendor == "sqlite":
        for table in WATCHED:
            for statement in sqlite_triggers(table):
                run(statement)
    else:  # once per statement: a bulk import raises it once, not once a row
        run(POSTGRES_FUNCTION)
        for table in WATCHED:
            run(
                f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION store_data_changed()"
            )


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    run = schema_editor.execute
    if schema_editor.connection.vendor == "sqlite":
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {table}_changed_on_{event}")
    else:  # the function goes with its triggers
        run("DROP FUNCTION IF EXISTS store_data_changed() CASCADE")


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0010_passage"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]

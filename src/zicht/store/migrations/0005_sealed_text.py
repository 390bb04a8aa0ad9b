"""Chat text and overleg comments sealed with the project's text key (created here for older projects)."""

from django.db import migrations

import zicht.store.keys
from zicht.privacy.sealing import is_sealed

TABLES = (("store_message", "text", "store.message.text"), ("store_comment", "text", "store.comment.text"))


def seal_stored_text(apps, schema_editor):
    from zicht.store.project import directory

    zicht.store.keys.create_key_file(directory())
    _convert(schema_editor, lambda value, context: value if is_sealed(value) else zicht.store.keys.seal(value, context))


def open_stored_text(apps, schema_editor):
    _convert(schema_editor, lambda value, context: zicht.store.keys.open_sealed(value, context) if is_sealed(value) else value)


def _convert(schema_editor, change):
    with schema_editor.connection.cursor() as cursor:
        for table, column, context in TABLES:
            cursor.execute(f"SELECT id, {column} FROM {table}")
            rows = cursor.fetchall()
            for start in range(0, len(rows), 1000):
                cursor.executemany(
                    f"UPDATE {table} SET {column} = %s WHERE id = %s",
                    [(change(value, context), pk) for pk, value in rows[start : start + 1000]],
                )


class Migration(migrations.Migration):
    dependencies = [("store", "0004_workbench")]

    operations = [
        migrations.AlterField(model_name="message", name="text", field=zicht.store.keys.SealedTextField()),
        migrations.AlterField(model_name="comment", name="text", field=zicht.store.keys.SealedTextField(max_length=4000)),
        migrations.RunPython(seal_stored_text, open_stored_text),
    ]

"""Refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events and checkpoints."""

from django.db import migrations

from audit.triggers import install_triggers, remove_triggers


def install(apps, schema_editor):
    install_triggers(schema_editor.connection)


def remove(apps, schema_editor):
    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_backfill_payload_text")]
    operations = [migrations.RunPython(install, remove)]

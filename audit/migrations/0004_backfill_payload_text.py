from django.db import migrations

from audit.chain import canonical_json


def backfill(apps, schema_editor):
    events = apps.get_model("audit", "AuditEvent").objects
    for pk, payload in events.filter(payload_text="").values_list("pk", "payload").iterator():
        events.filter(pk=pk).update(payload_text=canonical_json(payload))


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_checkpoints_and_payload_text")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

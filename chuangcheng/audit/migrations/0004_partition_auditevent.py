"""The audit log partitioned by month of ``at`` on PostgreSQL (``core.partitions``); SQLite unchanged.

The primary key becomes ``(id, at)``; Django still addresses rows by ``id``. PostgreSQL cannot enforce a
unique index across partitions without the partition key, so ``seq`` and ``hash`` keep plain indexes
there: the chain lock lets only one sealer hand out positions, and ``verify_audit`` reports a repeated
position or hash (the second row's ``prev_hash`` no longer follows the chain).
Going back leaves the table partitioned: its columns are those of the earlier schema.
"""

from django.db import migrations


def partition(apps, schema_editor):
    from chuangcheng.core.partitions import partition_by_month

    partition_by_month("audit_auditevent", "at")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_checkpoint_mac_verifications")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]

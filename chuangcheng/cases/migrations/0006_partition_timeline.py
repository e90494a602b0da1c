"""The case timeline partitioned by month of ``at`` on PostgreSQL (``core.partitions``); SQLite unchanged.

The primary key becomes ``(id, at)``; Django still addresses rows by ``id``. The one foreign key to the
timeline (``public_reporternotice.transition_id``, ON DELETE SET NULL) is kept by triggers, hence the
dependency on the migration that created it.

``cases_case`` itself is not partitioned: see docs/operations.md ("Partitioned tables").
Going back leaves the table partitioned: its columns are those of the earlier schema.
"""

from django.db import migrations


def partition(apps, schema_editor):
    from chuangcheng.core.partitions import partition_by_month

    partition_by_month("cases_casetransition", "at")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_source_policy"),
        ("public", "0002_reporter_notices_disputes"),
    ]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]

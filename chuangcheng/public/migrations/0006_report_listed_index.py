"""An index for the Open311 lists' count and page (``open311.selectors``): accepted reports in a window of
``created_at``, newest first (``-created_at, -id``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("public", "0005_survey_indicators_quotas")]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["status", "created_at", "id"], name="public_report_listed_idx"),
        )
    ]

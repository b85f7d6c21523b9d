"""Create the one DiscussionSettings row up front.

Wagtail creates a generic setting's row on first load, without a lock: on
PostgreSQL the first comments arriving at once on a fresh site each created
one (found by tests/concurrency). With the row made here, load only reads.
"""

from django.db import migrations


def create_row(apps, schema_editor):
    settings = apps.get_model("moderation", "DiscussionSettings")
    if not settings.objects.exists():
        settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0005_submission_claims")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]

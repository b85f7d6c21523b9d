"""Create the one SiteSettings row up front, so no reader's request has to."""

from django.db import migrations


def create_settings(apps, schema_editor):
    SiteSettings = apps.get_model("core", "SiteSettings")
    if not SiteSettings.objects.exists():
        SiteSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]

"""Replace Wagtail's welcome page with Minbar's home page and point the site at it."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("newsroom", "HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home").delete()
    root = Page.objects.get(depth=1)
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="newsroom")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title="منبر",
        draft_title="منبر",
        slug="home",
        content_type=content_type,
        path=root.path + "0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "منبر"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    run_before = []

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]

"""WordPress attachments become Wagtail images, found again by ID and by the URLs posts use."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from PIL import Image as PILImage
from wagtail.images.models import Image

from minbar.wordpress import media, records
from minbar.wordpress.models import WordPressObject

from .support import ARABIC_SITE, MISSING_UPLOAD, WXR_DIR, make_uploads

pytestmark = pytest.mark.django_db

SOURCE = "wordpress:https://example-news.test"
SITE = "https://example-news.test"
FOUNTAIN = "2024/03/نافورة-الساحة.jpg"


def attachment(wp_id, path, *, title="", alt="", excerpt="", url=None):
    meta = []
    if path is not None:
        meta.append(("_wp_attached_file", path))
    if alt:
        meta.append(("_wp_attachment_image_alt", alt))
    return records.Item(
        line=1,
        wp_id=wp_id,
        post_type="attachment",
        status="inherit",
        title=title,
        excerpt=excerpt,
        attachment_url=url if url is not None else f"{SITE}/wp-content/uploads/{path}",
        meta=tuple(meta),
    )


def post(thumbnail):
    return records.Item(line=1, wp_id=900, post_type="post", status="publish", meta=(("_thumbnail_id", thumbnail),))


def site_attachments():
    return {
        101: attachment(101, FOUNTAIN, title="نافورة الساحة", alt="نافورة ساحة البلدية عند الغروب",
                        excerpt="نافورة ساحة <em>البلدية</em> بعد ترميمها، آذار 2024"),
        102: attachment(102, "2024/04/water-tank.png", title="خزان الماء في حي الميناء", alt="خزان ماء معدني فوق سطح بيت"),
        103: attachment(103, MISSING_UPLOAD, title="خريطة شبكة المياه"),
    }


def library(uploads, attachments=None, **options):
    options.setdefault("base_urls", (SITE,))
    return media.MediaLibrary(SOURCE, uploads, attachments or site_attachments(), **options)


def draw(path, size=(40, 30), kind="JPEG"):
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", size, (10, 200, 90)).save(path, kind)
    return path


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def warned_ids(outcome, message):
    return [wp_id for text, _params, wp_ids in outcome.warnings if text == message for wp_id in wp_ids]


@pytest.fixture
def uploads(tmp_path):
    return make_uploads(tmp_path / "uploads")


def test_images_are_created_with_title_alt_text_and_the_arabic_file(uploads):
    lib = library(uploads)
    outcome = lib.import_all()

    assert outcome.counts["images.created"] == 2
    fountain = Image.objects.get(pk=lib.image_for(101, "").id)
    assert fountain.title == "نافورة الساحة"
    assert fountain.description == "نافورة ساحة البلدية عند الغروب"
    assert (fountain.width, fountain.height) == (96, 64)
    assert fountain.file_size == (uploads / FOUNTAIN).stat().st_size
    assert Path(fountain.file.path).read_bytes() == (uploads / FOUNTAIN).read_bytes()
    assert lib.image_for(101, "").alt == "نافورة ساحة البلدية عند الغروب"


def test_an_image_without_title_is_named_after_its_file(uploads):
    lib = library(uploads, {5: attachment(5, "2024/04/water-tank.png")})
    lib.import_all()
    assert Image.objects.get().title == "water-tank.png"


def test_a_missing_file_is_a_warning_with_the_wordpress_id_not_a_failure(uploads):
    lib = library(uploads)
    outcome = lib.import_all()

    assert outcome.counts["images.missing"] == 1
    assert warned_ids(outcome, media.MISSING) == [103]
    assert lib.image_for(103, "") is None
    assert lib.cover_for(post("103")) == (None, "")
    assert Image.objects.count() == 2


def test_paths_leading_out_of_the_uploads_folder_are_refused(uploads, tmp_path):
    secret = draw(tmp_path / "secret.jpg")
    (uploads / "2024/04/link.jpg").symlink_to(secret)
    attachments = {
        7: attachment(7, "../secret.jpg"),
        8: attachment(8, str(secret), url=""),
        9: attachment(9, "2024/04/link.jpg"),
        10: attachment(10, "2024/../../secret.jpg"),
    }
    outcome = library(uploads, attachments).import_all()

    assert sorted(warned_ids(outcome, media.REFUSED)) == [7, 8, 9, 10]
    assert not Image.objects.exists()
    assert stored_files() == []


def test_a_file_that_is_not_the_image_it_claims_is_reported_unreadable(uploads):
    (uploads / "2024/04/broken.jpg").write_bytes(b"<?php echo 'not a picture'; ?>")
    draw(uploads / "2024/04/really-a-png.jpg", kind="PNG")
    attachments = {20: attachment(20, "2024/04/broken.jpg"), 21: attachment(21, "2024/04/really-a-png.jpg")}
    outcome = library(uploads, attachments).import_all()

    assert outcome.counts["images.unreadable"] == 2
    assert sorted(warned_ids(outcome, media.UNREADABLE)) == [20, 21]
    assert not Image.objects.exists()


def test_attachments_that_are_not_images_are_counted_and_left_out(uploads):
    (uploads / "2024/04/budget.pdf").write_bytes(b"%PDF-1.4\n")
    attachments = {**site_attachments(), 30: attachment(30, "2024/04/budget.pdf"), 31: attachment(31, "2024/04/talk.mp3")}
    lib = library(uploads, attachments)
    outcome = lib.import_all()

    assert outcome.counts["attachments.other"] == 2
    assert warned_ids(outcome, media.NOT_AN_IMAGE) == [30, 31]
    assert Image.objects.count() == 2
    assert lib.image_for(30, "") is None


def test_posts_urls_find_the_image_also_through_resized_copies_and_other_addresses(uploads):
    draw(uploads / "2024/06/crowd-scaled.jpg")
    attachments = {**site_attachments(), 40: attachment(40, "2024/06/crowd-scaled.jpg")}
    lib = library(uploads, attachments, base_urls=(SITE, "http://old-name.test/news"))
    lib.import_all()
    tank = lib.image_for(102, "").id
    crowd = lib.image_for(40, "").id

    found = {
        "https://example-news.test/wp-content/uploads/2024/04/water-tank-300x200.png": tank,
        "http://www.example-news.test/wp-content/uploads/2024/04/water-tank.png": tank,
        "//example-news.test/wp-content/uploads/2024/04/water-tank.png?ver=2": tank,
        "/wp-content/uploads/2024/04/water-tank-150x150.png": tank,
        "http://old-name.test/news/wp-content/uploads/2024/04/water-tank.png": tank,
        "https://example-news.test/wp-content/uploads/2024/03/%D9%86%D8%A7%D9%81%D9%88%D8%B1%D8%A9-%D8%A7%D9%84%D8%B3%D8%A7%D8%AD%D8%A9.jpg":
            lib.image_for(101, "").id,
        "https://example-news.test/wp-content/uploads/2024/06/crowd.jpg": crowd,
        "https://example-news.test/wp-content/uploads/2024/06/crowd-1024x768.jpg": crowd,
    }
    for url, image_id in found.items():
        found_ref = lib.image_for(None, url)
        assert found_ref is not None and found_ref.id == image_id, url

    for url in (
        "https://elsewhere.test/wp-content/uploads/2024/04/water-tank.png",
        "https://example-news.test/wp-content/uploads/2024/04/other.png",
        "https://example-news.test/wp-content/uploads/2024/05/water-network-map.jpg",
        "javascript:alert(1)",
        "",
    ):
        assert lib.image_for(None, url) is None, url


def test_the_cover_is_the_featured_image_with_its_caption_as_text(uploads):
    lib = library(uploads)
    lib.import_all()

    image_id, caption = lib.cover_for(post("101"))
    assert image_id == lib.image_for(101, "").id
    assert caption == "نافورة ساحة البلدية بعد ترميمها، آذار 2024"
    assert lib.cover_for(post(" 102 ")) == (lib.image_for(102, "").id, "")
    for hostile in ("abc", "1e5", "-101", "١٠١", "9" * 40, ""):
        assert lib.cover_for(post(hostile)) == (None, ""), hostile


def test_a_long_caption_is_cut_to_the_field(uploads):
    attachments = {101: attachment(101, FOUNTAIN, excerpt="كلمة " * 200)}
    lib = library(uploads, attachments)
    lib.import_all()
    assert len(lib.cover_for(post("101"))[1]) == media.CAPTION_LIMIT


def test_a_second_run_creates_nothing_and_updates_what_changed(uploads):
    first = library(uploads)
    first.import_all()
    files = stored_files()

    again = library(uploads)
    outcome = again.import_all()
    assert outcome.counts["images.unchanged"] == 2
    assert not outcome.counts["images.created"]
    assert Image.objects.count() == 2
    assert stored_files() == files
    assert again.image_for(101, "") == first.image_for(101, "")

    changed = site_attachments()
    changed[102] = attachment(102, "2024/04/water-tank.png", title="خزان الماء", alt="خزان ماء فوق بيت")
    outcome = library(uploads, changed).import_all()
    assert (outcome.counts["images.updated"], outcome.counts["images.unchanged"]) == (1, 1)
    tank = Image.objects.get(pk=first.image_for(102, "").id)
    assert (tank.title, tank.description) == ("خزان الماء", "خزان ماء فوق بيت")
    assert stored_files() == files  # new words, same file: nothing copied again

    draw(uploads / "2024/04/water-tank.png", size=(60, 50), kind="PNG")
    os.utime(uploads / "2024/04/water-tank.png", ns=(1, 1))
    outcome = library(uploads, changed).import_all()
    assert outcome.counts["images.updated"] == 1
    tank.refresh_from_db()
    assert (tank.width, tank.height) == (60, 50)
    assert Image.objects.count() == 2
    assert WordPressObject.objects.filter(source=SOURCE, kind="attachment").count() == 2


def test_an_image_deleted_in_minbar_is_made_again_once(uploads):
    library(uploads).import_all()
    Image.objects.filter(title="نافورة الساحة").delete()
    outcome = library(uploads).import_all()
    assert outcome.counts["images.created"] == 1
    assert Image.objects.filter(title="نافورة الساحة").count() == 1


def test_without_an_uploads_folder_one_warning_says_how_many_images_are_missing():
    lib = library(None)
    outcome = lib.import_all()

    assert outcome.counts["images.missing"] == 3
    assert outcome.warnings == [(media.NO_MEDIA_DIR, {"count": 3}, ())]
    assert lib.image_for(101, "") is None


def test_a_run_without_the_uploads_folder_keeps_using_images_imported_before(uploads):
    first = library(uploads)
    first.import_all()

    lib = library(None)
    outcome = lib.import_all()
    assert outcome.counts["images.unchanged"] == 2
    assert outcome.warnings == [(media.NO_MEDIA_DIR, {"count": 1}, ())]
    assert lib.cover_for(post("101"))[0] == first.image_for(101, "").id


def test_a_dry_run_copies_no_file_and_leaves_nothing_once_rolled_back(uploads):
    with transaction.atomic():
        lib = library(uploads, dry_run=True)
        outcome = lib.import_all()
        assert outcome.counts["images.created"] == 2
        assert lib.image_for(None, f"{SITE}/wp-content/uploads/2024/04/water-tank-300x200.png") is not None
        assert stored_files() == []
        transaction.set_rollback(True)

    assert not Image.objects.exists()
    assert not WordPressObject.objects.exists()
    assert stored_files() == []


# --- attachments as the reader gives them from real exports ---------------------------


@pytest.fixture
def wxr():
    return pytest.importorskip("minbar.wordpress.wxr")


def test_our_arabic_export_gives_two_images_and_one_missing(wxr, uploads):
    census = wxr.census(ARABIC_SITE)
    lib = library(uploads, census.attachments)
    outcome = lib.import_all()

    assert outcome.counts["images.created"] == 2
    assert warned_ids(outcome, media.MISSING) == [103]
    assert lib.cover_for(post("101"))[1] == "نافورة ساحة البلدية بعد ترميمها، آذار 2024"


def test_an_export_whose_uploads_live_on_another_host(wxr, tmp_path):
    census = wxr.census(WXR_DIR / "phpunit-data/wxr-flat-attachment-different-site.xml")
    uploads = tmp_path / "uploads"
    draw(uploads / "2008/06/canola2.jpg")
    lib = media.MediaLibrary("wordpress:https://wp.org", uploads, census.attachments, base_urls=("https://wp.org",))
    outcome = lib.import_all()

    assert outcome.counts["images.created"] == 1
    assert Image.objects.get().description == "canola"
    found = lib.image_for(None, "https://wpthemetestdata.files.wordpress.com/2008/06/canola2-150x150.jpg")
    assert found == lib.image_for(611, "")


def test_the_theme_unit_test_export_without_uploads_is_one_line_of_warning(wxr):
    census = wxr.census(WXR_DIR / "phpunit-data/theme-unit-test-data.xml")
    outcome = media.MediaLibrary("wordpress:theme", None, census.attachments).import_all()

    images = outcome.counts["images.missing"]
    assert images + outcome.counts["attachments.other"] == len(census.attachments) > 30
    assert [message for message, _params, _ids in outcome.warnings].count(media.NO_MEDIA_DIR) == 1

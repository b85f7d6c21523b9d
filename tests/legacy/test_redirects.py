"""Readers, search engines and other sites following an old WordPress address land on the new page."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from minbar.legacy import keys
from minbar.legacy.models import LegacyAddress
from minbar.legacy.services import LegacyEntry, remember, resolve
from minbar.newsroom.models import SimplePage
from tests.factories import home_page, make_article, make_author, make_section, make_series

pytestmark = pytest.mark.django_db

SOURCE = "wordpress:https://old.example"
ARABIC_SLUG = "المدينة-بعد-الحرب"


@pytest.fixture
def site():
    """An imported site: what the importer remembers for each kind of thing."""
    section = make_section(title="أخبار", slug="akhbar")
    article = make_article(section, slug="almadina")
    draft = make_article(section, slug="draft", live=False)
    author = make_author(slug="dilshad")
    series = make_series(slug="city-after-war")
    about = SimplePage(title="من نحن", slug="about")
    home_page().add_child(instance=about)
    about.save_revision().publish()
    team = SimplePage(title="الفريق", slug="team")
    about.add_child(instance=team)
    team.save_revision().publish()
    encoded = quote(ARABIC_SLUG).lower()
    entries = []

    def add(found_keys, page=None, url=""):
        entries.extend(LegacyEntry(key, page_id=page.pk if page else None, url=url) for key in found_keys)

    add(keys.for_item(f"https://old.example/2019/05/03/{encoded}/", 123, "post", encoded, "2019-05-03"), article)
    add(keys.for_item("https://old.example/2020/01/01/hidden/", 124, "post", "hidden", "2020-01-01"), draft)
    add(keys.for_item("https://old.example/about/", 10, "page", "about"), about)
    add(keys.for_item("https://old.example/about/team/", 11, "page", "team", parent_path="about"), team)
    add(keys.for_item(f"https://old.example/2019/05/03/{encoded}/photo/", 130, "attachment", "photo"), article)
    add(keys.for_item("https://old.example/lonely-photo/", 131, "attachment", "lonely-photo"),
        url="/media/original_images/lonely.jpg")
    add(keys.for_item("https://old.example/news/desk/4711/", 4711, "post", "custom"), article)
    add(keys.for_term("category", "world", 12), section)
    add(keys.for_term("post_tag", quote("غزة"), 30), url=reverse("newsroom:tag", kwargs={"slug": "gaza"}))
    add(keys.for_term("series", "city", None), url=series.get_absolute_url())
    add(keys.for_author("old_login", "old-login", 3), url=author.get_absolute_url())
    remember(SOURCE, entries)
    return {"section": section, "article": article, "draft": draft, "about": about, "team": team,
            "author": author, "series": series}


def assert_redirects(client, address, target):
    response = client.get(address)
    assert response.status_code == 301, (address, response.status_code)
    assert response["Location"] == target, address
    assert response["Cache-Control"] == "public, max-age=86400"


def test_every_old_form_of_a_post_lands_on_the_article(client, site):
    url = site["article"].url
    encoded_upper, encoded_lower = quote(ARABIC_SLUG), quote(ARABIC_SLUG).lower()
    for address in (
        "/?p=123", "/?p=123&utm_source=facebook&utm_medium=social", "/index.php?p=123", "/archives/123",
        f"/2019/05/03/{encoded_upper}/", f"/2019/05/03/{encoded_lower}/", f"/2019/05/03/{encoded_lower}",
        f"/2019/05/{encoded_upper}/", f"/2019/{encoded_upper}/", f"/{encoded_upper}/", f"/{encoded_lower}",
        f"/{encoded_upper}/amp/", f"/{encoded_upper}/comment-page-2/", f"/{encoded_upper}/page/2/",
        f"/{encoded_upper}/feed/", f"/{encoded_upper}/?utm_campaign=x",
        "/news/desk/4711/",  # the exact old permalink of a custom structure
    ):
        assert_redirects(client, address, url)


def test_decoded_arabic_address_lands_on_the_article(site):
    # Some clients send the address as typed, not encoded.
    assert resolve(f"/2019/05/03/{ARABIC_SLUG}/", {}) == site["article"].url


def test_pages_nested_or_not(client, site):
    assert_redirects(client, "/?page_id=10", site["about"].url)
    assert_redirects(client, "/?page_id=11", site["team"].url)


def test_old_page_paths_that_minbar_also_serves_are_served_not_redirected(client, site):
    # The imported page kept its path: Minbar answers it itself.
    assert client.get("/about/team/").status_code == 200


def test_attachments_go_to_their_article_or_to_the_image(client, site):
    assert_redirects(client, "/?attachment_id=130", site["article"].url)
    assert_redirects(client, f"/2019/05/03/{quote(ARABIC_SLUG)}/photo/", site["article"].url)
    assert_redirects(client, "/?attachment_id=131", "/media/original_images/lonely.jpg")


def test_categories_tags_authors_and_series(client, site):
    section_url = site["section"].url
    for address in ("/?cat=12", "/category/world/", "/category/parent/world/", "/category/world"):
        assert_redirects(client, address, section_url)
    assert_redirects(client, "/category/world/page/3/", f"{section_url}?page=3")
    tag_url = reverse("newsroom:tag", kwargs={"slug": "gaza"})
    for address in (f"/tag/{quote('غزة')}/", f"/tag/{quote('غزة').lower()}", f"/?tag={quote('غزة')}"):
        assert_redirects(client, address, tag_url)
    assert_redirects(client, f"/tag/{quote('غزة')}/page/2/", f"{tag_url}?page=2")
    author_url = site["author"].get_absolute_url()
    for address in ("/?author=3", "/author/old-login/", "/author/old_login/"):
        assert_redirects(client, address, author_url)
    assert_redirects(client, "/author/old-login/page/2/", f"{author_url}?page=2")
    assert_redirects(client, "/series/city/", site["series"].get_absolute_url())


def test_feeds(client, site):
    rss, atom = reverse("newsroom:feed_rss"), reverse("newsroom:feed_atom")
    for address in ("/feed/", "/feed/rss2/", "/feed", "/comments/feed/", "/?feed=rss2"):
        assert_redirects(client, address, rss)
    assert_redirects(client, "/?feed=atom", atom)
    assert client.get(rss).status_code == 200
    assert_redirects(client, "/category/world/feed/",
                     reverse("newsroom:section_feed_rss", kwargs={"slug": site["section"].slug}))
    assert_redirects(client, "/author/old-login/feed/",
                     reverse("newsroom:author_feed_rss", kwargs={"slug": "dilshad"}))
    assert_redirects(client, "/series/city/feed/rss2/",
                     reverse("newsroom:series_feed_rss", kwargs={"slug": site["series"].slug}))
    # Minbar has no tag feeds: the tag's page is the nearest thing.
    assert_redirects(client, f"/tag/{quote('غزة')}/feed/", reverse("newsroom:tag", kwargs={"slug": "gaza"}))


def test_a_moved_page_is_followed(client, site):
    article = site["article"]
    other = make_section(title="رأي", slug="opinion")
    article.move(other, pos="last-child")
    article.refresh_from_db()
    assert article.url.startswith("/opinion/")
    assert_redirects(client, "/?p=123", article.url)


def test_unknown_old_address_and_page_not_live_stay_404(client, site):
    assert client.get("/?p=999").status_code == 200  # the front page, as before
    for address in ("/2019/05/03/never-existed/", "/archives/999/", "/tag/unknown/", "/2020/01/01/hidden/"):
        assert client.get(address).status_code == 404, address
    assert client.get("/?p=124").status_code == 200  # the draft's old ID: the front page, no redirect
    site["article"].unpublish()
    assert client.get("/archives/123/").status_code == 404


def test_a_page_deleted_takes_its_old_addresses_with_it(client, site):
    site["about"].delete()
    assert not LegacyAddress.objects.filter(key="id:10").exists()
    assert client.get("/?page_id=10").status_code == 200


def test_a_stored_address_on_another_host_is_refused(client, site):
    for key, url in (("slug:evil", "https://evil.example/"), ("slug:evil2", "//evil.example/x"),
                     ("slug:evil3", "/\\evil.example"), ("slug:evil4", "javascript:alert(1)")):
        LegacyAddress.objects.create(source=SOURCE, key=key, target_url=url)
        assert client.get(f"/{key.split(':')[1]}/").status_code == 404
    assert remember(SOURCE, [LegacyEntry("slug:evil5", url="https://evil.example/")]) == 0
    assert not LegacyAddress.objects.filter(key="slug:evil5").exists()


@pytest.mark.parametrize("address", [
    "/%00/", "/a%00b/", "/" + "a" * 5000 + "/", "//evil.example", "//evil.example/", "/%2e%2e/",
    "/%2E%2E/%2E%2E/etc/passwd", "/\\evil.example/", "/%5Cevil.example", "/?p=" + "9" * 400, "/?tag=%00", "/?p=%FF", "/%FF%FE/",
])
def test_hostile_addresses_never_fail_and_never_leave_the_site(client, site, address):
    response = client.get(address)
    assert response.status_code in (200, 301, 400, 404), address
    if response.status_code == 301:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//") and "\\" not in location


def test_minbar_own_areas_and_other_languages_are_left_alone(client, site):
    LegacyAddress.objects.create(source=SOURCE, key="path:/admin/nothing-here/", page=site["article"])
    LegacyAddress.objects.create(source=SOURCE, key="path:/en/almadina/", page=site["article"])
    client.force_login(_editor())
    assert client.get("/admin/nothing-here/").status_code == 404
    client.logout()
    assert client.get("/en/almadina/").status_code == 404
    assert client.post(f"/{quote(ARABIC_SLUG)}/").status_code != 301


def test_an_editors_redirect_wins(client, site):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/archives/123", redirect_link="/elsewhere/")
    response = client.get("/archives/123")
    assert response["Location"].endswith("/elsewhere/")


def test_an_old_link_to_the_front_page_is_answered_even_when_the_front_page_is_cached(client):
    section = make_section()
    article = make_article(section)
    first = client.get("/?p=77")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    assert client.get("/?p=77")["X-Cache"] == "hit"
    # The import lands: the same address now leads to the article, cached page or not.
    remember(SOURCE, [LegacyEntry("id:77", page_id=article.pk)])
    assert_redirects(client, "/?p=77", article.url)


def test_head_is_answered_too(client, site):
    response = client.head("/?p=123")
    assert response.status_code == 301 and response["Location"] == site["article"].url


def test_a_redirect_costs_one_lookup_and_a_normal_page_none(client, site):
    url = site["article"].url
    client.get(url)
    assert resolve("/archives/123/", {}) == url  # warms Wagtail's cache of site roots
    with CaptureQueriesContext(connection) as lookups:
        assert resolve("/archives/123/", {}) == url
    assert len(lookups) == 1 and "legacy_legacyaddress" in lookups[0]["sql"]
    with CaptureQueriesContext(connection) as answered:
        assert client.get("/archives/123/").status_code == 301
    assert len([query for query in answered if "legacy_" in query["sql"]]) == 1
    with CaptureQueriesContext(connection) as normal:
        assert client.get(url).status_code == 200
    assert not [query for query in normal if "legacy_" in query["sql"]]
    with CaptureQueriesContext(connection) as front:
        assert client.get("/?utm_source=x").status_code == 200
    assert not [query for query in front if "legacy_" in query["sql"]]


def test_reimport_points_an_address_somewhere_new_in_one_statement_per_batch(site):
    article, about = site["article"], site["about"]
    entries = [LegacyEntry(f"id:{number}", page_id=article.pk) for number in range(10_000, 11_200)]
    entries.append(LegacyEntry("id:123", page_id=about.pk))
    with CaptureQueriesContext(connection) as writes:
        assert remember(SOURCE, entries) == 1201
    # One INSERT ... ON CONFLICT per batch of 500 (SQLite allows fewer variables: batches of 199), nothing per row.
    batch = 500 if connection.vendor == "postgresql" else 199
    assert len(writes) == len([query for query in writes if query["sql"].startswith("INSERT")]) == -(-1201 // batch)
    assert LegacyAddress.objects.get(key="id:123").page_id == about.pk
    assert LegacyAddress.objects.filter(source=SOURCE, key__startswith="id:1").count() >= 1200


def test_a_key_too_long_for_the_index_is_left_out(site):
    assert remember(SOURCE, [LegacyEntry("path:/" + "\U0001f332" * 900 + "/", page_id=site["article"].pk)]) == 0
    assert remember(SOURCE, [LegacyEntry("path:/" + "ب" * 900 + "/", page_id=site["article"].pk)]) == 1


def _editor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("editor", "editor@example.org", "x")

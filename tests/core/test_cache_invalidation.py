"""A change drops exactly the cached pages that show it.

For each kind of change an editor or a reader makes, every reader page of a
small site is cached, the change is made, and then each page is fetched
twice: through the cache, and rendered afresh with the cache switched off.
Two things must hold for every page:

- never stale: what the cache sends is what a fresh render shows;
- never dropped for nothing: a page whose fresh render is the same as
  before the change is still a cache hit.
"""

import re

import pytest
from django.test import override_settings

from minbar.comments.models import Comment, CommentStatus
from minbar.core import page_cache
from minbar.moderation import actions
from minbar.newsroom.models import ArticlePage
from minbar.readers.identity import Reader
from minbar.ratings import services as ratings
from tests.factories import make_article, make_author, make_section, make_series

pytestmark = pytest.mark.django_db

# The comment form's signed start time is new at each render; nothing else is.
_RENDER_STAMP = re.compile(rb'name="started" value="[^"]*"')


def _normalized(content):
    return _RENDER_STAMP.sub(b'name="started" value=""', content)


class Site:
    """Two top-level sections (one with a sub-section), two authors, a tag, a series in two parts."""

    def __init__(self):
        self.opinion = make_section("آراء", slug="opinion")
        self.local = make_section("محليات", slug="local")
        self.local.add_child(instance=_section("أحياء المدينة", "districts"))
        self.districts = self.local.get_children().get(slug="districts").specific
        self.districts.save_revision().publish()
        self.writer = make_author("هيفاء علي", slug="haifa")
        self.reporter = make_author("سامان كريم", slug="saman")
        self.series = make_series("ذاكرة الجسور", slug="bridges")
        self.part1 = make_article(
            self.opinion,
            title="الجسر الحديدي",
            body="<p>تاريخ الجسر الحديدي فوق النهر منذ بنائه.</p>",
            authors=[self.writer],
            tags=["جسور"],
            series=self.series,
            part_number=1,
            slug="iron-bridge",
        )
        self.part2 = make_article(
            self.opinion,
            title="الجسر المعلق",
            body="<p>حكاية الجسر المعلق وترميمه بعد الفيضان.</p>",
            authors=[self.writer],
            series=self.series,
            part_number=2,
            slug="suspension-bridge",
        )
        self.market = make_article(
            self.districts,
            title="سوق الخضار يعود",
            body="<p>عاد باعة الخضار إلى ساحة الحي بعد إغلاق دام شهرا.</p>",
            authors=[self.reporter],
            slug="vegetable-market",
            kind="news",
        )

    def urls(self):
        from taggit.models import Tag

        tag = Tag.objects.get(name="جسور")
        return [
            "/",
            "/en/",
            self.opinion.url,
            self.local.url,
            self.districts.url,
            self.part1.url,
            "/en" + self.part1.url,
            self.part2.url,
            self.market.url,
            self.market.url + "?order=newest",
            self.writer.get_absolute_url(),
            self.reporter.get_absolute_url(),
            f"/tag/{tag.slug}/",
            self.series.get_absolute_url(),
            "/feed/rss/",
            "/section/local/feed/rss/",
            "/author/saman/feed/rss/",
            "/sitemap.xml",
        ]


def _section(title, slug):
    from minbar.newsroom.models import SectionPage

    return SectionPage(title=title, slug=slug, description="")


@pytest.fixture
def site(django_capture_on_commit_callbacks):
    # Publishing queues "read also" and indexing on commit: run them as the worker would.
    with django_capture_on_commit_callbacks(execute=True):
        return Site()


def _fresh(client, url):
    with override_settings(MINBAR_PAGE_CACHE_SECONDS=0):
        response = client.get(url)
    assert response.status_code == 200, url
    return _normalized(response.content)


def _cache_everything(client, urls):
    before = {}
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response["X-Cache"] == "hit", url
        before[url] = _normalized(response.content)
    return before


def check_exact(
    client, site, change, django_capture_on_commit_callbacks, must_change=(), site_wide=False, shows_the_object=()
):
    """Make `change` and hold every page to "never stale, never dropped for nothing"; return the pages dropped.

    A `site_wide` change (the site's own settings) drops every page by design.
    `shows_the_object`: pages that list the changed object's address (the
    sitemaps), dropped when it changes although this change kept the address.
    """
    urls = site.urls()
    before = _cache_everything(client, urls)
    with django_capture_on_commit_callbacks(execute=True):
        change()
    dropped, stale, needless = set(), [], []
    for url in urls:
        cached = client.get(url)
        fresh = _fresh(client, url)
        if cached["X-Cache"] == "miss":
            dropped.add(url)
            if fresh == before[url] and url not in shows_the_object:
                needless.append(url)
        elif _normalized(cached.content) != fresh:
            stale.append(url)
    assert not stale, f"served stale after the change: {stale}"
    if site_wide:
        assert dropped == set(urls)
    else:
        assert not needless, f"dropped although they show the same: {needless}"
    for url in must_change:
        assert url in dropped, f"{url} shows the change but was not dropped"
    return dropped


def test_publishing_a_new_article(client, site, django_capture_on_commit_callbacks):
    def publish():
        make_article(
            site.districts,
            title="مكتبة الحي تفتح أبوابها",
            body="<p>افتتحت مكتبة الحي قاعتها الجديدة للقراءة.</p>",
            authors=[site.reporter],
            slug="district-library",
            kind="news",
        )

    dropped = check_exact(
        client,
        site,
        publish,
        django_capture_on_commit_callbacks,
        must_change=["/", site.local.url, site.districts.url, site.reporter.get_absolute_url(), "/feed/rss/"],
    )
    # The opinion section, its articles and the writer's page do not show it.
    assert not dropped & {site.opinion.url, site.part1.url, site.writer.get_absolute_url()}


def test_editing_an_article(client, site, django_capture_on_commit_callbacks):
    def edit():
        article = ArticlePage.objects.get(pk=site.part1.pk)
        article.title = "الجسر الحديدي القديم"
        article.save_revision().publish()

    dropped = check_exact(
        client,
        site,
        edit,
        django_capture_on_commit_callbacks,
        # Its own page, lists showing it, and the next part's series navigation.
        must_change=[site.part1.url, "/", site.opinion.url, site.part2.url, site.series.get_absolute_url()],
    )
    assert not dropped & {site.districts.url, site.reporter.get_absolute_url()}


def test_unpublishing_an_article(client, site, django_capture_on_commit_callbacks):
    def unpublish():
        ArticlePage.objects.get(pk=site.market.pk).unpublish()

    site_urls = site.urls()
    before_gone = [url for url in site_urls if url.startswith(site.market.url)]

    urls = [url for url in site_urls if url not in before_gone]
    site.urls = lambda: urls
    dropped = check_exact(
        client,
        site,
        unpublish,
        django_capture_on_commit_callbacks,
        must_change=["/", site.districts.url, site.local.url, site.reporter.get_absolute_url()],
    )
    assert site.part1.url not in dropped
    for url in before_gone:
        assert client.get(url).status_code == 404


def test_an_approved_comment_drops_only_its_article(client, site, django_capture_on_commit_callbacks):
    def approve():
        comment = Comment.objects.create(
            article=site.market, author_name="قارئ", body="خبر جميل", status=CommentStatus.PENDING
        )
        actions.approve([comment])

    dropped = check_exact(
        client, site, approve, django_capture_on_commit_callbacks, must_change=[site.market.url, site.market.url + "?order=newest"]
    )
    assert dropped == {site.market.url, site.market.url + "?order=newest"}


def test_a_held_comment_drops_nothing(client, site, django_capture_on_commit_callbacks):
    def hold():
        Comment.objects.create(article=site.market, author_name="قارئ", body="ينتظر", status=CommentStatus.PENDING)

    assert check_exact(client, site, hold, django_capture_on_commit_callbacks) == set()


def test_a_rating_drops_only_its_article(client, site, django_capture_on_commit_callbacks):
    def rate():
        ratings.rate(site.part2, Reader(token="reader-token-000001-xxxxxxxx", ip_hash="network-1"), 4)

    dropped = check_exact(client, site, rate, django_capture_on_commit_callbacks, must_change=[site.part2.url])
    assert dropped == {site.part2.url}


def test_recomputed_read_also_drops_only_the_articles_whose_list_changed(
    client, site, django_capture_on_commit_callbacks
):
    from minbar.related import services as related

    def recompute():
        related.refresh([site.part1.pk, site.part2.pk, site.market.pk], neighbours=False)

    # Nothing changed since the lists were computed: nothing is dropped.
    assert check_exact(client, site, recompute, django_capture_on_commit_callbacks) == set()


def test_a_changed_read_also_list_drops_that_article(client, site, django_capture_on_commit_callbacks):
    from minbar.related.models import RelatedArticle
    from minbar.related import services as related

    with django_capture_on_commit_callbacks(execute=True):
        wooden = make_article(
            site.districts,
            title="الجسر الخشبي",
            body="<p>الجسر الخشبي فوق النهر أقدم من الجسر الحديدي والجسر المعلق.</p>",
            authors=[site.reporter],
            slug="wooden-bridge",
        )
    assert RelatedArticle.objects.filter(article_id=site.part1.pk, related_id=wooden.pk).exists()
    # A teaser stored by an older run, which the next computation replaces.
    RelatedArticle.objects.filter(article_id=site.part1.pk).update(teaser="نص قديم")

    def recompute():
        related.refresh([site.part1.pk], neighbours=False)

    dropped = check_exact(client, site, recompute, django_capture_on_commit_callbacks, must_change=[site.part1.url])
    assert dropped == {site.part1.url, "/en" + site.part1.url}


def test_renaming_an_author(client, site, django_capture_on_commit_callbacks):
    def rename():
        site.reporter.name = "سامان كريم أحمد"
        site.reporter.save()

    dropped = check_exact(
        client,
        site,
        rename,
        django_capture_on_commit_callbacks,
        must_change=[site.market.url, site.reporter.get_absolute_url(), "/", "/author/saman/feed/rss/"],
        shows_the_object=["/sitemap.xml"],
    )
    assert not dropped & {site.part1.url, site.part2.url, site.writer.get_absolute_url()}


def test_renaming_a_sub_section(client, site, django_capture_on_commit_callbacks):
    def rename():
        section = site.districts.specific_class.objects.get(pk=site.districts.pk)
        section.title = "أحياء المدينة القديمة"
        section.save_revision().publish()

    dropped = check_exact(
        client, site, rename, django_capture_on_commit_callbacks, must_change=[site.districts.url, site.market.url]
    )
    # Not in the navigation (only top-level sections are): the opinion pages stay.
    assert not dropped & {site.part1.url, site.part2.url, site.opinion.url}


def test_renaming_a_top_level_section_reaches_every_page_with_the_navigation(
    client, site, django_capture_on_commit_callbacks
):
    def rename():
        section = site.opinion.specific_class.objects.get(pk=site.opinion.pk)
        section.title = "رأي وتحليل"
        section.save_revision().publish()

    dropped = check_exact(client, site, rename, django_capture_on_commit_callbacks)
    assert {"/", site.market.url, site.districts.url, site.part1.url} <= dropped


def test_a_new_section_appears_in_every_navigation(client, site, django_capture_on_commit_callbacks):
    dropped = check_exact(
        client, site, lambda: make_section("رياضة", slug="sport"), django_capture_on_commit_callbacks, must_change=["/", site.market.url]
    )
    assert site.part1.url in dropped


def test_the_site_settings_reach_every_page(client, site, django_capture_on_commit_callbacks):
    from minbar.core.models import SiteSettings

    def rename_site():
        site_settings = SiteSettings.load()
        site_settings.tagline = "أخبار المدينة كل يوم"
        site_settings.save()

    check_exact(client, site, rename_site, django_capture_on_commit_callbacks, site_wide=True)


def test_a_page_rendered_while_its_article_changes_is_not_kept(client, site):
    """A render that read the article before an edit committed must not be stored as current."""
    calls = []
    real_render = ArticlePage.serve

    def serve_while_an_editor_publishes(self, request, *args, **kwargs):
        response = real_render(self, request, *args, **kwargs)
        if not calls:
            calls.append(1)
            page_cache.bump(page_cache.page_key(site.part1.pk))
        return response

    from unittest import mock

    with mock.patch.object(ArticlePage, "serve", serve_while_an_editor_publishes):
        assert client.get(site.part1.url)["X-Cache"] == "miss"
        assert client.get(site.part1.url)["X-Cache"] == "miss"
    assert client.get(site.part1.url)["X-Cache"] == "hit"

"""The comment section on the article page: threads, count, orders, show all, the passage filter, plain text."""

import re

import pytest
from django.test import override_settings

from minbar.comments.models import CommentStatus
from minbar.comments.services import delete_comment
from minbar.comments.templatetags.comments_tags import comment_body

from .conftest import make_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]


def _ids(html):
    return [int(number) for number in re.findall(r'<li id="comment-(\d+)"', html)]


def _page(client, article, query="", language=""):
    return client.get(f"{language}{article.url}{query}").content.decode()


def test_count_uses_arabic_plurals_and_leaves_out_held_and_deleted(client, article, discussion):
    assert "0 تعليق" in _page(client, article) or "لا تعليقات" in _page(client, article)
    first = make_comment(article)
    make_comment(article, parent=first)
    make_comment(article, status=CommentStatus.PENDING)
    make_comment(article, status=CommentStatus.SPAM)
    english = client.get(f"/en{article.url}").content.decode()
    assert "2 comments" in english
    make_comment(article)
    assert "3 comments" in client.get(f"/en{article.url}").content.decode()


def test_threads_nest_replies_under_their_parents(client, article, discussion):
    first = make_comment(article)
    second = make_comment(article)
    reply = make_comment(article, parent=first)
    html = _page(client, article)
    assert _ids(html) == [first.pk, reply.pk, second.pk]
    thread = html[html.index(f'id="comment-{first.pk}"') : html.index(f'id="comment-{second.pk}"')]
    assert 'class="comment-replies"' in thread and f'id="comment-{reply.pk}"' in thread


def test_orders_oldest_newest_and_most_voted(client, article, discussion):
    old = make_comment(article, upvotes=1)
    middle = make_comment(article, upvotes=5, downvotes=1)
    new = make_comment(article, downvotes=2)
    reply = make_comment(article, parent=old, upvotes=50)
    assert _ids(_page(client, article)) == [old.pk, reply.pk, middle.pk, new.pk]
    assert _ids(_page(client, article, "?order=newest")) == [new.pk, middle.pk, old.pk, reply.pk]
    assert _ids(_page(client, article, "?order=votes")) == [middle.pk, old.pk, reply.pk, new.pk]
    assert _ids(_page(client, article, "?order=<script>")) == [old.pk, reply.pk, middle.pk, new.pk]


def test_order_links_work_without_javascript_and_mark_the_current_one(client, article, discussion):
    html = _page(client, article, "?order=newest")
    assert 'href="?order=votes#comments"' in html and 'href="?order=oldest#comments"' in html
    assert re.search(r'href="[^"]*\?order=newest#comments" data-order="newest" aria-current="true"', html)


def test_first_threads_then_show_all(client, article, discussion):
    discussion.comments_shown = 2
    discussion.save()
    comments = [make_comment(article, body=f"تعليق {n}") for n in range(5)]
    html = _page(client, article, language="/en")
    assert _ids(html) == [comments[0].pk, comments[1].pk]
    assert "Show all comments (3 more threads)" in html
    assert "5 comments" in html
    everything = _page(client, article, "?all=1")
    assert _ids(everything) == [comment.pk for comment in comments]
    assert "show-all" not in everything


def test_passage_filter_lists_only_comments_on_passages(client, article, discussion):
    whole = make_comment(article)
    on_passage = make_comment(article, quote="أعمال ترميم السوق القديم", quote_prefix="أن ", quote_suffix=" تم")
    reply = make_comment(article, parent=on_passage)
    html = _page(client, article, "?filter=passages")
    assert _ids(html) == [on_passage.pk, reply.pk]
    assert "أعمال ترميم السوق القديم" in html
    assert whole.pk in _ids(_page(client, article))


def test_deleted_comment_with_replies_leaves_a_placeholder(client, article, discussion):
    parent = make_comment(article, body="كلام سيُحذف", author_name="كاتب محذوف")
    reply = make_comment(article, parent=parent)
    assert delete_comment(parent) == "placeholder"
    parent.refresh_from_db()
    assert (parent.status, parent.body, parent.author_name, parent.author_email) == (CommentStatus.DELETED, "", "", "")
    html = _page(client, article, language="/en")
    assert _ids(html) == [parent.pk, reply.pk]
    assert "This comment was deleted." in html and "كلام سيُحذف" not in html
    assert "1 comment" in html


def test_deleted_comment_without_replies_is_removed_and_so_is_an_emptied_placeholder(client, article, discussion):
    parent = make_comment(article)
    reply = make_comment(article, parent=parent)
    delete_comment(parent)
    assert delete_comment(reply) == "removed"
    assert _ids(_page(client, article)) == []
    assert not type(parent).objects.exists()


def test_placeholder_whose_replies_are_all_hidden_is_not_shown(client, article, discussion):
    parent = make_comment(article)
    reply = make_comment(article, parent=parent)
    delete_comment(parent)
    type(reply).objects.filter(pk=reply.pk).update(status=CommentStatus.SPAM)
    assert _ids(_page(client, article)) == []


def test_each_comment_is_isolated_and_names_link_with_nofollow(client, article, discussion):
    comment = make_comment(article, author_name="Sara", author_url="https://sara.example/")
    html = _page(client, article)
    item = html[html.index(f'id="comment-{comment.pk}"') :]
    assert '<div class="comment-body" dir="auto">' in item
    assert '<bdi class="comment-author"' in item
    assert '<a href="https://sara.example/" rel="nofollow ugc noopener" dir="auto">Sara</a>' in item


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "javascript:alert(1)",
        '"><svg onload=alert(1)>',
        "https://example.org/\"onmouseover=\"alert(1)",
        "https://example.org/<script>",
    ],
)
def test_hostile_text_stays_text(client, article, discussion, hostile):
    make_comment(article, body=hostile, author_name=hostile)
    html = _page(client, article)
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert 'onmouseover="alert' not in html and 'href="javascript' not in html


def test_plain_text_becomes_paragraphs_line_breaks_and_safe_links():
    html = str(comment_body("سطر أول\nسطر ثان\n\nفقرة فيها https://example.org/a?b=1&c=2، ورابط (https://en.wikipedia.org/wiki/Foo_(bar)).\n\n\n"))
    assert html.startswith("<p>سطر أول<br>سطر ثان</p><p>فقرة فيها ")
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener" dir="ltr">https://example.org/a?b=1&amp;c=2</a>،' in html
    assert 'href="https://en.wikipedia.org/wiki/Foo_(bar)"' in html and "</a>).</p>" in html
    assert html.count("<p>") == 2


def test_long_links_are_shortened_in_the_text_not_the_address():
    url = "https://example.org/" + "a" * 100
    html = str(comment_body(url))
    assert f'href="{url}"' in html and "…</a>" in html


def test_the_section_is_the_same_for_every_reader(client, article, discussion):
    make_comment(article)
    anonymous = _page(client, article)
    assert "csrfmiddlewaretoken" not in anonymous
    client.cookies["minbar_reader"] = "something"
    # Only the signed render time of the form may differ (it changes every second, for everyone).
    started = re.compile(r'name="started" value="[^"]*"')
    assert started.sub("", _page(client, article)) == started.sub("", anonymous)


@override_settings(MINBAR_PAGE_CACHE_SECONDS=300)
def test_an_approved_comment_appears_on_the_cached_page(client, article, discussion):
    from minbar.comments.services import set_status

    client.get(article.url)
    held = make_comment(article, status=CommentStatus.PENDING, body="ينتظر المراجعة")
    assert "ينتظر المراجعة" not in client.get(article.url).content.decode()
    set_status([held], CommentStatus.APPROVED)
    assert "ينتظر المراجعة" in client.get(article.url).content.decode()


def test_a_stored_address_that_is_not_http_is_not_linked(client, article, discussion):
    make_comment(article, author_name="محتال", author_url="javascript:alert(1)")
    html = _page(client, article)
    assert "javascript:alert" not in html and "محتال" in html


def test_closed_article_shows_comments_without_reply_links(client, article, discussion):
    from minbar.newsroom.models import ArticlePage

    comment = make_comment(article)
    ArticlePage.objects.filter(pk=article.pk).update(comments_open=False)
    html = _page(client, article)
    assert f'id="comment-{comment.pk}"' in html and "comment-reply" not in html


@override_settings(MINBAR_PAGE_CACHE_SECONDS=300)
def test_the_article_page_with_comments_is_cached_for_anonymous_readers(client, article, discussion):
    make_comment(article)
    first = client.get(article.url)
    assert "Cookie" not in first.get("Vary", "") and not first.cookies
    assert client.get(article.url)["X-Cache"] == "hit"


def test_back_from_an_action_the_comment_is_shown_even_past_the_first_threads(client, article, discussion):
    discussion.comments_shown = 1
    discussion.save()
    first, late = make_comment(article), make_comment(article)
    assert _ids(_page(client, article)) == [first.pk]
    assert _ids(_page(client, article, f"?comment={late.pk}")) == [first.pk, late.pk]

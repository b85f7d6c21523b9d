"""What readers see: markers by asked-about passages, and the passage above a comment on one."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from minbar.comments.models import Comment, CommentStatus
from minbar.passages.models import PassageQuestion
from minbar.passages.services import article_text, mark_attachment
from minbar.passages.anchoring import build_selector
from tests.factories import make_article, make_section

from .conftest import OPENING, PASSAGE, QUESTION, bridge_body, make_comment, marked, publish_body

pytestmark = pytest.mark.django_db


def body_of(html):
    return html[html.index('class="article-body') : html.index("</article>")]


def comment_on(article, passage, **fields):
    text = article_text(article)
    start = text.index(passage)
    selector = build_selector(text, start, start + len(passage))
    return make_comment(
        article,
        body="هذه الجملة تحتاج إلى مصدر.",
        quote=selector.quote,
        quote_prefix=selector.prefix,
        quote_suffix=selector.suffix,
        quote_position=selector.position,
        **fields,
    )


def test_marker_follows_the_passage_with_question_count_and_answer_link(client, bridge_article, no_page_cache):
    question = PassageQuestion.objects.get(article=bridge_article)
    make_comment(bridge_article, question=question)
    make_comment(bridge_article, question=question)
    make_comment(bridge_article, question=question, status=CommentStatus.PENDING)
    make_comment(bridge_article, question=question, status=CommentStatus.SPAM)
    html = body_of(client.get(bridge_article.url).content.decode())
    passage = re.search(r'<mark class="passage" id="passage-q1a2b3"[^>]*>(.*?)</mark>(.*?)</span></span>', html, re.S)
    assert passage and passage.group(1) == PASSAGE
    marker = passage.group(2)
    assert f'href="/passages/{question.pk}/answer/"' in marker
    assert '<span class="passage-marker-count" aria-hidden="true">2</span>' in marker
    assert QUESTION in marker
    assert "data-passage=" not in html.replace('data-passage="q1a2b3"', "")
    assert "data-question=" not in html.replace(f'data-question="{QUESTION}"', "")


def test_marker_speaks_the_interface_language_whatever_the_article_language(client, bridge_article, no_page_cache):
    html = body_of(client.get("/en" + bridge_article.url).content.decode())
    assert 'class="passage-marker" data-passage-ui lang="en" dir="ltr"' in html
    assert "Question from the editors, 0 answers: answer it" in html


def test_no_marker_for_a_closed_question_and_no_raw_span_left(client, bridge_article, no_page_cache):
    PassageQuestion.objects.filter(article=bridge_article).update(is_open=False)
    html = body_of(client.get(bridge_article.url).content.decode())
    assert "passage-marker" not in html
    assert "data-question" not in html
    assert f"وقال رئيس البلدية إن {PASSAGE} بنصف ساعة" in html


def test_question_markup_is_escaped_in_the_marker(client, no_page_cache):
    body = f'<p>{OPENING} {marked("k9", "&lt;img src=x onerror=alert(1)&gt; رأيكم؟", PASSAGE)}</p>'
    article = make_article(make_section(), body=body)
    html = body_of(client.get(article.url).content.decode())
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; رأيكم؟" in html


def test_markers_add_one_query_whatever_the_number_of_questions_and_answers(client, no_page_cache):
    def queries_for(article):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(article.url).status_code == 200
        return captured.captured_queries

    def marker_queries(queries):
        return [q for q in queries if q["sql"].startswith('SELECT "passages_passagequestion"."id"') and "COUNT(" in q["sql"]]

    one = make_article(make_section(), body=bridge_body())
    make_comment(one, question=PassageQuestion.objects.get(article=one))
    many_body = "".join(f'<p>{OPENING} {marked(f"key{n}", f"سؤال رقم {n}؟", f"مقطع رقم {n} للنقاش")}</p>' for n in range(6))
    many = make_article(make_section(), body=many_body)
    for question in PassageQuestion.objects.filter(article=many):
        make_comment(many, question=question)
        make_comment(many, question=question)
    queries_for(one)  # warm per-process caches (site settings, translations)
    one_queries, many_queries = queries_for(one), queries_for(many)
    assert len(marker_queries(one_queries)) == len(marker_queries(many_queries)) == 1
    assert len(one_queries) == len(many_queries)
    assert marker_queries(queries_for(make_article(make_section(), title="بلا أسئلة"))) == []


def test_a_comment_on_an_untouched_passage_is_attached(bridge_article):
    comment = comment_on(bridge_article, "بحضور عدد من الأهالي")
    mark_attachment(bridge_article, [comment])
    assert comment.passage_attached is True
    assert comment.passage_text == "بحضور عدد من الأهالي"


def test_a_comment_stays_attached_after_edits_around_its_passage(bridge_article):
    comment = comment_on(bridge_article, "بحضور عدد من الأهالي")
    publish_body(bridge_article, "<p>تصحيح: كان الافتتاح مساء لا صباحاً.</p>" + bridge_body().replace("فوق النهر", "على النهر"))
    mark_attachment(bridge_article, [comment])
    assert comment.passage_attached is True


def test_a_comment_whose_passage_was_rewritten_is_detached_and_says_so(bridge_article):
    comment = comment_on(bridge_article, "بحضور عدد من الأهالي")
    publish_body(bridge_article, bridge_body().replace("بحضور عدد من الأهالي", "في غياب تام لسكان المنطقة"))
    mark_attachment(bridge_article, [comment])
    assert comment.passage_attached is False
    html = render_to_string("passages/comment_quote.html", {"comment": comment})
    assert "لم يعد هذا المقطع موجودًا في المقال." in html
    assert "بحضور عدد من الأهالي" in html
    assert "href=" not in html


def test_an_attached_comment_links_to_its_passage_with_a_text_fragment(bridge_article):
    comment = comment_on(bridge_article, "بحضور عدد من الأهالي")
    mark_attachment(bridge_article, [comment])
    html = render_to_string("passages/comment_quote.html", {"comment": comment})
    assert "no longer in the article" not in html
    assert 'href="#:~:text=%D8%A8%D8%AD%D8%B6%D9%88%D8%B1%20' in html
    assert 'data-passage-quote="بحضور عدد من الأهالي"' in html


def test_an_answer_shows_its_question_and_follows_it_when_the_mark_is_removed(bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    answer = make_comment(bridge_article, question=question)
    mark_attachment(bridge_article, [answer])
    html = render_to_string("passages/comment_quote.html", {"comment": answer})
    assert answer.passage_attached is True
    assert QUESTION in html and PASSAGE in html
    assert 'href="#passage-q1a2b3"' in html
    publish_body(bridge_article, f"<p>{OPENING}</p>")
    answer.refresh_from_db()
    mark_attachment(bridge_article, [answer])
    assert answer.passage_attached is False


def test_mark_attachment_leaves_plain_comments_alone_and_reads_questions_once(
    bridge_article, django_assert_num_queries
):
    question = PassageQuestion.objects.get(article=bridge_article)
    make_comment(bridge_article)
    for _ in range(5):
        make_comment(bridge_article, question=question)
        comment_on(bridge_article, "الجسر الجديد")
    comments = list(Comment.objects.filter(article=bridge_article).order_by("pk"))
    plain, answers, quoted = comments[0], comments[1::2], comments[2::2]
    with django_assert_num_queries(1):
        mark_attachment(bridge_article, comments)
    assert not hasattr(plain, "passage_attached")
    assert all(comment.passage_attached for comment in answers + quoted)
    # Questions the comment list already read cost nothing more.
    with_questions = list(Comment.objects.select_related("question").filter(pk__in=[c.pk for c in answers]))
    with django_assert_num_queries(0):
        mark_attachment(bridge_article, with_questions + quoted)


def test_comment_quote_escapes_what_the_reader_selected(bridge_article):
    comment = make_comment(bridge_article, quote='<script>alert("x")</script>', quote_position=0)
    mark_attachment(bridge_article, [comment])
    html = render_to_string("passages/comment_quote.html", {"comment": comment})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html

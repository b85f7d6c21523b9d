"""Editors' questions on passages: extracted on publish, kept in step with edits, resolved for answers."""

import pytest

from minbar.comments.models import CommentStatus
from minbar.passages.models import PassageQuestion
from minbar.passages.services import article_text, resolve_question
from tests.factories import make_article, make_section

from .conftest import OPENING, PASSAGE, QUESTION, bridge_body, make_comment, marked, publish_body

pytestmark = pytest.mark.django_db


def test_publishing_turns_a_marked_passage_into_an_open_question(bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    text = article_text(bridge_article)
    assert question.key == "q1a2b3"
    assert question.question == QUESTION
    assert question.is_open
    assert question.quote == PASSAGE
    assert text[question.quote_position : question.quote_position + len(PASSAGE)] == PASSAGE
    assert text[: question.quote_position].endswith(question.quote_prefix)
    assert question.quote_prefix.endswith("وقال رئيس البلدية إن ")
    assert question.quote_suffix.startswith(" بنصف ساعة")


def test_a_draft_asks_nothing_until_it_is_published():
    article = make_article(make_section(), body=bridge_body(), live=False)
    assert not PassageQuestion.objects.filter(article=article).exists()


def test_editing_the_question_and_the_text_around_it_updates_the_same_row(bridge_article):
    before = PassageQuestion.objects.get(article=bridge_article)
    answer = make_comment(bridge_article, question=before)
    publish_body(
        bridge_article,
        '<p data-block-key="b0">تحديث: أعلنت البلدية مواعيد فتح الجسر للسيارات.</p>'
        + bridge_body(question="كم دقيقة يوفر عليكم الجسر الجديد؟"),
    )
    after = PassageQuestion.objects.get(article=bridge_article)
    assert after.pk == before.pk
    assert after.question == "كم دقيقة يوفر عليكم الجسر الجديد؟"
    assert after.quote_position > before.quote_position
    answer.refresh_from_db()
    assert answer.question_id == after.pk


def test_a_removed_mark_closes_its_question_and_keeps_its_answers(bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    answer = make_comment(bridge_article, question=question)
    publish_body(bridge_article, f"<p>{OPENING}</p><p>وقال رئيس البلدية إن {PASSAGE}.</p>")
    question.refresh_from_db()
    assert not question.is_open
    answer.refresh_from_db()
    assert answer.question_id == question.pk
    # Marking the passage again with the same key reopens the same question.
    publish_body(bridge_article, bridge_body())
    question.refresh_from_db()
    assert question.is_open


def test_a_passage_marked_across_two_paragraphs_is_one_question():
    body = (
        f'<p>{OPENING} {marked("k2", "ما رأيكم؟", "بداية المقطع")}</p>'
        f'<p>{marked("k2", "ما رأيكم؟", "ونهاية المقطع")} وبقية الفقرة.</p>'
    )
    article = make_article(make_section(), body=body)
    question = PassageQuestion.objects.get(article=article)
    assert question.quote == "بداية المقطع ونهاية المقطع"


def test_marks_without_a_question_or_with_a_bad_key_ask_nothing():
    body = (
        f'<p>{marked("k3", "", "مقطع بلا سؤال")} و{marked("bad key!", "سؤال؟", "مقطع بمفتاح غير صالح")}</p>'
    )
    article = make_article(make_section(), body=body)
    assert not PassageQuestion.objects.filter(article=article).exists()


def test_question_text_with_markup_is_stored_as_text():
    body = f'<p>{OPENING} {marked("k4", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ماذا ترون؟", PASSAGE)}</p>'
    article = make_article(make_section(), body=body)
    assert PassageQuestion.objects.get(article=article).question == "<script>alert(1)</script> & ماذا ترون؟"


def test_resolve_question_accepts_the_id_or_the_key_of_an_open_question(bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    assert resolve_question(bridge_article, str(question.pk)) == question
    assert resolve_question(bridge_article, question.key) == question


def test_resolve_question_refuses_closed_foreign_and_made_up_questions(bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    other = make_article(make_section(), title="مقال آخر", body=bridge_body(key="other1"))
    foreign = PassageQuestion.objects.get(article=other)
    assert resolve_question(bridge_article, str(foreign.pk)) is None
    assert resolve_question(bridge_article, foreign.key) is None
    assert resolve_question(bridge_article, "") is None
    assert resolve_question(bridge_article, "' OR 1=1 --") is None
    assert resolve_question(bridge_article, "9" * 40) is None
    assert resolve_question(bridge_article, "9" * 30) is None  # beyond any integer column
    PassageQuestion.objects.filter(pk=question.pk).update(is_open=False)
    assert resolve_question(bridge_article, str(question.pk)) is None


def test_answer_page_shows_the_question_passage_answers_and_a_form_set_to_answer(client, bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    make_comment(bridge_article, body="نعم، ابنتي تعبره كل صباح.", question=question)
    make_comment(bridge_article, body="تعليق ينتظر المراجعة", question=question, status=CommentStatus.PENDING)
    response = client.get(f"/passages/{question.pk}/answer/")
    html = response.content.decode()
    assert response.status_code == 200
    assert QUESTION in html and PASSAGE in html
    assert "نعم، ابنتي تعبره كل صباح." in html
    assert "تعليق ينتظر المراجعة" not in html
    assert f'name="question" value="{question.pk}"' in html
    assert f'action="/comments/article/{bridge_article.pk}/"' in html
    assert f"#passage-{question.key}" in html


def test_answer_page_of_a_closed_question_or_unpublished_article_is_not_found(client, bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    bridge_article.unpublish()
    assert client.get(f"/passages/{question.pk}/answer/").status_code == 404
    PassageQuestion.objects.filter(pk=question.pk).update(is_open=False)
    assert client.get(f"/passages/{question.pk}/answer/").status_code == 404
    assert client.get("/passages/999999/answer/").status_code == 404


def test_answer_page_speaks_the_interface_language(client, bridge_article):
    question = PassageQuestion.objects.get(article=bridge_article)
    response = client.get(f"/en/passages/{question.pk}/answer/")
    assert response.status_code == 200
    assert "Answer a question about a passage" in response.content.decode()

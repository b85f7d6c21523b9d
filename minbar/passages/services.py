"""The rules of passage feedback: which questions readers may answer, whether a passage is still there."""

from __future__ import annotations

from minbar.core.text import plain_text

from .anchoring import FoldedText, TextQuoteSelector, locate
from .models import PassageQuestion


def article_text(article) -> str:
    """The article's text as passages are anchored in it: blocks joined by one space.

    The reader's script measures the rendered body the same way (passages.js),
    so positions from both sides agree.
    """
    return plain_text(article.body)


def resolve_question(article, key) -> PassageQuestion | None:
    """The open question `key` (its id or its key in the body) of `article`, or None.

    A closed question, one of another article or a made-up value gives None:
    the comment is then posted as a plain comment, never attached elsewhere.
    """
    key = str(key or "").strip()
    if not key or article is None or len(key) > 32:
        return None
    questions = PassageQuestion.objects.filter(article=article, is_open=True)
    if key.isdigit():
        found = questions.filter(pk=int(key)).first()
        if found:
            return found
    return questions.filter(key=key).first()


def selector_of(anchor) -> TextQuoteSelector:
    return TextQuoteSelector(
        quote=anchor.quote, prefix=anchor.quote_prefix, suffix=anchor.quote_suffix, position=anchor.quote_position
    )


def mark_attachment(article, comments):
    """Tell each comment on a passage whether its passage is still in the article.

    Sets `passage_attached` (True/False) on every comment with a quote or a
    question and, when attached, `passage_text` (the passage as the article
    says it now, for a link that finds it). An answer to a question follows
    its question: attached while the editor keeps the passage marked. No
    query for comments without a question; one for all questions otherwise.
    """
    comments = [comment for comment in comments if comment.quote or comment.question_id]
    if not comments:
        return comments
    text = article_text(article)
    target = FoldedText(text)
    question_ids = {comment.question_id for comment in comments if comment.question_id}
    questions = {}
    if question_ids:
        questions = {question.pk: question for question in PassageQuestion.objects.filter(pk__in=question_ids)}
    for comment in comments:
        comment.passage_text = ""
        question = questions.get(comment.question_id) if comment.question_id else None
        if question is not None:
            comment.question = question
            comment.passage_attached = question.is_open and question.article_id == article.pk
            continue
        span = locate(selector_of(comment), text, target=target) if comment.quote else None
        comment.passage_attached = span is not None
        if span:
            comment.passage_text = text[span[0] : span[1]]
    return comments

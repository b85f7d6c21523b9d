"""The rules of passage feedback: which questions readers may answer, whether a passage is still there."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q

from minbar.core.text import plain_text

from .anchoring import FoldedText, TextQuoteSelector, locate
from .models import PassageQuestion
from .richtext import marked_passages


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
    from minbar.comments.models import Comment

    comments = [comment for comment in comments if comment.quote or comment.question_id]
    if not comments:
        return comments
    text = article_text(article)
    target = FoldedText(text)
    # The comment list may have read the questions with the comments already.
    questions = {
        comment.question_id: comment.question
        for comment in comments
        if comment.question_id and Comment.question.is_cached(comment)
    }
    question_ids = {comment.question_id for comment in comments if comment.question_id} - set(questions)
    if question_ids:
        questions.update((question.pk, question) for question in PassageQuestion.objects.filter(pk__in=question_ids))
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


def sync_questions(article):
    """Make the article's PassageQuestion rows match the passages marked in its published body.

    New keys get a question, kept keys get the current question and anchor
    (and reopen if they had been closed), keys no longer in the body are
    closed, never deleted, so their answers stay with them.
    """
    marked = {passage.key: passage for passage in marked_passages(article.body)}
    existing = {question.key: question for question in PassageQuestion.objects.filter(article=article)}
    with transaction.atomic():
        for key, passage in marked.items():
            question = existing.get(key) or PassageQuestion(article=article, key=key)
            selector = passage.selector
            question.question = passage.question
            question.quote = selector.quote
            question.quote_prefix = selector.prefix
            question.quote_suffix = selector.suffix
            question.quote_position = selector.position
            question.is_open = True
            question.save()
        gone = [question.pk for key, question in existing.items() if key not in marked and question.is_open]
        if gone:
            PassageQuestion.objects.filter(pk__in=gone).update(is_open=False)
    return marked


def questions_with_answer_counts(article):
    """The article's open questions by key, each with `answer_count` (approved answers): one query."""
    from minbar.comments.models import CommentStatus

    questions = PassageQuestion.objects.filter(article=article, is_open=True).annotate(
        answer_count=Count("answers", filter=Q(answers__status=CommentStatus.APPROVED))
    )
    return {question.key: question for question in questions}


# Answers shown on a question's own page; the article's comment section shows them all.
ANSWERS_SHOWN = 50


def answer_page_context(question):
    """What the answer page shows: the article, the question and passage, its latest answers, an empty form."""
    from minbar.comments.forms import CommentForm
    from minbar.comments.models import Comment, CommentStatus

    article = question.article.specific
    answers = list(
        Comment.objects.filter(question=question, status=CommentStatus.APPROVED).order_by("-created_at")[:ANSWERS_SHOWN]
    )
    answers.reverse()
    return {
        "article": article,
        "question": question,
        "answers": answers,
        # The comments app's own form, with the question chosen: it posts to the comments URL.
        "form": CommentForm(initial={"question": str(question.pk)}),
    }

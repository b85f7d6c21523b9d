"""Demo discussion: comments with replies, votes, a passage answer and ratings.

Added to an article only while it has no comments and no ratings, so running
the demo again never doubles them nor touches what real readers wrote.
Readers here are invented; their votes and ratings carry made-up reader keys.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from minbar.comments.models import Comment, CommentStatus, CommentVote
from minbar.newsroom.models import ArticlePage
from minbar.passages.models import PassageQuestion
from minbar.ratings.models import Rating, RatingSummary
from minbar.readers.identity import hash_value

# (name, body, hours after publication, up votes, down votes, replies)
THREADS = {
    "local-press-after-paper-1": [
        (
            "سلمى",
            "أوافقك تماماً. في حيّنا انقطعت المياه ثلاثة أيام ولم نعرف السبب إلا من جار يعمل في البلدية.\n\nالصحيفة كانت على الأقل تنشر رقم الطوارئ.",
            3,
            14,
            1,
            [
                ("أبو فراس", "رقم الطوارئ ما زال موجوداً على موقع البلدية، لكن من يعرف أن للبلدية موقعاً؟", 5, 6, 0),
                ("سلمى", "هذا بالضبط ما قصدته: المعلومة موجودة ولا أحد يوصلها.", 6, 4, 0),
            ],
        ),
        (
            "كاوە",
            "مقال جميل، لكن أليس الحل أن تتعلم الصفحات المحلية أصول المهنة بدل أن نبكي على الورق؟",
            9,
            9,
            3,
            [("عمر الخطيب", "هذا سؤال الجزء الثالث من السلسلة تقريباً، انتظره.", 10, 7, 0)],
        ),
        ("ريم", "شكراً على ذكر طابور المخبز، أقرأ مقالاتكم فعلاً هناك.", 20, 5, 0, []),
    ],
    "water-is-a-common-good": [
        ("حسن", "ليت المقال ذكر أرقام الفاقد في الشبكة، فهي منشورة في تقرير المديرية.", 4, 3, 1, []),
    ],
}

# Answers to the question the editor put on a passage of the first article.
PASSAGE_ANSWERS = {
    "local-press-after-paper-1": [
        ("نادية", "نعم، صفحة إذاعة الحي تعود كل أسبوع إلى شكاوى الناس وتكتب ما الذي تغيّر.", 12, 8, 0),
    ]
}

# (slug, scores): each score is one invented reader's rating.
RATINGS = {
    "local-press-after-paper-1": [5, 5, 4, 5, 3, 4, 5],
    "water-is-a-common-good": [4, 4, 5],
}


def _votes(comment, up, down, serial):
    rows = [
        CommentVote(comment=comment, reader_key=hash_value("demo-reader", f"{serial}-{n}"), value=1 if n < up else -1)
        for n in range(up + down)
    ]
    CommentVote.objects.bulk_create(rows)
    comment.upvotes, comment.downvotes = up, down
    comment.save(update_fields=["upvotes", "downvotes"])


def _comment(article, name, body, hours, *, parent=None, question=None):
    published = article.first_published_at or timezone.now()
    return Comment.objects.create(
        article=article,
        parent=parent,
        depth=parent.depth + 1 if parent else 1,
        author_name=name,
        body=body,
        language="ar",
        status=CommentStatus.APPROVED,
        created_at=min(published + datetime.timedelta(hours=hours), timezone.now()),
        question=question,
        quote=question.quote if question else "",
        quote_prefix=question.quote_prefix if question else "",
        quote_suffix=question.quote_suffix if question else "",
        quote_position=question.quote_position if question else None,
    )


def _discuss(article):
    serial = 0
    for name, body, hours, up, down, replies in THREADS.get(article.slug, []):
        top = _comment(article, name, body, hours)
        _votes(top, up, down, serial := serial + 1)
        for reply_name, reply_body, reply_hours, reply_up, reply_down in replies:
            reply = _comment(article, reply_name, reply_body, reply_hours, parent=top)
            _votes(reply, reply_up, reply_down, serial := serial + 1)
    question = PassageQuestion.objects.filter(article=article, is_open=True).first()
    if question:
        for name, body, hours, up, down in PASSAGE_ANSWERS.get(article.slug, []):
            answer = _comment(article, name, body, hours, question=question)
            _votes(answer, up, down, serial := serial + 1)


def _rate(article):
    scores = RATINGS.get(article.slug, [])
    Rating.objects.bulk_create(
        Rating(article=article, reader_key=hash_value("demo-reader", f"rating-{n}"), score=score)
        for n, score in enumerate(scores)
    )
    if scores:
        RatingSummary.objects.update_or_create(article=article, defaults={"count": len(scores), "total": sum(scores)})


def load_discussion():
    """Add the demo discussion to the demo articles that have none yet; return how many comments were added."""
    before = Comment.objects.count()
    slugs = set(THREADS) | set(PASSAGE_ANSWERS) | set(RATINGS)
    for article in ArticlePage.objects.live().filter(slug__in=slugs):
        with transaction.atomic():
            if not Comment.objects.filter(article=article).exists():
                _discuss(article)
            if not Rating.objects.filter(article=article).exists():
                _rate(article)
    return Comment.objects.count() - before

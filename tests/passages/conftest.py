import pytest

from minbar.comments.models import Comment, CommentStatus
from tests.factories import make_article, make_section

# Our own article: a bridge opened in a town, one passage marked with a question.
OPENING = "افتتحت البلدية صباح اليوم الجسر الجديد فوق النهر بحضور عدد من الأهالي."
PASSAGE = "الجسر سيختصر طريق التلاميذ إلى المدرسة"
QUESTION = "هل يستخدم أطفالكم الجسر في طريقهم إلى المدرسة؟"


def marked(key, question, text):
    return f'<span data-passage="{key}" data-question="{question}">{text}</span>'


def bridge_body(question=QUESTION, key="q1a2b3", extra=""):
    return (
        f'<p data-block-key="b1">{OPENING}</p>'
        f'<p data-block-key="b2">وقال رئيس البلدية إن {marked(key, question, PASSAGE)} بنصف ساعة على الأقل.</p>'
        f"{extra}"
    )


def publish_body(article, body):
    """Publish a new revision of `article` with `body`, as an editor would."""
    article.body = body
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def make_comment(article, body="تعليق قارئ على المقال", status=CommentStatus.APPROVED, **fields):
    return Comment.objects.create(
        article=article, author_name="سلمى", author_email="salma@example.org", body=body, status=status, **fields
    )


@pytest.fixture
def bridge_article(db):
    return make_article(make_section(), title="جسر جديد فوق النهر", body=bridge_body())


@pytest.fixture
def no_page_cache(settings):
    settings.MINBAR_PAGE_CACHE_SECONDS = 0

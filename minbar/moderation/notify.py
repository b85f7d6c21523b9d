"""Tell editors that comments wait for them, without flooding their inboxes.

A held comment asks for a notice (`comment_held`, on commit). At most one
notice goes out per NOTICE_MINUTES for the whole installation: the first
held comment after a quiet spell is announced at once; the ones held during
the next interval are counted together in one e-mail sent when it ends (with
the database task queue, which can run a task later). With a task backend
that cannot defer, comments held within the interval wait for the next
notice instead. A comment saved in the instant a notice is being written
may be left out of its "new" count; it is still in the total of the next.

The e-mail names no reader and quotes no comment: only counts, article
titles (editors' own text) and the link to the queue. Each editor gets it in
their admin language.
"""

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minbar.comments.models import Comment, CommentStatus
from minbar.readers.text import clean_name

from .models import EditorNotice
from .permissions import moderators

logger = logging.getLogger("minbar.moderation")

# At most one notice per this many minutes (MINBAR_MODERATION_NOTICE_MINUTES).
NOTICE_MINUTES = 10
ARTICLES_LISTED = 10
SUBJECT_TITLE_MAX = 60
NOTICE_ROW = 1
# Minutes before a notice that no mail server took is tried again.
RETRY_MINUTES = 5


def notice_interval():
    return datetime.timedelta(minutes=getattr(settings, "MINBAR_MODERATION_NOTICE_MINUTES", NOTICE_MINUTES))


def _notice():
    notice, _created = EditorNotice.objects.get_or_create(pk=NOTICE_ROW)
    return notice


def _enqueue(run_after=None):
    """Queue the notice task, to run at `run_after` where the backend can wait; whether it will wait."""
    from .tasks import send_held_comments_notice

    task = send_held_comments_notice
    deferred = run_after is not None and task.get_backend().supports_defer
    (task.using(run_after=run_after) if deferred else task).enqueue()
    return deferred


def comment_held(comment_id):
    """A comment was held: make sure a notice is on its way (one queued task at a time)."""
    notice = _notice()
    now = timezone.now()
    due = max(now, notice.last_sent_at + notice_interval()) if notice.last_sent_at else now
    lost = now - notice_interval()
    unscheduled = Q(scheduled_for__isnull=True) | Q(scheduled_for__lt=lost)
    if not EditorNotice.objects.filter(unscheduled, pk=NOTICE_ROW).update(scheduled_for=due):
        return  # a queued notice will count this comment too
    _enqueue(due if due > now else None)


def _review_url():
    listing = reverse("wagtailsnippets_comments_comment:list")
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{listing}?status={CommentStatus.PENDING}"


def _subject_title(title):
    # Editors' text, but a header all the same: one line, bounded.
    title = clean_name(title)
    return title if len(title) <= SUBJECT_TITLE_MAX else title[: SUBJECT_TITLE_MAX - 1] + "…"


def _language_of(user):
    from wagtail.users.models import UserProfile

    language = UserProfile.get_for_user(user).get_preferred_language()
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _message(recipient, new_count, total, articles, language):
    with translation.override(language):
        context = {
            "new_count": new_count,
            "total": total,
            "articles": articles,
            "review_url": _review_url(),
            "interval_minutes": int(notice_interval().total_seconds() // 60),
        }
        subject = _("Comments awaiting review: %(title)s") % {"title": _subject_title(articles[0][0])}
        body = render_to_string("moderation/email/held_comments.txt", context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def send_held_comments_notice():
    """Send the notice if the interval since the last one has passed; the number of e-mails sent."""
    notice = _notice()
    now = timezone.now()
    previous = notice.last_sent_at
    if previous and now - previous < notice_interval():
        # Too soon (a worker ran it early, or the backend cannot wait):
        # run again when the interval ends, or leave it to the next held comment.
        if _task_backend_can_wait():
            _enqueue(previous + notice_interval())
            return 0
        EditorNotice.objects.filter(pk=NOTICE_ROW).update(scheduled_for=None)
        return 0
    claimed = EditorNotice.objects.filter(pk=NOTICE_ROW, last_sent_at=previous) if previous else (
        EditorNotice.objects.filter(pk=NOTICE_ROW, last_sent_at__isnull=True)
    )
    if not claimed.update(last_sent_at=now, scheduled_for=None):
        return 0  # another worker sent it
    held = Comment.objects.filter(status=CommentStatus.PENDING)
    new = held.filter(created_at__gt=previous) if previous else held
    per_article = Counter(new.values_list("article__title", flat=True))
    new_count = sum(per_article.values())
    if not new_count:
        return 0
    total = held.count()
    articles = per_article.most_common(ARTICLES_LISTED)
    sent = failed = 0
    for recipient in moderators().exclude(email=""):
        message = _message(recipient, new_count, total, articles, _language_of(recipient))
        try:
            message.send()
        except Exception:  # one bad address or a mail server hiccup must not stop the others
            logger.exception("held-comments notice to user %s failed", recipient.pk)
            failed += 1
        else:
            sent += 1
    if failed and not sent:
        _retry_later(previous, now)
    logger.info("held-comments notice: %s new, %s waiting, %s e-mails", new_count, total, sent)
    return sent


def _retry_later(previous, claimed_at):
    """Not one notice left (the mail server is down): the notice is owed again, with every comment it counted.

    The claim is given back, so the next notice counts the same comments as
    new; where the queue can wait it is queued for RETRY_MINUTES later,
    otherwise the next held comment sends it.
    """
    retry_at = timezone.now() + datetime.timedelta(minutes=RETRY_MINUTES)
    can_wait = _task_backend_can_wait()
    given_back = EditorNotice.objects.filter(pk=NOTICE_ROW, last_sent_at=claimed_at).update(
        last_sent_at=previous, scheduled_for=retry_at if can_wait else None
    )
    if given_back and can_wait:
        _enqueue(retry_at)
    if can_wait:
        logger.warning("held-comments notice reached no editor; trying again in %s minutes", RETRY_MINUTES)
    else:
        logger.warning("held-comments notice reached no editor; the next held comment sends it")



def _task_backend_can_wait():
    from .tasks import send_held_comments_notice

    return send_held_comments_notice.get_backend().supports_defer

"""The rules of comments. Views stay thin and call these."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings as django_settings
from django.core import signing
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from minbar.core import page_cache
from minbar.moderation.models import discussion_settings

from .models import Comment, CommentStatus
from .signals import comment_published

logger = logging.getLogger(__name__)

EDIT_TOKEN_SALT = "minbar.comments.edit"

# Replies that keep a deleted comment in place: what readers see, and
# placeholders that themselves hold visible replies further down.
THREAD_HOLDING_STATUSES = (CommentStatus.APPROVED, CommentStatus.DELETED)


def set_status(comments, status):
    """Give `comments` (a queryset or list) `status`; announce those that become visible.

    Used by moderation (bulk approve, spam, delete) as well as by posting.
    Each article whose visible comments changed loses its cached page.
    """
    comments = list(comments)
    newly_published = [comment for comment in comments if comment.status != CommentStatus.APPROVED and status == CommentStatus.APPROVED]
    changed = [comment for comment in comments if comment.status != status]
    with transaction.atomic():
        Comment.objects.filter(pk__in=[comment.pk for comment in changed]).update(status=status)
    for comment in changed:
        comment.status = status
    for article_id in {comment.article_id for comment in changed}:
        page_cache.invalidate_article(article_id)
    for comment in newly_published:
        transaction.on_commit(lambda comment=comment: comment_published.send(sender=Comment, comment=comment))
    return changed


def _holds_thread(comment):
    return comment.replies.filter(status__in=THREAD_HOLDING_STATUSES).exists()


def delete_comment(comment):
    """Delete `comment` for its author or a moderator.

    A comment with visible replies becomes a placeholder (status DELETED, its
    words and author blanked) so the replies keep their place in the thread;
    one without is removed, and so is a placeholder parent left with nothing
    under it. The article's cached page is dropped. Returns "placeholder" or
    "removed".
    """
    article_id = comment.article_id
    with transaction.atomic():
        # Locked first, so a reply being posted to it either lands before (and is seen below) or is refused.
        if Comment.objects.select_for_update().filter(pk=comment.pk).values_list("pk", flat=True).first() is None:
            return "removed"
        if _holds_thread(comment):
            Comment.objects.filter(pk=comment.pk).update(
                status=CommentStatus.DELETED, body="", author_name="", author_email="", author_url="", user=None
            )
            comment.status = CommentStatus.DELETED
            comment.body = comment.author_name = comment.author_email = comment.author_url = ""
            comment.user = None
            outcome = "placeholder"
        else:
            parent_id = comment.parent_id
            comment.delete()
            # A placeholder only stood for the replies under it: the last one gone, it goes too.
            while parent_id:
                parent = Comment.objects.filter(pk=parent_id).first()
                if parent is None or parent.status != CommentStatus.DELETED or _holds_thread(parent):
                    break
                parent_id = parent.parent_id
                parent.delete()
            outcome = "removed"
    page_cache.invalidate_article(article_id)
    return outcome



def _optional(module_name, attribute):
    """A function another discussion app provides, or None while it has not landed yet."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, attribute, None)


def signed_in_user(request):
    """The signed-in user behind `request`, or None.

    Looked up only when the request carries a session cookie: reading the
    session of an anonymous reader would make the cached article page vary
    on cookies, and so never be shared.
    """
    if request is None or django_settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def is_closed(article, settings=None):
    """Whether `article` takes no new comments: closed by its editor, or older than the site allows."""
    if not article.comments_open:
        return True
    settings = settings or discussion_settings()
    published = article.first_published_at
    if settings.close_after_days and published:
        return timezone.now() - published > datetime.timedelta(days=settings.close_after_days)
    return False


def placement_of_reply(parent, author_name, body, max_depth):
    """Where a reply to `parent` goes: (parent, depth, body).

    Below the deepest level a reply joins the level of the comment it answers
    (same parent) and starts with "@name " so readers still see whom it answers.
    """
    if parent.depth < max(1, max_depth):
        return parent, parent.depth + 1, body
    mention = f"@{parent.author_name} "
    if not body.startswith(mention):
        body = mention + body
    return parent.parent, parent.depth, body


@dataclass
class PostOutcome:
    """What became of a posted comment: `comment` (None when refused), a message for the reader, an edit token."""

    comment: Comment | None = None
    refused: bool = False
    message: str = ""
    errors: dict = field(default_factory=dict)
    edit_token: str = ""

    @property
    def is_published(self):
        return self.comment is not None and self.comment.status == CommentStatus.APPROVED


def post_comment(
    article,
    *,
    reader,
    author_name,
    author_email,
    body,
    author_url="",
    user=None,
    parent=None,
    language=None,
    question_key="",
    quote="",
    quote_prefix="",
    quote_suffix="",
    quote_position=None,
    seconds_on_form=None,
    honeypot="",
    notify_replies=False,
    request=None,
):
    """Screen and store a comment on `article` (a reply when `parent` is given).

    A signed-in `user` comments as themselves. Moderation (screen()) refuses,
    holds or publishes; a published comment empties the article's cached page
    and is announced with `comment_published` once committed.
    """
    from minbar.moderation.services import Submission, screen

    settings = discussion_settings()
    if is_closed(article, settings):
        return PostOutcome(refused=True, message=_("Comments on this article are closed."))
    if user is not None:
        author_name = user.get_full_name() or user.get_username()
        author_email = user.email
    question = None
    if question_key:
        # A closed or made-up question: the words are kept as a plain comment (passages.services).
        resolve_question = _optional("minbar.passages.services", "resolve_question")
        question = resolve_question(article, question_key) if resolve_question else None
    # Screening and storing are one transaction, taken under a lock on the
    # article (and on the comment answered): the same comment sent twice at
    # once is seen as a duplicate by the second, and a reply never attaches
    # to a comment its author is deleting at that moment.
    with transaction.atomic():
        Page.objects.select_for_update().filter(pk=article.pk).values_list("pk", flat=True).first()
        depth = 1
        if parent is not None:
            parent = (
                Comment.objects.select_for_update()
                .filter(pk=parent.pk, article_id=article.pk, status=CommentStatus.APPROVED)
                .first()
            )
            if parent is None:
                return PostOutcome(refused=True, message=_("The comment you are replying to is no longer available."))
            parent, depth, body = placement_of_reply(parent, author_name, body, settings.max_depth)
        screening = screen(
            Submission(
                article=article,
                author_name=author_name,
                author_email=author_email,
                author_url=author_url,
                body=body,
                reader=reader,
                user=user,
                parent=parent,
                seconds_on_form=seconds_on_form,
                honeypot=honeypot,
            )
        )
        if screening.refused:
            return PostOutcome(refused=True, message=screening.message)
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            depth=depth,
            user=user,
            author_name=author_name,
            author_email=author_email,
            author_url=author_url,
            body=body,
            language=language or translation.get_language() or "ar",
            status=screening.status,
            moderation_note=(screening.note or "")[:200],
            ip_hash=reader.ip_hash,
            reader_key=reader.key,
            question=question,
            quote=quote,
            quote_prefix=quote_prefix,
            quote_suffix=quote_suffix,
            quote_position=quote_position if quote else None,
        )
        if comment.status == CommentStatus.APPROVED:
            page_cache.invalidate_article(article.pk)
            transaction.on_commit(lambda: comment_published.send(sender=Comment, comment=comment))
    if notify_replies and author_email:
        _subscribe_to_replies(comment, request)
    if comment.status == CommentStatus.APPROVED:
        message = _("Thank you: your comment is published.")
    else:
        message = _("Thank you: your comment is awaiting moderation and will appear once an editor approves it.")
    return PostOutcome(comment=comment, message=message, edit_token=edit_token_for(comment))


def _subscribe_to_replies(comment, request):
    subscribe = _optional("minbar.subscriptions.services", "subscribe")
    if subscribe is None:
        return
    try:
        subscribe(
            email=comment.author_email,
            kind="replies_to_me",
            article=comment.article,
            comment=comment,
            language=comment.language,
            request=request,
        )
    except Exception:
        # A subscription failure must never lose the comment the reader just wrote (STYLE 22).
        logger.exception("Subscribing the author of comment %s to replies failed", comment.pk)


# Editing by the author, without an account


def edit_token_for(comment):
    """A signed token that lets whoever holds it edit or delete `comment` for the edit window."""
    return signing.dumps({"c": comment.pk, "r": comment.reader_key}, salt=EDIT_TOKEN_SALT)


def edit_window_seconds():
    return discussion_settings().edit_minutes * 60


def comment_for_token(token, comment_id=None):
    """The comment `token` lets its holder edit, or None (forged, expired, deleted, or another comment's)."""
    if not token or len(token) > 300:
        return None
    try:
        claim = signing.loads(token, salt=EDIT_TOKEN_SALT, max_age=edit_window_seconds())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(claim, dict) or (comment_id is not None and claim.get("c") != comment_id):
        return None
    comment = (
        Comment.objects.filter(pk=claim.get("c"), status__in=(CommentStatus.APPROVED, CommentStatus.PENDING))
        .select_related("article")
        .first()
    )
    if comment is None or comment.reader_key != claim.get("r"):
        return None
    if timezone.now() - comment.created_at > datetime.timedelta(seconds=edit_window_seconds()):
        return None
    return comment


def token_expires_at(comment):
    return comment.created_at + datetime.timedelta(seconds=edit_window_seconds())


def edit_comment(comment, body, *, reader):
    """Replace the words of `comment`; moderation screens them again. Returns a PostOutcome."""
    from minbar.moderation.services import Submission, screen

    if body == comment.body:
        return PostOutcome(comment=comment, message=_("Your comment is unchanged."))
    screening = screen(
        Submission(
            article=comment.article,
            author_name=comment.author_name,
            author_email=comment.author_email,
            author_url=comment.author_url,
            body=body,
            reader=reader,
            user=comment.user,
            parent=comment.parent,
            # The form to edit it has been open at least since it was posted.
            seconds_on_form=(timezone.now() - comment.created_at).total_seconds(),
        )
    )
    if screening.refused:
        return PostOutcome(refused=True, message=screening.message)
    was_visible = comment.status == CommentStatus.APPROVED
    # An edit never publishes what moderation still holds.
    status = CommentStatus.PENDING if screening.status != CommentStatus.APPROVED else comment.status
    comment.body, comment.status, comment.edited_at = body, status, timezone.now()
    comment.save(update_fields=["body", "status", "edited_at"])
    if was_visible:
        page_cache.invalidate_article(comment.article_id)
    if comment.status == CommentStatus.APPROVED:
        message = _("Your comment is changed.")
    else:
        message = _("Your comment is changed and awaits moderation.")
    return PostOutcome(comment=comment, message=message)

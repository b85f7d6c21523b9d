"""Decide what happens to a comment a reader sends: refused, held for an editor, or published.

Contract used by minbar.comments:

    screening = screen(submission)

`submission` is a `Submission`; the result is a `Screening`: `refused` with a
translated `message` for the reader, otherwise `status` (a CommentStatus:
APPROVED or PENDING) and `note` (why it was held, for editors). `reasons`
lists the rules that fired, by name (the `Reason` values), for tests and logs.

The checks run in order, cheapest and surest first (STYLE 21):

refused, and nothing is stored:
  honeypot filled; sent sooner than `min_seconds_to_submit` after the form was
  rendered (a missing or forged timestamp counts as too soon); sender blocked
  (e-mail address or domain, or network); too many comments from the network
  or the address (RATE_LIMITS); the same text by the same address or network
  on the same article within DUPLICATE_HOURS, or a copy of it being posted at
  the same moment (a double click: see SubmissionClaim).
  Blocked senders are refused rather than silently kept as spam: a reader
  blocked by mistake learns it and can write to the site, and a blocked
  robot fills no table.

held (pending) with a note for editors:
  a blocked word or phrase or a blocked domain; more links than `max_links`;
  the article's moderation policy (else the site's): hold every comment, or
  hold a sender's first comment (no approved comment yet by that signed-in
  user, or by that e-mail address).

Signed-in users who may moderate comments are never held.
"""

import datetime
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from minbar.comments.models import Comment, CommentStatus
from minbar.newsroom.models import CommentModeration
from minbar.readers import ratelimit
from minbar.readers.identity import hash_value
from minbar.readers.text import clean_body

from . import blocks
from .forms import STARTED_SALT
from .models import BlockKind, BlockRule, SubmissionClaim, discussion_settings
from .permissions import may_moderate

logger = logging.getLogger("minbar.moderation")

# Per network, 5 comments a minute and 30 an hour; per e-mail address, 10 an
# hour: [(limit, seconds)]. With the in-process cache every server process
# counts on its own (see readers.ratelimit). Settings may replace them
# (MINBAR_COMMENT_RATE_LIMITS, same shape).
RATE_LIMITS = {"network": [(5, 60), (30, 3600)], "address": [(10, 3600)]}
# How far back an identical comment counts as a duplicate (MINBAR_COMMENT_DUPLICATE_HOURS).
DUPLICATE_HOURS = 24
# How long a claim on a comment being posted keeps its copies out (see SubmissionClaim).
CLAIM_SECONDS = 120
NOTE_MAX = 200


class Reason:
    HONEYPOT = "honeypot"
    TOO_FAST = "too_fast"
    BLOCKED_SENDER = "blocked_sender"
    RATE_LIMIT = "rate_limit"
    DUPLICATE = "duplicate"
    BLOCKED_WORD = "blocked_word"
    BLOCKED_LINK = "blocked_link"
    TOO_MANY_LINKS = "too_many_links"
    HOLD_ALL = "hold_all"
    FIRST_TIME = "first_time"


@dataclass(frozen=True)
class Submission:
    article: object
    author_name: str
    author_email: str
    author_url: str
    body: str
    reader: object  # minbar.readers.identity.Reader
    user: object = None  # a signed-in user, or None for a guest
    parent: object = None
    seconds_on_form: float | None = None  # None when the form carried no valid timestamp
    honeypot: str = ""


@dataclass(frozen=True)
class Screening:
    status: str = CommentStatus.APPROVED
    note: str = ""
    refused: bool = False
    message: str = ""
    reasons: list = field(default_factory=list)


def seconds_since(signed_value):
    """Seconds since the signed form timestamp (moderation.forms.form_timestamp), or None when missing or forged.

    A timestamp from the future (another server's clock ahead of ours) counts as 0.
    """
    if not signed_value or len(signed_value) > 200:
        return None
    try:
        started = signing.loads(signed_value, salt=STARTED_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(started, int):
        return None
    return max(0.0, time.time() - started)


def _refused(reason, message):
    return Screening(refused=True, message=message, reasons=[reason])


def _author_email(submission):
    if submission.user is not None and getattr(submission.user, "is_authenticated", False):
        return (submission.author_email or getattr(submission.user, "email", "") or "").strip().lower()
    return (submission.author_email or "").strip().lower()


def _is_signed_in(submission):
    return submission.user is not None and getattr(submission.user, "is_authenticated", False)


def _rate_limited(submission, email):
    within = True
    # Every limit counts the attempt, even after one has refused it, so that
    # a flood keeps its windows full.
    limits = getattr(settings, "MINBAR_COMMENT_RATE_LIMITS", RATE_LIMITS)
    for limit, seconds in limits.get("network", ()):
        within &= ratelimit.allow("comment-network", submission.reader.ip_hash, limit=limit, seconds=seconds)
    if email:
        address_key = hash_value("email", email)
        for limit, seconds in limits.get("address", ()):
            within &= ratelimit.allow("comment-address", address_key, limit=limit, seconds=seconds)
    return not within


def _is_duplicate(submission, email, body):
    same_sender = Q(ip_hash=submission.reader.ip_hash) if submission.reader.ip_hash else Q(pk__in=[])
    if email:
        same_sender |= Q(author_email__iexact=email)
    if _is_signed_in(submission):
        same_sender |= Q(user=submission.user)
    window = datetime.timedelta(hours=getattr(settings, "MINBAR_COMMENT_DUPLICATE_HOURS", DUPLICATE_HOURS))
    return (
        Comment.objects.filter(article=submission.article, body=body, created_at__gte=timezone.now() - window)
        .exclude(status=CommentStatus.DELETED)
        .filter(same_sender)
        .exists()
    )


def _senders(submission, email):
    senders = []
    if email:
        senders.append(f"email:{email}")
    if submission.reader.ip_hash:
        senders.append(f"network:{submission.reader.ip_hash}")
    if _is_signed_in(submission):
        senders.append(f"user:{submission.user.pk}")
    return senders


def _claim(submission, email, body):
    """Claim this comment for this sender; False when a copy of it is being posted (or just was)."""
    article_id = getattr(submission.article, "pk", submission.article)
    fingerprints = sorted(
        hash_value("comment-claim", f"{article_id}\n{sender}\n{body}") for sender in _senders(submission, email)
    )
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=CLAIM_SECONDS)
    try:
        with transaction.atomic():
            for fingerprint in fingerprints:
                try:
                    with transaction.atomic():
                        SubmissionClaim.objects.create(fingerprint=fingerprint, created_at=now)
                except IntegrityError:
                    # Taken: by a copy in flight, or long ago (then it is ours to take over).
                    taken_over = SubmissionClaim.objects.filter(fingerprint=fingerprint, created_at__lt=stale).update(
                        created_at=now
                    )
                    if not taken_over:
                        raise _AlreadyClaimed from None
    except _AlreadyClaimed:
        return False
    SubmissionClaim.objects.filter(created_at__lt=stale).delete()
    return True


class _AlreadyClaimed(Exception):
    pass


def _has_approved_comment(submission, email):
    approved = Comment.objects.filter(status=CommentStatus.APPROVED)
    if _is_signed_in(submission) and approved.filter(user=submission.user).exists():
        return True
    return bool(email) and approved.filter(author_email__iexact=email).exists()


def _policy(article, discussion):
    return getattr(article, "comment_moderation", "") or discussion.moderation


def _rules():
    rules = {kind: [] for kind in BlockKind.values}
    for kind, value in BlockRule.objects.values_list("kind", "value"):
        rules.setdefault(kind, []).append(value)
    return rules


def _holds(submission, email, body, rules, discussion):
    """The (reason, note) pairs that hold this comment for an editor."""
    holds = []
    text = "\n".join([submission.author_name or "", body])
    for word in blocks.blocked_words(text, rules[BlockKind.WORD]):
        holds.append((Reason.BLOCKED_WORD, _("Contains the blocked word or phrase “%(word)s”.") % {"word": word}))
    linked_text = "\n".join([submission.author_url or "", body])
    for domain in blocks.blocked_domains(linked_text, rules[BlockKind.LINK]):
        holds.append((Reason.BLOCKED_LINK, _("Names the blocked domain %(domain)s.") % {"domain": domain}))
    links = blocks.count_links(body)
    if links > discussion.max_links:
        holds.append(
            (
                Reason.TOO_MANY_LINKS,
                _("Has %(count)d links; comments with more than %(limit)d wait for review.")
                % {"count": links, "limit": discussion.max_links},
            )
        )
    policy = _policy(submission.article, discussion)
    if policy == CommentModeration.HOLD_ALL:
        holds.append((Reason.HOLD_ALL, _("Every comment here waits for review.")))
    elif policy == CommentModeration.HOLD_FIRST and not _has_approved_comment(submission, email):
        holds.append((Reason.FIRST_TIME, _("First comment from this sender.")))
    return holds


def screen(submission):
    """Screen a comment a reader sends (see the module's docstring for the rules, in order)."""
    discussion = discussion_settings()
    email = _author_email(submission)
    body = clean_body(submission.body)

    if (submission.honeypot or "").strip():
        return _refused(Reason.HONEYPOT, _("Your comment could not be sent. Please try again."))
    minimum = discussion.min_seconds_to_submit
    if minimum and (submission.seconds_on_form is None or submission.seconds_on_form < minimum):
        return _refused(
            Reason.TOO_FAST,
            _("That was sent sooner than anyone can write. Wait a few seconds, then send your comment again."),
        )

    rules = _rules()
    if blocks.is_blocked_email(email, rules[BlockKind.EMAIL]) or (
        submission.reader.ip_hash and submission.reader.ip_hash in rules[BlockKind.IP_HASH]
    ):
        logger.info("comment refused: blocked sender (network %s)", submission.reader.ip_hash[:8])
        return _refused(Reason.BLOCKED_SENDER, _("This site does not accept comments from this sender."))
    if _rate_limited(submission, email):
        logger.info("comment refused: rate limit (network %s)", submission.reader.ip_hash[:8])
        return _refused(
            Reason.RATE_LIMIT, _("You have sent many comments in a short time. Wait a while, then try again.")
        )
    if _is_duplicate(submission, email, body) or not _claim(submission, email, body):
        return _refused(Reason.DUPLICATE, _("You have already posted this comment on this article."))

    if _is_signed_in(submission) and may_moderate(submission.user):
        return Screening(status=CommentStatus.APPROVED)
    # Notes are for editors: in the site's language, whatever the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        holds = _holds(submission, email, body, rules, discussion)
    if not holds:
        return Screening(status=CommentStatus.APPROVED)
    note = " ".join(note for _reason, note in holds)
    if len(note) > NOTE_MAX:
        note = note[: NOTE_MAX - 1] + "…"
    return Screening(status=CommentStatus.PENDING, note=note, reasons=[reason for reason, _note in holds])

"""WordPress comments (with wpDiscuz's votes and passage answers) and star ratings, for articles just imported.

Imported history is written in bulk and quietly: no subscriber is mailed and
no editor is notified of a comment posted years ago. Comments are kept whole
(no length limit: the limit is for new ones), as plain text like every Minbar
comment, with their threads: a reply deeper than Minbar shows is attached to
its ancestor at the deepest level Minbar shows, which is where a reader
replying on Minbar would have put it.
"""

import hashlib
import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timezone as dt_timezone

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext

from minbar.comments.models import Comment, CommentStatus
from minbar.moderation.models import discussion_settings
from minbar.passages.models import PassageQuestion
from minbar.ratings.models import HIGHEST_SCORE, RatingSummary
from minbar.readers.identity import hash_value
from minbar.readers.network import network_of
from minbar.readers.text import clean_body, clean_name

from .models import WordPressObject, mapping, remember

_STATUSES = {
    "1": CommentStatus.APPROVED,
    "approve": CommentStatus.APPROVED,
    "0": CommentStatus.PENDING,
    "hold": CommentStatus.PENDING,
    "spam": CommentStatus.SPAM,
    "trash": CommentStatus.DELETED,
    "post-trashed": CommentStatus.DELETED,
}
# Comment types that are readers' comments; pingbacks, trackbacks and plugin notes are not.
_COMMENT_TYPES = {"", "comment", "wpdiscuz", "review"}
NAME_LIMIT = 80
URL_LIMIT = 200
EMAIL_LIMIT = 254

ORPHAN = _("A reply whose parent is not in the export was imported as a comment on the article.")
NO_QUESTION = _("A passage answer names a question the article does not have; imported as a plain comment.")
BAD_VOTES = _("Vote counts that are not whole numbers were read as zero.")
BAD_RATING = _("A star rating that is not between 1 and 5, or without a count, was not imported.")
DELETED_IN_MINBAR = _("Comments deleted in Minbar since the last import were not brought back.")

_BREAKS = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</blockquote\s*>", re.IGNORECASE)
_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*(["'])(?P<url>[^"']*)\1[^>]*>(?P<text>.*?)</a\s*>""", re.IGNORECASE | re.DOTALL)
_BLANK_LINES = re.compile(r"\n{3,}")


def comment_text(markup: str) -> str:
    """A WordPress comment's HTML as Minbar's plain text: links as "text (URL)", breaks as new lines, no tags."""

    def link(match):
        url, text = html.unescape(match.group("url")).strip(), match.group("text")
        plain = nh3.clean(text, tags=set())
        return plain if not url.startswith(("http://", "https://")) or html.unescape(plain).strip() == url else f"{plain} ({url})"

    text = _LINK.sub(link, markup or "")
    text = _BREAKS.sub("\n", text)
    text = nh3.clean(text, tags=set(), clean_content_tags={"script", "style"})
    return _BLANK_LINES.sub("\n\n", clean_body(html.unescape(text)))


def _whole(value):
    text = str(value if value is not None else "").strip().lstrip("+")
    negative = text.startswith("-")
    digits = text[1:] if negative else text
    if not digits.isdigit() or len(digits) > 9:
        return None
    return -int(digits) if negative else int(digits)


@dataclass
class DiscussionOutcome:
    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)  # (message, params, wp_ids)

    def warn(self, message, wp_ids, params=None):
        self.warnings.append((message, params or {}, tuple(wp_ids)))


class DiscussionWriter:
    """Write the comments and ratings of a batch of (Item, article id); see the module docstring."""

    def __init__(self, source):
        self.source = source
        self.max_depth = max(1, discussion_settings().max_depth)
        self.language = ""

    def write(self, batch) -> DiscussionOutcome:
        from django.conf import settings

        self.language = settings.MINBAR_CONTENT_LANGUAGE
        outcome = DiscussionOutcome()
        self._ratings(batch, outcome)
        every = [(item, article_id, comment) for item, article_id in batch for comment in item.comments]
        if not every:
            return outcome
        known = mapping(self.source, "comment", [comment.wp_id for _, _, comment in every])
        existing = Comment.objects.in_bulk([int(pk) for pk in known.values()])
        fingerprints = dict(
            WordPressObject.objects.filter(source=self.source, kind="comment", wp_id__in=list(known)).values_list(
                "wp_id", "fingerprint"
            )
        )
        questions = {
            (question.article_id, question.key): question
            for question in PassageQuestion.objects.filter(article_id__in={article_id for _, article_id in batch})
        }
        for item, article_id in batch:
            self._article(item, article_id, known, existing, fingerprints, questions, outcome)
        return outcome

    # --- one article's comments --------------------------------------------------

    def _article(self, item, article_id, known, existing, fingerprints, questions, outcome):
        wanted = {}
        for comment in item.comments:
            if comment.type not in _COMMENT_TYPES:
                outcome.counts["comments.skipped"] += 1
                continue
            if comment.approved not in _STATUSES:
                outcome.counts["comments.skipped"] += 1
                continue
            wanted[comment.wp_id] = comment
        # Parents before children: depth = distance from the article, found by walking up.
        levels = {}

        def level(comment, seen=()):
            if comment.wp_id in levels:
                return levels[comment.wp_id]
            parent = wanted.get(comment.parent_id)
            if comment.parent_id and parent is None and comment.parent_id not in seen:
                outcome.warn(ORPHAN, [comment.wp_id])
            value = 1 if parent is None or comment.wp_id in seen else level(parent, seen + (comment.wp_id,)) + 1
            levels[comment.wp_id] = value
            return value

        ordered = sorted(wanted.values(), key=lambda comment: (level(comment), comment.wp_id))
        rows = {}  # wp id → Comment (new or existing)
        created, updated, pairs, prints = [], [], [], {}
        for comment in ordered:
            fingerprint = self._fingerprint(comment)
            key = str(comment.wp_id)
            if key in known:
                row = existing.get(int(known[key]))
                if row is None:
                    outcome.counts["comments.deleted_in_minbar"] += 1
                    if outcome.counts["comments.deleted_in_minbar"] == 1:
                        outcome.warn(DELETED_IN_MINBAR, [comment.wp_id])
                    continue
                rows[comment.wp_id] = row
                if fingerprints.get(key) == fingerprint:
                    outcome.counts["comments.unchanged"] += 1
                    continue
                self._fill(row, comment, article_id, rows, questions, outcome, levels)
                updated.append(row)
                prints[comment.wp_id] = fingerprint
                pairs.append((comment.wp_id, row.pk))
                continue
            row = Comment(article_id=article_id)
            self._fill(row, comment, article_id, rows, questions, outcome, levels)
            rows[comment.wp_id] = row
            created.append((comment, row))
            prints[comment.wp_id] = fingerprint
        # Created level by level: a reply's parent must have its primary key first.
        for depth in sorted({row.depth for _, row in created}):
            batch = [(comment, row) for comment, row in created if row.depth == depth]
            for comment, row in batch:
                if row.parent is not None:
                    row.parent_id = row.parent.pk
            Comment.objects.bulk_create([row for _, row in batch], batch_size=500)
            pairs += [(comment.wp_id, row.pk) for comment, row in batch]
        if updated:
            Comment.objects.bulk_update(
                updated,
                ["parent", "depth", "author_name", "author_email", "author_url", "body", "status", "created_at",
                 "upvotes", "downvotes", "question", "quote", "quote_prefix", "quote_suffix", "quote_position",
                 "ip_hash"],
                batch_size=500,
            )
        remember(self.source, "comment", pairs, {wp_id: prints.get(int(wp_id), "") for wp_id, _ in pairs})
        for comment, row in created:
            outcome.counts["comments.created"] += 1
            outcome.counts[f"comments.{row.status}"] += 1
            if row.parent_id:
                outcome.counts["comments.replies"] += 1
            if row.upvotes or row.downvotes:
                outcome.counts["votes.imported"] += 1
            if row.question_id:
                outcome.counts["comments.answers"] += 1
        outcome.counts["comments.updated"] += len(updated)

    def _fill(self, row, comment, article_id, rows, questions, outcome, levels):
        parent = rows.get(comment.parent_id) if comment.parent_id else None
        # Deeper than Minbar shows: hang it on the ancestor at the deepest shown level.
        while parent is not None and parent.depth >= self.max_depth:
            parent = parent.parent
        row.parent = parent
        row.depth = parent.depth + 1 if parent is not None else 1
        name = clean_name(comment.author)[:NAME_LIMIT].strip()
        row.author_name = name or pgettext("name of a commenter who gave none", "Anonymous")
        row.author_email = self._email(comment.author_email)
        row.author_url = self._url(comment.author_url)
        row.body = comment_text(comment.content)
        row.status = _STATUSES[comment.approved]
        row.language = self.language
        moment = comment.date_gmt.replace(tzinfo=dt_timezone.utc) if comment.date_gmt else None
        if moment is None and comment.date is not None:
            moment = timezone.make_aware(comment.date)
        row.created_at = moment or timezone.now()
        network = network_of(comment.author_ip)
        row.ip_hash = hash_value("ip", network) if network else ""
        row.upvotes, row.downvotes = self._votes(comment, outcome)
        row.question = None
        feedback = (comment.meta_value("wpdiscuz_feedback_form_id") or "").strip()
        if feedback:
            from .content import passage_key

            question = questions.get((article_id, passage_key(feedback)))
            if question is None:
                outcome.warn(NO_QUESTION, [comment.wp_id])
            else:
                row.question = question
                row.quote, row.quote_prefix = question.quote, question.quote_prefix
                row.quote_suffix, row.quote_position = question.quote_suffix, question.quote_position

    @staticmethod
    def _email(value):
        value = (value or "").strip()
        if not value or len(value) > EMAIL_LIMIT or any(char in value for char in "\r\n"):
            return ""
        try:
            EmailValidator()(value)
        except ValidationError:
            return ""
        return value

    @staticmethod
    def _url(value):
        value = (value or "").strip()
        if not value.lower().startswith(("http://", "https://")) or len(value) > URL_LIMIT:
            return ""
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            return ""
        return value

    @staticmethod
    def _votes(comment, outcome):
        from .wxr import php_value

        separate = php_value(comment.meta_value("wpdiscuz_votes_seperate") or "")
        if isinstance(separate, dict) and ("like" in separate or "dislike" in separate):
            up, down = _whole(separate.get("like", 0)), _whole(separate.get("dislike", 0))
            if up is not None and down is not None and up >= 0 and down >= 0:
                return up, down
            outcome.warn(BAD_VOTES, [comment.wp_id])
            return 0, 0
        raw = comment.meta_value("wpdiscuz_votes")
        if raw is None or not str(raw).strip():
            return 0, 0
        net = _whole(raw)
        if net is None:
            outcome.warn(BAD_VOTES, [comment.wp_id])
            return 0, 0
        return max(net, 0), max(-net, 0)

    @staticmethod
    def _fingerprint(comment):
        values = [comment.author, comment.author_email, comment.author_url, comment.content, comment.approved,
                  comment.parent_id, str(comment.date_gmt or comment.date), list(comment.meta)]
        return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()

    # --- ratings -------------------------------------------------------------------

    def _ratings(self, batch, outcome):
        rated = {}
        for item, article_id in batch:
            average, count = item.meta_value("wpdiscuz_post_rating"), item.meta_value("wpdiscuz_post_rating_count")
            if average is None and count is None:
                continue
            try:
                average = float(str(average).strip())
                count = int(str(count).strip())
            except (TypeError, ValueError):
                outcome.warn(BAD_RATING, [item.wp_id])
                continue
            if count == 0:
                continue
            if not (1 <= average <= HIGHEST_SCORE) or count < 0:
                outcome.warn(BAD_RATING, [item.wp_id])
                continue
            rated[article_id] = (count, round(average * count))
        if not rated:
            return
        imported = dict(
            WordPressObject.objects.filter(
                source=self.source, kind="rating", wp_id__in=[str(pk) for pk in rated]
            ).values_list("wp_id", "fingerprint")
        )
        summaries = RatingSummary.objects.in_bulk(list(rated))
        for article_id, (count, total) in rated.items():
            before = imported.get(str(article_id), "0:0").split(":")
            old_count, old_total = int(before[0]), int(before[1])
            summary = summaries.get(article_id)
            if summary is None:
                RatingSummary.objects.create(article_id=article_id, count=count, total=total)
            elif (old_count, old_total) == (count, total):
                continue
            else:
                # Only the difference: ratings readers gave on Minbar since the last import stay.
                RatingSummary.objects.filter(pk=article_id).update(
                    count=F("count") + count - old_count, total=F("total") + total - old_total
                )
            outcome.counts["ratings.imported"] += 1
        remember(self.source, "rating", [(pk, pk) for pk in rated], {pk: f"{c}:{t}" for pk, (c, t) in rated.items()})

"""Each screening rule: what a reader is told when refused, and why an editor sees a comment held."""

import datetime
import time

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from minbar.comments.models import CommentStatus
from minbar.moderation.forms import form_timestamp
from minbar.moderation.models import BlockRule
from minbar.moderation.services import Reason, screen, seconds_since
from minbar.readers.identity import Reader

from .conftest import make_comment, moderator, network_hash

pytestmark = pytest.mark.django_db


def test_a_comment_that_breaks_no_rule_is_published(submit):
    screening = screen(submit())
    assert not screening.refused
    assert screening.status == CommentStatus.APPROVED
    assert screening.note == "" and screening.reasons == []


def test_a_filled_honeypot_is_refused_with_a_message_that_gives_nothing_away(submit):
    with translation.override("en"):
        screening = screen(submit(honeypot="http://spam.example"))
    assert screening.refused and screening.reasons == [Reason.HONEYPOT]
    assert screening.message == "Your comment could not be sent. Please try again."


@pytest.mark.parametrize("seconds", [None, 0.0, 2.9])
def test_a_form_sent_too_soon_or_without_a_valid_timestamp_is_refused(submit, seconds):
    screening = screen(submit(seconds_on_form=seconds))
    assert screening.refused and screening.reasons == [Reason.TOO_FAST]
    assert screening.message


def test_an_old_timestamp_from_a_cached_page_is_fine(submit):
    shown_yesterday = seconds_since(form_timestamp(now=time.time() - 26 * 3600))
    assert shown_yesterday > 26 * 3600 - 5
    assert not screen(submit(seconds_on_form=shown_yesterday)).refused


def test_the_form_timestamp_is_the_same_for_everyone_and_cannot_be_forged():
    now = time.time()
    assert form_timestamp(now=now) == form_timestamp(now=now)
    stamp = form_timestamp(now=now - 10)
    assert 9 <= seconds_since(stamp) <= 12
    forged = stamp.replace(stamp.split(":")[0], "MTcwMDAwMDAwMA")
    assert seconds_since(forged) is None
    assert seconds_since("") is None and seconds_since(None) is None and seconds_since("x" * 500) is None


def test_a_timestamp_from_the_future_counts_as_just_sent():
    assert seconds_since(form_timestamp(now=time.time() + 600)) == 0.0


def test_the_minimum_time_is_the_editors_setting(submit, discussion):
    discussion.min_seconds_to_submit = 20
    discussion.save()
    assert screen(submit(seconds_on_form=15.0)).refused
    discussion.min_seconds_to_submit = 0
    discussion.save()
    assert not screen(submit(seconds_on_form=None)).refused


def test_a_blocked_address_is_refused(submit):
    BlockRule.objects.create(kind="email", value="Spammer@Example.org")
    screening = screen(submit(author_email="spammer@example.org"))
    assert screening.refused and screening.reasons == [Reason.BLOCKED_SENDER]
    assert not screen(submit(author_email="salma@example.org")).refused


def test_a_blocked_domain_refuses_every_address_in_it_and_its_subdomains(submit):
    BlockRule.objects.create(kind="email", value="@spam.example")
    assert screen(submit(author_email="a@spam.example")).refused
    assert screen(submit(author_email="b@mail.spam.example", body="نص آخر")).refused
    assert not screen(submit(author_email="c@notspam.example", body="نص ثالث")).refused


def test_a_blocked_network_is_refused_whatever_the_address(submit):
    BlockRule.objects.create(kind="ip_hash", value="198.51.100.23")
    blocked_reader = Reader(token="", ip_hash=network_hash("198.51.100.23"))
    screening = screen(submit(reader=blocked_reader, author_email="new@example.org"))
    assert screening.refused and screening.reasons == [Reason.BLOCKED_SENDER]


def test_a_blocked_network_hash_copied_from_the_queue_works_too(submit):
    BlockRule.objects.create(kind="ip_hash", value=network_hash().upper())
    assert screen(submit()).refused


def test_the_sixth_comment_in_a_minute_from_one_network_is_refused(submit):
    for number in range(5):
        assert not screen(submit(body=f"تعليق رقم {number}", author_email=f"r{number}@example.org")).refused
    screening = screen(submit(body="تعليق سادس", author_email="r6@example.org"))
    assert screening.refused and screening.reasons == [Reason.RATE_LIMIT]
    other_network = Reader(token="", ip_hash=network_hash("192.0.2.50"))
    assert not screen(submit(body="تعليق من شبكة أخرى", reader=other_network)).refused


def test_the_eleventh_comment_in_an_hour_from_one_address_is_refused(submit):
    for number in range(10):
        reader = Reader(token="", ip_hash=network_hash(f"192.0.2.{number}"))
        assert not screen(submit(body=f"تعليق رقم {number}", reader=reader)).refused
    screening = screen(submit(body="التعليق الحادي عشر", reader=Reader(token="", ip_hash=network_hash("192.0.2.99"))))
    assert screening.refused and screening.reasons == [Reason.RATE_LIMIT]


def test_the_same_text_again_by_the_same_address_is_refused_as_a_duplicate(submit, article):
    make_comment(article, author_email="salma@example.org", ip_hash=network_hash("192.0.2.1"))
    screening = screen(submit())
    assert screening.refused and screening.reasons == [Reason.DUPLICATE]


def test_the_same_text_again_from_the_same_network_is_a_duplicate_whatever_the_name(submit, article):
    make_comment(article, author_email="other@example.org")
    assert screen(submit(author_name="اسم آخر", author_email="new@example.org")).reasons == [Reason.DUPLICATE]


def test_the_same_text_long_ago_or_by_someone_else_is_no_duplicate(submit, article):
    make_comment(article)
    stranger = Reader(token="", ip_hash=network_hash("192.0.2.77"))
    assert not screen(submit(reader=stranger, author_email="stranger@example.org")).refused
    old = make_comment(article, author_email="salma@example.org", body="تعليق قديم")
    old.created_at = timezone.now() - datetime.timedelta(days=2)
    old.save()
    assert not screen(submit(body="تعليق قديم", reader=stranger)).refused


def test_a_deleted_comment_may_be_posted_again(submit, article):
    make_comment(article, status=CommentStatus.DELETED, author_email="salma@example.org")
    assert not screen(submit()).refused


def test_a_blocked_word_holds_the_comment_whatever_its_spelling(submit):
    BlockRule.objects.create(kind="word", value="أحمق")
    screening = screen(submit(body="الكاتب احمَقُ ولا يفهم شيئاً"))
    assert not screening.refused
    assert screening.status == CommentStatus.PENDING
    assert screening.reasons == [Reason.BLOCKED_WORD]
    assert "احمق" in screening.note


def test_a_blocked_word_matches_whole_words_only(submit):
    BlockRule.objects.create(kind="word", value="سم")
    assert screen(submit(body="زرت السوق في موسم الربيع")).status == CommentStatus.APPROVED


def test_a_blocked_phrase_in_the_name_holds_the_comment(submit):
    BlockRule.objects.create(kind="word", value="ربح سريع")
    screening = screen(submit(author_name="ربح سريع اليوم"))
    assert screening.status == CommentStatus.PENDING and screening.reasons == [Reason.BLOCKED_WORD]


@pytest.mark.parametrize(
    "text",
    [
        "زوروا https://shop.spam.example/offer الآن",
        "زوروا www.SPAM.example",
        "زوروا spam.example للعروض",
    ],
)
def test_a_blocked_domain_holds_the_comment(submit, text):
    BlockRule.objects.create(kind="link", value="https://www.spam.example/path")
    screening = screen(submit(body=text))
    assert screening.status == CommentStatus.PENDING and screening.reasons == [Reason.BLOCKED_LINK]
    assert "spam.example" in screening.note


def test_a_domain_that_only_ends_like_a_blocked_one_is_not_held(submit):
    BlockRule.objects.create(kind="link", value="spam.example")
    assert screen(submit(body="راجعوا https://notspam.example")).status == CommentStatus.APPROVED


def test_a_blocked_domain_as_the_website_holds_the_comment(submit):
    BlockRule.objects.create(kind="link", value="spam.example")
    assert screen(submit(author_url="https://spam.example")).reasons == [Reason.BLOCKED_LINK]


def test_more_links_than_allowed_hold_the_comment(submit, discussion):
    two = "المصادر: https://a.example و https://b.example"
    assert screen(submit(body=two)).status == CommentStatus.APPROVED
    three = two + " و www.c.example"
    screening = screen(submit(body=three))
    assert screening.status == CommentStatus.PENDING and screening.reasons == [Reason.TOO_MANY_LINKS]
    assert "3" in screening.note


def test_hold_all_on_the_site_holds_every_comment(submit, discussion):
    discussion.moderation = "all"
    discussion.save()
    screening = screen(submit())
    assert screening.status == CommentStatus.PENDING and screening.reasons == [Reason.HOLD_ALL]


def test_the_article_policy_wins_over_the_site_policy(submit, discussion, article):
    discussion.moderation = "all"
    discussion.save()
    article.comment_moderation = "none"
    assert screen(submit(article=article, body="الأول")).status == CommentStatus.APPROVED
    discussion.moderation = "none"
    discussion.save()
    article.comment_moderation = "all"
    assert screen(submit(article=article, body="الثاني")).status == CommentStatus.PENDING


def test_hold_first_time_holds_until_an_editor_approved_one_comment_by_that_address(submit, discussion, article):
    discussion.moderation = "first"
    discussion.save()
    screening = screen(submit(body="الأول"))
    assert screening.status == CommentStatus.PENDING and screening.reasons == [Reason.FIRST_TIME]
    make_comment(article, status=CommentStatus.PENDING, author_email="salma@example.org", body="قيد المراجعة")
    assert screen(submit(body="الثاني")).status == CommentStatus.PENDING
    make_comment(article, author_email="SALMA@example.org", body="تعليق نشره المحرر")
    assert screen(submit(body="الثالث")).status == CommentStatus.APPROVED


def test_hold_first_time_knows_a_signed_in_reader_by_their_account(submit, discussion, article, django_user_model):
    discussion.moderation = "first"
    discussion.save()
    reader = django_user_model.objects.create_user("karwan", "karwan@example.org", "pw")
    assert screen(submit(user=reader, author_email="", body="الأول")).reasons == [Reason.FIRST_TIME]
    make_comment(article, user=reader, author_email="", body="تعليق سابق")
    assert screen(submit(user=reader, author_email="", body="الثاني")).status == CommentStatus.APPROVED


def test_a_moderator_is_never_held(submit, discussion, django_user_model):
    discussion.moderation = "all"
    discussion.save()
    BlockRule.objects.create(kind="word", value="أحمق")
    editor = moderator(django_user_model, group="Editors")
    screening = screen(submit(user=editor, body="ردّ المحرر على تعليق أحمق"))
    assert screening.status == CommentStatus.APPROVED and not screening.refused


def test_notes_are_in_the_site_language_whatever_the_readers(submit, discussion):
    discussion.moderation = "all"
    discussion.save()
    with translation.override("en"):
        screening = screen(submit())
    with translation.override("ar"):
        assert screening.note == gettext("Every comment here waits for review.")


def test_reasons_add_up_in_one_note(submit, discussion):
    discussion.moderation = "all"
    discussion.save()
    BlockRule.objects.create(kind="word", value="مال")
    screening = screen(submit(body="مال سهل https://a.example https://b.example https://c.example"))
    assert screening.reasons == [Reason.BLOCKED_WORD, Reason.TOO_MANY_LINKS, Reason.HOLD_ALL]
    assert len(screening.note) <= 200


def test_the_site_may_set_its_own_rate_limits(submit, settings):
    settings.MINBAR_COMMENT_RATE_LIMITS = {"network": [(1, 60)], "address": []}
    assert not screen(submit(body="الأول")).refused
    assert screen(submit(body="الثاني", author_email="other@example.org")).reasons == [Reason.RATE_LIMIT]


def test_the_same_comment_sent_twice_in_a_row_is_stored_once(submit):
    """A double click: the second copy arrives before the first is stored."""
    assert not screen(submit()).refused
    assert screen(submit()).reasons == [Reason.DUPLICATE]
    assert screen(submit(author_email="other@example.org")).reasons == [Reason.DUPLICATE]  # same network


def test_a_claim_lapses_after_a_while_and_the_comments_table_decides(submit, article):
    from minbar.moderation.models import SubmissionClaim

    assert not screen(submit()).refused
    SubmissionClaim.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    # No comment was stored (the post failed after screening): the reader may send it again.
    assert not screen(submit()).refused
    assert SubmissionClaim.objects.count() == 2  # e-mail and network, taken over, not piled up

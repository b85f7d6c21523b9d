"""A comment's author deletes it while other readers reply to it: no reply is lost, none fails with an error."""

import pytest
from django.utils import translation

from minbar.comments.models import Comment, CommentStatus
from minbar.newsroom.models import ArticlePage
from tests.factories import make_article, make_section

from .support import Reader, all_at_once, comment_fields, network, send

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 6
REPLIES = 6


@pytest.fixture
def open_article(shared_database):
    article = make_article(make_section(title="رأي"), title="من يدفع ثمن الزحام؟")
    ArticlePage.objects.filter(pk=article.pk).update(comment_moderation="none")
    return ArticlePage.objects.get(pk=article.pk)


def test_replies_racing_the_deletion_of_their_comment_are_kept_or_refused(open_article, site_server):
    article = open_article
    post_url = f"/comments/article/{article.pk}/"
    outcomes = []
    with translation.override("ar"):
        gone = translation.gettext("The comment you are replying to is no longer available.")
    for round_number in range(ROUNDS):
        author = Reader(ip=network(500 + round_number * (REPLIES + 1)))
        posted = send(site_server, post_url, comment_fields(1000 + round_number), reader=author)
        assert posted.status == 201, posted.text[:300]
        parent_id, token = posted.data["comment"], posted.data["edit_token"]
        repliers = [Reader(ip=network(501 + round_number * (REPLIES + 1) + number)) for number in range(REPLIES)]

        def delete():
            return send(site_server, f"/comments/{parent_id}/edit/", {"token": token, "action": "delete"}, reader=author)

        def reply(number, parent_id=parent_id, repliers=repliers):
            fields = comment_fields(2000 + round_number * REPLIES + number, parent=parent_id)
            return send(site_server, post_url, fields, reader=repliers[number])

        jobs = [delete] + [lambda number=number: reply(number) for number in range(REPLIES)]
        deleted, *replies = all_at_once(jobs)
        accepted = [answer.data["comment"] for answer in replies if answer.status == 201]
        outcomes.append(
            {
                "delete": deleted.status,
                # Refused (400 when the parent was gone before the form was read, 403 after) or accepted.
                "reply errors": sorted({answer.status for answer in replies} - {201, 400, 403}),
                "refusals": {answer.data["message"] for answer in replies if answer.status in (400, 403)},
                "accepted replies lost": [pk for pk in accepted if not Comment.objects.filter(pk=pk).exists()],
                # A parent with replies stays as a placeholder; without any, it is gone.
                "parent kept as placeholder": Comment.objects.filter(pk=parent_id, status=CommentStatus.DELETED).exists(),
                "has accepted replies": bool(accepted),
            }
        )

    for outcome in outcomes:
        assert outcome["delete"] == 200
        assert outcome["reply errors"] == [], "a reply failed with an error"
        assert outcome["refusals"] <= {gone}
        assert outcome["accepted replies lost"] == []
        assert outcome["parent kept as placeholder"] == outcome["has accepted replies"]

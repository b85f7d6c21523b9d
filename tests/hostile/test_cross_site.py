"""Posts from other sites: every discussion POST endpoint refuses them (403, translated) without a CSRF
token in the page, except the RFC 8058 one-click unsubscribe, which must take them."""

import pytest
from django.core import mail as django_mail
from django.test import Client

from minbar.comments.services import edit_token_for
from minbar.subscriptions import mydata
from minbar.subscriptions.models import Subscription, SubscriptionKind
from minbar.subscriptions.services import confirm_token, subscribe, unsubscribe_token

from .conftest import comment_form, shown, snapshot, stored

pytestmark = pytest.mark.django_db

FORBIDDEN = "This form can only be sent from a page of this site. Go back to the article and send it again."

CROSS_SITE = {
    "no origin at all": {},
    "foreign origin": {"HTTP_ORIGIN": "https://evil.example"},
    "origin null": {"HTTP_ORIGIN": "null"},
    "look-alike host": {"HTTP_ORIGIN": "http://testserver.evil.example"},
    "user-info trick": {"HTTP_ORIGIN": "http://testserver@evil.example"},
    "other scheme": {"HTTP_ORIGIN": "javascript://testserver"},
    "foreign referer": {"HTTP_REFERER": "https://evil.example/http://testserver/"},
    "sec-fetch cross-site": {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
    "sec-fetch same-site": {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://testserver"},
}


@pytest.fixture
def endpoints(article):
    """Every discussion POST endpoint with data it would accept from this site."""
    comment = stored(article=article)
    subscription = subscribe(email="nour@example.org", kind=SubscriptionKind.ARTICLE, article=article, language="ar")
    mydata_token = mydata.new_access_token("earlier@example.org")
    return {
        "comment": (f"/comments/article/{article.pk}/", comment_form(text="تعليق من موقع آخر")),
        "reply": (f"/comments/article/{article.pk}/", comment_form(text="رد من موقع آخر", parent=comment.pk)),
        "edit": (f"/comments/{comment.pk}/edit/", {"token": edit_token_for(comment), "text": "نص مزور"}),
        "delete": (f"/comments/{comment.pk}/edit/", {"token": edit_token_for(comment), "action": "delete"}),
        "vote": (f"/comments/{comment.pk}/vote/", {"value": "down"}),
        "rating": (f"/ratings/{article.pk}/", {"score": "1"}),
        "subscribe": ("/subscriptions/", {"email": "victim@example.org", "notify": "comments", "article": article.pk}),
        "confirm": (f"/subscriptions/confirm/{confirm_token(subscription)}/", {}),
        "cancel": (f"/subscriptions/cancel/{confirm_token(subscription)}/", {}),
        "my-data link": ("/subscriptions/mine/", {"email": "earlier@example.org"}),
        "my-data delete": (f"/subscriptions/mine/{mydata_token}/", {"action": "all"}),
    }


ENDPOINTS = ["comment", "reply", "edit", "delete", "vote", "rating", "subscribe", "confirm", "cancel",
             "my-data link", "my-data delete"]


@pytest.mark.parametrize("headers", CROSS_SITE.values(), ids=CROSS_SITE.keys())
def test_a_cross_site_post_is_refused_with_a_translated_403(client, endpoints, headers,
                                                            django_capture_on_commit_callbacks):
    before = (snapshot(), list(Subscription.objects.values_list("pk", "confirmed_at")))
    for name in ENDPOINTS:
        path, data = endpoints[name]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, data, **headers)
        assert response.status_code == 403, name
        assert shown(FORBIDDEN) in response.content.decode(), name
        assert (snapshot(), list(Subscription.objects.values_list("pk", "confirmed_at"))) == before, name
        assert django_mail.outbox == [], name
        assert not response.cookies, name


@pytest.mark.parametrize("name", ["comment", "vote", "rating", "subscribe"])
def test_the_refusal_is_in_english_under_en_and_in_kurdish_under_ckb(client, endpoints, name):
    path, data = endpoints[name]
    for language in ("en", "ckb"):
        response = client.post(f"/{language}{path}", data, HTTP_ORIGIN="https://evil.example")
        assert response.status_code == 403
        assert shown(FORBIDDEN, language) in response.content.decode()


def test_the_same_posts_from_this_site_are_taken(client, endpoints):
    # The check refuses by origin, not by endpoint: from the site itself each one goes through.
    for name in ("comment", "vote", "rating"):
        path, data = endpoints[name]
        assert client.post(path, data, HTTP_SEC_FETCH_SITE="same-origin").status_code in (201, 303), name


def test_one_click_unsubscribe_takes_a_cross_site_post_as_rfc_8058_requires(article, django_capture_on_commit_callbacks):
    subscription = subscribe(email="nour@example.org", kind=SubscriptionKind.ARTICLE, article=article, language="ar")
    Subscription.objects.filter(pk=subscription.pk).update(confirmed_at="2026-01-01T00:00:00Z")
    mail_client = Client()  # the mail provider's servers: no Origin of ours, no cookie, no token
    with django_capture_on_commit_callbacks(execute=True):
        response = mail_client.post(
            f"/subscriptions/unsubscribe/{unsubscribe_token(subscription)}/",
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
            HTTP_ORIGIN="https://mail.example",
            HTTP_SEC_FETCH_SITE="cross-site",
        )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("token", ["forged", "<script>alert(7331)</script>", "A" * 3000, "..%2F..%2Fadmin"])
def test_a_forged_unsubscribe_token_unsubscribes_no_one(article, token):
    subscription = subscribe(email="nour@example.org", kind=SubscriptionKind.ARTICLE, article=article, language="ar")
    response = Client().post(f"/subscriptions/unsubscribe/{token}/", "List-Unsubscribe=One-Click",
                             content_type="application/x-www-form-urlencoded", HTTP_ORIGIN="https://mail.example")
    assert response.status_code == 404
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_moderation_actions_in_the_admin_keep_djangos_csrf_check(article, django_user_model):
    held = stored(article=article, status="pending")
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "x"))
    response = editor.post(f"/admin/bulk/comments/comment/approve/?id={held.pk}", {}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.status == "pending"

"""Double opt-in: a confirmation first, nothing else before it, limits on how often."""

import pytest
from django.core import mail as django_mail

from minbar.subscriptions.models import OutgoingMail, Subscriber, Subscription, SubscriptionKind

from .conftest import JSON, link_to, outbox_to, publish_comment

pytestmark = pytest.mark.django_db


def test_subscribing_sends_one_confirmation_with_confirm_and_cancel_links(reader, article):
    response = reader.subscribe(article, "Huda@Example.org")

    assert response.status_code == 200
    assert "أرسلنا" in response.content.decode() or "sent you an e-mail" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    [message] = django_mail.outbox
    assert message.to == ["huda@example.org"]
    assert "/subscriptions/confirm/" in message.body and "/subscriptions/cancel/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "/subscriptions/confirm/" in html
    subscription = Subscription.objects.get()
    assert subscription.kind == SubscriptionKind.ARTICLE and not subscription.is_confirmed


def test_following_the_link_shows_a_button_and_only_the_button_confirms(reader, article):
    reader.subscribe(article, "huda@example.org")
    path = link_to(django_mail.outbox[0], "/confirm/")

    page = reader.get(path)
    assert page.status_code == 200 and "<form method=\"post\"" in page.content.decode()
    assert not Subscription.objects.get().is_confirmed  # a link scanner's GET confirms nothing

    done = reader.post(path)
    assert done.status_code == 200
    subscription = Subscription.objects.select_related("subscriber").get()
    assert subscription.is_confirmed and subscription.subscriber.is_confirmed
    assert article.title in done.content.decode()


def test_nothing_but_the_confirmation_reaches_an_unconfirmed_address(reader, article, django_capture_on_commit_callbacks):
    reader.subscribe(article, "waiting@example.org")
    django_mail.outbox.clear()

    publish_comment(article, name="سامر", email="samer@example.org", capture=django_capture_on_commit_callbacks)

    assert outbox_to("waiting@example.org") == []
    assert not OutgoingMail.objects.filter(address="waiting@example.org", kind="notify").exists()


def test_cancel_link_removes_the_request_and_the_address(reader, article):
    reader.subscribe(article, "notme@example.org")
    path = link_to(django_mail.outbox[0], "/cancel/")

    assert reader.get(path).status_code == 200
    assert Subscription.objects.exists()
    reader.post(path)

    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()
    assert not OutgoingMail.objects.filter(address="notme@example.org").exists()  # the address is forgotten


def test_asking_again_for_a_confirmed_subscription_sends_nothing(reader, article):
    reader.subscribe(article, "huda@example.org")
    reader.confirm("huda@example.org")
    django_mail.outbox.clear()

    response = reader.post("/subscriptions/", {"email": "huda@example.org", "notify": "comments", "article": article.pk}, **JSON)

    assert response.json()["ok"] is True and response.json()["status"] == "active"
    assert django_mail.outbox == []


def test_a_confirmed_address_confirms_each_new_subscription(reader, article, other_article):
    # Otherwise anyone knowing a confirmed address could sign it up for every article.
    reader.subscribe(article, "huda@example.org")
    reader.confirm("huda@example.org")
    django_mail.outbox.clear()

    reader.subscribe(other_article, "huda@example.org")

    [message] = django_mail.outbox
    assert "/confirm/" in message.body
    assert not Subscription.objects.get(article=other_article).is_confirmed


def test_confirmation_link_with_a_changed_token_is_refused(reader, article):
    reader.subscribe(article, "huda@example.org")
    path = link_to(django_mail.outbox[0], "/confirm/")
    forged = path.replace("/confirm/", "/confirm/x")

    assert reader.get(forged).status_code == 404
    assert reader.post(forged).status_code == 404
    assert not Subscription.objects.get().is_confirmed


def test_confirmations_are_limited_per_address(reader, article, other_article, settings):
    settings.MINBAR_SUBSCRIPTION_MAILS_PER_ADDRESS = 2
    reader.subscribe(article, "target@example.org")
    reader.subscribe(other_article, "target@example.org")

    third = reader.subscribe(article, "target@example.org", notify="replies")

    assert third.status_code == 429
    body = third.content.decode()
    assert "target@example.org" in body  # the form comes back with the address kept
    assert len(outbox_to("target@example.org")) == 2


def test_confirmations_are_limited_per_network(reader, article, settings):
    settings.MINBAR_SUBSCRIPTION_MAILS_PER_NETWORK = 3
    answers = [
        reader.post("/subscriptions/", {"email": f"victim{number}@example.org", "notify": "comments", "article": article.pk}, **JSON)
        for number in range(5)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
    assert answers[-1].json()["ok"] is False and answers[-1].json()["message"]
    assert len(django_mail.outbox) == 3


def test_invalid_address_keeps_the_form_and_explains(reader, article):
    response = reader.subscribe(article, "not an address")

    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="not an address"' in body and 'aria-invalid="true"' in body
    assert django_mail.outbox == [] and not Subscription.objects.exists()


def test_cross_site_subscription_is_refused(client, article):
    response = client.post(
        "/subscriptions/", {"email": "huda@example.org", "notify": "comments", "article": article.pk}, HTTP_ORIGIN="https://evil.example"
    )

    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_draft_article_cannot_be_followed(reader, db):
    from tests.factories import make_article, make_section

    draft = make_article(make_section(), title="مسودة", live=False)
    response = reader.subscribe(draft, "huda@example.org")

    assert response.status_code == 400 and django_mail.outbox == []


def test_confirmation_speaks_the_interface_language(reader, article):
    reader.post("/ckb/subscriptions/", {"email": "karwan@example.org", "notify": "comments", "article": article.pk})
    reader.post("/en/subscriptions/", {"email": "john@example.org", "notify": "comments", "article": article.pk})

    [kurdish] = outbox_to("karwan@example.org")
    [english] = outbox_to("john@example.org")
    assert "/ckb/subscriptions/confirm/" in kurdish.body
    assert "/en/subscriptions/confirm/" in english.body
    assert 'lang="ckb" dir="rtl"' in kurdish.alternatives[0][0]
    assert 'lang="en" dir="ltr"' in english.alternatives[0][0]
    assert english.subject == "Confirm your subscription"


def test_the_service_the_comment_form_calls(reader, article, django_capture_on_commit_callbacks, rf):
    from minbar.subscriptions.services import subscribe

    request = rf.post("/comments/")
    with django_capture_on_commit_callbacks(execute=True):
        first = subscribe(email="Sara@Example.org", kind="replies_to_me", article=article, language="ar", request=request)
    with django_capture_on_commit_callbacks(execute=True):
        again = subscribe(email="sara@example.org", kind="replies_to_me", article=article, language="ar", request=request)

    assert first is not None and again.pk == first.pk and not first.is_confirmed
    assert first.article is None  # site-wide: not tied to where the reader asked
    assert subscribe(email="bad\r\nBcc: x@example.org", kind="article", article=article, language="ar", request=request) is None
    assert len(outbox_to("sara@example.org")) == 2  # asked twice before confirming: the link is sent again


def test_a_strangers_request_does_not_change_the_language_of_a_confirmed_address(reader, article, other_article):
    reader.post("/en/subscriptions/", {"email": "john@example.org", "notify": "comments", "article": article.pk})
    reader.confirm("john@example.org")

    reader.post("/ckb/subscriptions/", {"email": "john@example.org", "notify": "comments", "article": other_article.pk})
    assert Subscriber.objects.get().language == "en"

    reader.confirm("john@example.org")  # the owner follows the Kurdish link: now they read Kurdish
    assert Subscriber.objects.get().language == "ckb"


def test_requests_never_confirmed_are_forgotten_after_the_link_expires(reader, article, other_article):
    from datetime import timedelta

    from django.utils import timezone

    reader.subscribe(article, "forgotten@example.org")
    Subscription.objects.update(created_at=timezone.now() - timedelta(days=4))

    reader.subscribe(other_article, "someone@example.org")

    assert not Subscriber.objects.filter(email="forgotten@example.org").exists()
    assert not OutgoingMail.objects.filter(address="forgotten@example.org").exists()
    assert Subscriber.objects.filter(email="someone@example.org").exists()


def test_a_failed_delivery_is_retried_later_by_the_worker(db, settings):
    from django_tasks_db.models import DBTaskResult

    from minbar.subscriptions.services import enqueue_delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(minutes=4)
    enqueue_delivery(12345, run_after=later)

    queued = DBTaskResult.objects.get()
    assert queued.run_after == later and queued.args_kwargs["args"] == [12345]


def test_an_unknown_language_falls_back_to_the_sites_default(article, rf, django_capture_on_commit_callbacks):
    from minbar.subscriptions.services import subscribe

    with django_capture_on_commit_callbacks(execute=True):
        subscribe(email="x@example.org", kind="article", article=article, language="../../etc", request=rf.post("/"))

    assert Subscriber.objects.get().language == "ar"
    assert "/subscriptions/confirm/" in django_mail.outbox[0].body

"""Spoofed forwarding headers: without a trusted proxy they change nothing; with one, only its entry counts."""

import pytest
from django.test import Client

from minbar.comments.models import Comment
from minbar.ratings.models import Rating
from minbar.readers.identity import hash_value

from .conftest import comment_form, SAME_ORIGIN, shown

pytestmark = pytest.mark.django_db

RATE_LIMITED = "You have sent many comments in a short time. Wait a while, then try again."


def spoofed(number):
    """A different made-up client address on each request, in every header a proxy might use."""
    fake = f"10.{number}.{number}.{number}"
    return {
        "HTTP_X_FORWARDED_FOR": f"{fake}, 192.0.2.{number}",
        "HTTP_X_REAL_IP": fake,
        "HTTP_FORWARDED": f"for={fake};proto=https",
        "HTTP_CLIENT_IP": fake,
        "HTTP_TRUE_CLIENT_IP": fake,
        "HTTP_CF_CONNECTING_IP": fake,
    }


def send_comment(client, article, number, **headers):
    data = comment_form(author_email=f"r{number}@example.org", text=f"تعليق رقم {number} عن الجسر")
    return client.post(f"/comments/article/{article.pk}/", data, **{**SAME_ORIGIN, **headers})


def test_without_a_trusted_proxy_spoofed_headers_do_not_escape_the_comment_limit(client, article, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = ""
    statuses = [
        send_comment(client, article, number, REMOTE_ADDR="203.0.113.50", **spoofed(number)).status_code
        for number in range(7)
    ]
    assert statuses == [303] * 5 + [403] * 2
    refused = send_comment(client, article, 99, REMOTE_ADDR="203.0.113.50", **spoofed(99))
    assert shown(RATE_LIMITED) in refused.content.decode()
    # Every comment is stored under the connection's own network.
    assert set(Comment.objects.values_list("ip_hash", flat=True)) == {hash_value("ip", "203.0.113.50")}
    assert Comment.objects.count() == 5


def test_without_a_trusted_proxy_spoofed_headers_do_not_stack_ratings(article, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = ""
    statuses = []
    for number in range(5):
        response = Client().post(f"/ratings/{article.pk}/", {"score": "5"}, REMOTE_ADDR="203.0.113.51",
                                 **SAME_ORIGIN, **spoofed(number))
        statuses.append(response.status_code)
    assert statuses == [303, 303, 303, 429, 429]
    assert Rating.objects.count() == 3


def test_with_a_trusted_proxy_only_the_entry_it_appended_counts(client, article, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.MINBAR_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    # The reader forges the left part of the header; the proxy appends the address it saw.
    statuses = [
        send_comment(client, article, number, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 198.51.100.9",
                     HTTP_X_REAL_IP=f"10.1.1.{number}", **proxy).status_code
        for number in range(6)
    ]
    assert statuses == [303] * 5 + [403]
    assert set(Comment.objects.values_list("ip_hash", flat=True)) == {hash_value("ip", "198.51.100.9")}
    # Another client behind the same proxy has its own limit.
    other = send_comment(client, article, 50, HTTP_X_FORWARDED_FOR="198.51.100.10", **proxy)
    assert other.status_code == 303
    assert Comment.objects.filter(ip_hash=hash_value("ip", "198.51.100.10")).count() == 1


@pytest.mark.parametrize("header", ["not-an-address", "<script>alert(7331)</script>", "1.2.3.4.5", "", " , ",
                                    "' OR 1=1 --", "::ffff:999.1.1.1", "A" * 5000])
def test_with_a_trusted_proxy_a_garbage_entry_falls_back_to_the_connection(client, article, settings, header):
    settings.MINBAR_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    response = send_comment(client, article, 1, HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 303
    assert Comment.objects.get().ip_hash == hash_value("ip", "192.0.2.77")


def test_ipv6_readers_cannot_escape_the_limit_by_hopping_inside_their_64(client, article, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = ""
    statuses = [
        send_comment(client, article, number, REMOTE_ADDR=f"2001:db8:1:2::{number + 1:x}").status_code
        for number in range(6)
    ]
    assert statuses == [303] * 5 + [403]

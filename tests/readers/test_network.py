"""The client address: the connection's, or a configured proxy's header; never a header anyone can write."""

import pytest
from django.test import RequestFactory

from minbar.readers.identity import ip_hash
from minbar.readers.network import client_ip, network_of


@pytest.fixture
def request_from():
    factory = RequestFactory()

    def build(remote_addr="198.51.100.10", **headers):
        return factory.post("/comments/", REMOTE_ADDR=remote_addr, **headers)

    return build


def test_without_a_trusted_header_the_connection_address_is_used(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = ""
    assert client_ip(request_from("198.51.100.10")) == "198.51.100.10"


def test_a_spoofed_forwarding_header_is_ignored_when_no_proxy_is_trusted(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = ""
    request = request_from("198.51.100.10", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_REAL_IP="5.6.7.8")
    assert client_ip(request) == "198.51.100.10"


def test_behind_a_trusted_proxy_its_right_most_entry_is_the_client(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.MINBAR_TRUSTED_PROXY_COUNT = 1
    # The reader wrote "1.2.3.4" themselves; our proxy appended their real address.
    request = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_behind_two_trusted_proxies_the_second_entry_from_the_right_is_the_client(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.MINBAR_TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 192.0.2.44")
    assert client_ip(request) == "203.0.113.9"


def test_another_configured_header_name_works_and_others_are_ignored(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = "X-Real-IP"
    request = request_from("10.0.0.2", HTTP_X_REAL_IP="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", "203.0.113.9:4711", "<script>", "1.2.3.4, "])
def test_a_missing_or_malformed_header_falls_back_to_the_connection(request_from, settings, forwarded):
    settings.MINBAR_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.MINBAR_TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    expected = "1.2.3.4" if forwarded == "1.2.3.4, " else "10.0.0.2"
    assert client_ip(request) == expected


def test_too_few_entries_for_the_proxy_chain_fall_back_to_the_connection(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.MINBAR_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.2"


def test_no_address_at_all_gives_an_empty_string(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = ""
    assert client_ip(request_from("")) == ""
    assert network_of("") == "" and network_of("nonsense") == ""


def test_an_ipv6_reader_is_one_network_across_their_whole_64():
    assert network_of("2001:db8:aa:bb:1:2:3:4") == "2001:db8:aa:bb::/64"
    assert network_of("2001:db8:aa:bb:ffff::9") == network_of("2001:db8:aa:bb::1")
    assert network_of("2001:db8:aa:bc::1") != network_of("2001:db8:aa:bb::1")


def test_an_ipv4_reader_is_one_host_and_a_mapped_address_is_the_same_host():
    assert network_of("203.0.113.9") == "203.0.113.9"
    assert network_of("203.0.113.10") != network_of("203.0.113.9")
    assert network_of("::ffff:203.0.113.9") == "203.0.113.9"


def test_the_network_hash_is_stable_keyed_and_never_the_address(request_from, settings):
    settings.MINBAR_TRUSTED_PROXY_HEADER = ""
    first = ip_hash(request_from("2001:db8:aa:bb::1"))
    assert first == ip_hash(request_from("2001:db8:aa:bb::2"))
    assert "2001" not in first and len(first) == 40
    settings.MINBAR_READER_HASH_KEY = "another key"
    assert ip_hash(request_from("2001:db8:aa:bb::1")) != first

"""The signed reader cookie: set only on responses to a reader's action, and never forgeable."""

import pytest
from django.core import signing
from django.http import HttpResponse
from django.test import RequestFactory

from minbar.readers.identity import READER_COOKIE_SALT, Reader, reader_for, remember

COOKIE = "minbar_reader"


@pytest.fixture
def factory():
    return RequestFactory()


def signed(token):
    return signing.get_cookie_signer(salt=READER_COOKIE_SALT).sign(token)


def test_a_reader_without_a_cookie_has_no_key_until_created(factory):
    reader = reader_for(factory.get("/"))
    assert reader.token == "" and reader.key == "" and not reader.is_new


def test_a_created_reader_gets_a_signed_httponly_lax_cookie(factory):
    reader = reader_for(factory.post("/comments/"), create=True)
    assert reader.is_new and len(reader.token) >= 16
    response = remember(HttpResponse(), reader, factory.post("/comments/", secure=True))
    morsel = response.cookies[COOKIE]
    assert morsel["httponly"] and morsel["samesite"] == "Lax" and morsel["secure"]
    assert morsel.value != reader.token and reader.token in morsel.value

    again = factory.post("/comments/")
    again.COOKIES[COOKIE] = morsel.value
    returning = reader_for(again, create=True)
    assert returning.token == reader.token and not returning.is_new
    assert returning.key == reader.key and len(reader.key) == 40


def test_a_known_reader_gets_no_new_cookie(factory):
    request = factory.post("/comments/")
    request.COOKIES[COOKIE] = signed("a" * 24)
    response = remember(HttpResponse(), reader_for(request, create=True), request)
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    "cookie",
    [
        "a" * 24,  # unsigned
        signed("a" * 24)[:-1] + "x",  # signature tampered
        signed("b" * 24).replace("b" * 24, "c" * 24),  # token swapped
        signing.get_cookie_signer(salt="another.purpose").sign("a" * 24),  # signed for something else
        signed("short"),  # too short to be ours
        signed("ü" * 20),  # not ASCII
        "x" * 500,  # oversized
    ],
)
def test_a_forged_or_foreign_cookie_is_not_a_reader(factory, cookie):
    request = factory.post("/comments/")
    request.COOKIES[COOKIE] = cookie
    assert reader_for(request).token == ""
    created = reader_for(request, create=True)
    assert created.is_new and created.token not in cookie


def test_the_reader_key_is_a_keyed_hash_of_the_token(settings):
    reader = Reader(token="a" * 24, ip_hash="")
    first = reader.key
    assert "a" * 24 not in first
    settings.MINBAR_READER_HASH_KEY = "rotated"
    assert Reader(token="a" * 24, ip_hash="").key != first

"""Tell readers apart without accounts and without storing their addresses.

Two signals, each weak alone:

* a reader cookie: a random token, signed so that it cannot be forged, set
  only on the response to something the reader did (a comment, a vote, a
  rating), never on a page, so pages stay cacheable and cookie-free;
* a salted hash of the client network (see network.network_of): readers
  behind one address share it, so it limits and blocks but never alone
  decides that two readers are one.

The raw address is never stored: only its keyed hash, which a leaked
database cannot turn back into addresses without the key.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from .network import client_ip, network_of

READER_COOKIE_SALT = "minbar.readers.cookie"
TOKEN_BYTES = 18


@dataclass(frozen=True)
class Reader:
    """Who is asking: `token` ("" for a reader we have not met) and `ip_hash`."""

    token: str
    ip_hash: str
    is_new: bool = False

    @property
    def key(self):
        """The stable key of this reader for one-per-reader rows (votes, ratings)."""
        return hash_value("reader", self.token) if self.token else ""


def hash_value(purpose, value):
    """A keyed hash of `value` for `purpose`; the same input gives the same hash on every process."""
    key = (settings.MINBAR_READER_HASH_KEY or settings.SECRET_KEY).encode()
    digest = hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def ip_hash(request):
    network = network_of(client_ip(request))
    return hash_value("ip", network) if network else ""


def _token_from_cookie(request):
    signed = request.COOKIES.get(settings.MINBAR_READER_COOKIE_NAME, "")
    if not signed or len(signed) > 200:
        return ""
    try:
        token = signing.get_cookie_signer(salt=READER_COOKIE_SALT).unsign(signed)
    except signing.BadSignature:
        return ""
    return token if token.isascii() and 16 <= len(token) <= 64 else ""


def reader_for(request, *, create=False):
    """The reader behind `request`; with `create`, a new token for a reader without a valid cookie.

    Call `remember(response, reader)` on the response when the reader is new.
    """
    token = _token_from_cookie(request)
    is_new = False
    if not token and create:
        token, is_new = secrets.token_urlsafe(TOKEN_BYTES), True
    return Reader(token=token, ip_hash=ip_hash(request), is_new=is_new)


def remember(response, reader, request=None):
    """Set the signed reader cookie on `response` (only for a newly created reader)."""
    if not reader.is_new:
        return response
    signed = signing.get_cookie_signer(salt=READER_COOKIE_SALT).sign(reader.token)
    response.set_cookie(
        settings.MINBAR_READER_COOKIE_NAME,
        signed,
        max_age=settings.MINBAR_READER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(request and request.is_secure()),
    )
    return response

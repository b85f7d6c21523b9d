"""Editors' blocks: the matching form of a blocked value, and what in a comment matches one.

Words are compared in minbar.arabic's matching form, so a block on "احمق"
also catches "أحمق" or "أحمقُ" spelled with tashkeel or a tatweel, and with
the article or a joined conjunction in front ("الأحمق", "والأحمق"); but only
as whole words (or a whole phrase), so blocking a short word does not catch
every longer word that contains it. Links are compared by domain, subdomains
included, whether or not the comment wrote the scheme. Networks are kept as
the keyed hash comments carry (readers.identity), never as addresses.
"""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from minbar.arabic.normalize import normalize
from minbar.readers.identity import hash_value
from minbar.readers.network import network_of

_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$")
_HASH = re.compile(r"^[0-9a-f]{40}$")
# What the comment page turns into a link, and so what max_links counts.
_LINK = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")


def _domain_of(value):
    value = value.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    host = re.split(r"[/?#:]", value, maxsplit=1)[0].rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not _DOMAIN.match(host):
        raise ValueError(_("Enter a domain such as spam.example."))
    return host


def _email_value(value):
    value = value.strip().lower()
    if value.startswith("@"):
        return "@" + _domain_of(value[1:])
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(_("Enter an e-mail address such as name@example.com, or @example.com for a whole domain."))
    return value


def _network_value(value):
    value = value.strip().lower()
    if _HASH.match(value):
        return value
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(_("Enter an IP address, or the network hash shown with a comment (40 characters)."))
    return hash_value("ip", network_of(str(address)))


def matching_value(kind, value):
    """`value` in the form comments are compared with; ValueError (translated) when it cannot match anything."""
    value = str(value or "")
    if kind == "word":
        words = normalize(value)
        if not words:
            raise ValueError(_("Enter a word or a phrase with letters or digits."))
        return words
    if kind == "link":
        return _domain_of(value)
    if kind == "email":
        return _email_value(value)
    if kind == "ip_hash":
        return _network_value(value)
    raise ValueError(_("Choose what kind of thing to block."))


def count_links(text):
    return len(_LINK.findall(text or ""))


# Written joined to the next word; a blocked word is found behind them.
# Longest first. Single letters other than و would make too many words
# match ("بسم" is not "سم").
_JOINED_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")


def _forms(word):
    forms = {word}
    for prefix in _JOINED_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            forms.add(word[len(prefix) :])
    return forms


def blocked_words(text, words):
    """The blocked `words` (matching forms) found in `text` as whole words or phrases."""
    text_forms = [_forms(word) for word in normalize(text or "").split()]
    every_form = set().union(*text_forms)
    found = []
    for blocked in words:
        phrase = blocked.split()
        if not set(phrase) <= every_form:
            continue
        last_start = len(text_forms) - len(phrase)
        if any(
            all(phrase[offset] in text_forms[start + offset] for offset in range(len(phrase)))
            for start in range(last_start + 1)
        ):
            found.append(blocked)
    return found


def blocked_domains(text, domains):
    """The blocked `domains` named in `text`, as a link or bare, subdomains included."""
    text = (text or "").lower()
    found = []
    for domain in domains:
        pattern = r"(?<![\w.-])(?:[\w-]+\.)*" + re.escape(domain) + r"(?![\w-]|\.[\w-])"
        if re.search(pattern, text):
            found.append(domain)
    return found


def is_blocked_email(address, rules):
    address = (address or "").strip().lower()
    if "@" not in address:
        return False
    domain = address.rsplit("@", 1)[1]
    for rule in rules:
        if rule.startswith("@"):
            if domain == rule[1:] or domain.endswith("." + rule[1:]):
                return True
        elif address == rule:
            return True
    return False

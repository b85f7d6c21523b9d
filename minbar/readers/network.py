"""The reader's IP address, as far as we can trust it.

A forwarding header (X-Forwarded-For, X-Real-IP …) is written by whoever sent
the request, so anyone can claim any address in it; wpDiscuz's rate limits
were dodged exactly that way. We read such a header only when the person who
runs the site says a proxy of theirs sets it (MINBAR_TRUSTED_PROXY_HEADER),
and then only the entry that proxy appended: the right-most one, or the
MINBAR_TRUSTED_PROXY_COUNT-th from the right behind a chain of proxies.
Anything that is not an IP address falls back to the connection's address.
"""

import ipaddress

from django.conf import settings


def _parse(value):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request):
    """The client's address as a string ("" when even the connection has none)."""
    peer = _parse(request.META.get("REMOTE_ADDR", "") or "")
    header = settings.MINBAR_TRUSTED_PROXY_HEADER
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        entries = [entry for entry in request.META.get(meta_key, "").split(",") if entry.strip()]
        depth = max(1, settings.MINBAR_TRUSTED_PROXY_COUNT)
        if len(entries) >= depth:
            forwarded = _parse(entries[-depth])
            if forwarded is not None:
                return str(forwarded)
    return str(peer) if peer is not None else ""


def network_of(ip):
    """The part of an address that names one subscriber.

    An IPv6 subscriber usually holds a whole /64 and can pick any address in
    it, so limits and blocks apply to the /64; an IPv4 address is one host.
    """
    address = _parse(ip or "")
    if address is None:
        return ""
    # Only IPv6 addresses have ipv4_mapped (::ffff:a.b.c.d is one IPv4 host).
    mapped = getattr(address, "ipv4_mapped", None)
    if address.version == 6 and mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(mapped or address)

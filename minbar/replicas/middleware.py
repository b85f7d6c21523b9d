"""Choose, for each request, whether it reads a replica, and pin a writer to the primary."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from . import router
from .state import RequestReads, current_reads

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Editors' pages: they show what was just saved, and are never cached.
EDITOR_PREFIXES = ("/admin/", "/django-admin/")
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE")


def may_read_replica(request):
    """Whether this request's reads may go to a replica: a reader's plain read, nothing else."""
    return not (
        request.method not in SAFE_METHODS
        or router.is_pinned(request)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or request.path_info.startswith(EDITOR_PREFIXES)
    )


class ReplicaReadsMiddleware:
    """Let a reader's request read one replica, chosen at random and kept for the whole request.

    The response to a request that wrote on the primary carries the pin
    cookie (value "1", HttpOnly, SameSite=Lax, Secure over HTTPS) for
    MINBAR_REPLICA_PIN_SECONDS: the writer's next requests read the primary
    and see what they wrote even if the replicas lag. Only requests other
    than GET/HEAD/OPTIONS can get it, so a reader's page never sets a cookie.
    Placed outside the page cache, so the cache can ask router.is_pinned()
    and wrap what it renders in router.use_primary().
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replicas = router.replica_aliases()
        if not replicas:
            return self.get_response(request)
        reads = RequestReads(replica=router.reachable_replica(replicas) if may_read_replica(request) else None)
        token = current_reads.set(reads)
        try:
            if request.method in SAFE_METHODS:
                response = self.get_response(request)
            else:
                with connections[DEFAULT_DB_ALIAS].execute_wrapper(_WriteWatcher(reads)):
                    response = self.get_response(request)
        finally:
            current_reads.reset(token)
        if reads.has_written:
            response.set_cookie(
                router.pin_cookie_name(),
                "1",
                max_age=router.pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response


class _WriteWatcher:
    """Note whether a request's statements on the primary change data (raw SQL included)."""

    def __init__(self, reads):
        self.reads = reads

    def __call__(self, execute, sql, params, many, context):
        if not self.reads.has_written and isinstance(sql, str) and sql.lstrip().upper().startswith(WRITE_STATEMENTS):
            self.reads.has_written = True
        return execute(sql, params, many, context)

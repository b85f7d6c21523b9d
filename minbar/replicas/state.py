"""Where the current request reads: kept in context variables.

Granian runs WSGI requests on threads; a context variable is private to the
thread's context, and the middleware resets it when the request ends, so a
thread never carries one request's choice into the next.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class RequestReads:
    """The read choice of one request that may use a replica."""

    # The replica alias this request reads from; None once the request must
    # read the primary (it wrote, or the replica could not be reached).
    replica: str | None
    # Whether the replica's connection was checked in this request.
    is_connection_checked: bool = False
    # Whether the request wrote on the primary; the response then pins the writer.
    has_written: bool = False


# None outside a request, and in requests when no replica is configured.
current_reads: ContextVar[RequestReads | None] = ContextVar("minbar_replica_reads", default=None)
# Set by router.use_primary() for the code inside it.
primary_forced: ContextVar[bool] = ContextVar("minbar_primary_forced", default=False)

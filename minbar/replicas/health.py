"""Whether each read replica answers, and how far behind the primary it is."""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, Error as DatabaseError, connections

from . import router


@dataclass
class ReplicaStatus:
    alias: str
    is_reachable: bool
    # False when the database answers but is not a standby: a URL that names the primary.
    is_standby: bool | None = None
    # Seconds since the last transaction the replica replayed (grows while the primary is idle).
    replay_age_seconds: float | None = None
    # Bytes of the primary's write-ahead log the replica has not replayed yet.
    bytes_behind: int | None = None
    error: str = ""


def replica_statuses():
    """The status of every configured replica (none when DATABASE_REPLICA_URLS is unset)."""
    return [replica_status(alias) for alias in router.replica_aliases()]


def replica_status(alias):
    connection = connections[alias]
    try:
        connection.ensure_connection()
        if connection.vendor != "postgresql":
            return ReplicaStatus(alias, is_reachable=True)
        # PostgreSQL's replication functions have no ORM form.
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_position = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(),"
                " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float,"
                " pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())::bigint",
                [primary_position],
            )
            is_standby, replay_age, behind = cursor.fetchone()
    except DatabaseError as error:
        return ReplicaStatus(alias, is_reachable=False, error=router.first_line(error))
    if not is_standby:
        return ReplicaStatus(alias, is_reachable=True, is_standby=False)
    return ReplicaStatus(alias, True, True, replay_age, max(behind or 0, 0))

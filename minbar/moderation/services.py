"""Decide what happens to a comment a reader sends: refused, held for an editor, or published.

Contract used by minbar.comments (the moderation helper fills in the rules):

    screening = screen(submission)

`submission` is a `Submission`; the result is a `Screening`: `refused` with a
translated `message` for the reader (honeypot filled, sent too fast, too many
links, duplicate, rate limit, blocked address…), otherwise `status` (a
CommentStatus: APPROVED or PENDING) and `note` (why it was held, for editors).
"""

from dataclasses import dataclass, field

from minbar.comments.models import CommentStatus


@dataclass(frozen=True)
class Submission:
    article: object
    author_name: str
    author_email: str
    author_url: str
    body: str
    reader: object  # minbar.readers.identity.Reader
    user: object = None  # a signed-in user, or None for a guest
    parent: object = None
    seconds_on_form: float | None = None  # None when the form carried no valid timestamp
    honeypot: str = ""


@dataclass(frozen=True)
class Screening:
    status: str = CommentStatus.APPROVED
    note: str = ""
    refused: bool = False
    message: str = ""
    reasons: list = field(default_factory=list)


def screen(submission):
    """Placeholder until moderation lands: publish everything."""
    return Screening(status=CommentStatus.APPROVED)

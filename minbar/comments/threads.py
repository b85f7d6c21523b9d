"""The comment section as readers see it: threads, orders, "show all", the passage filter.

One query reads every visible comment of the article; threads are built in
memory, so the section costs the same whatever its number of comments.
"""

from dataclasses import dataclass, field

from .models import Comment, CommentStatus

ORDERS = ("oldest", "newest", "votes")
DEFAULT_ORDER = "oldest"
FILTER_PASSAGES = "passages"


def order_from(value):
    return value if value in ORDERS else DEFAULT_ORDER


@dataclass
class Section:
    threads: list = field(default_factory=list)  # top-level comments shown, each with .children
    count: int = 0  # published comments (placeholders not counted)
    thread_count: int = 0  # top-level threads after the filter
    hidden_threads: int = 0  # threads left for "show all"
    order: str = DEFAULT_ORDER
    only_passages: bool = False
    show_all: bool = False
    comments: list = field(default_factory=list)  # every comment shown, flat


def _visible_comments(article):
    return list(
        Comment.objects.filter(article=article, status__in=(CommentStatus.APPROVED, CommentStatus.DELETED))
        .select_related("question")
        .defer("author_email", "ip_hash", "reader_key", "moderation_note", "language")
        .order_by("created_at", "pk")
    )


def _keep(comment):
    """Whether a comment shows: published, or a placeholder that still holds a published reply."""
    comment.children = [child for child in comment.children if _keep(child)]
    return comment.status == CommentStatus.APPROVED or bool(comment.children)


def _flatten(threads):
    for comment in threads:
        yield comment
        yield from _flatten(comment.children)


def build_section(article, *, order=DEFAULT_ORDER, show_all=False, only_passages=False, shown=20):
    comments = _visible_comments(article)
    by_id = {comment.pk: comment for comment in comments}
    roots = []
    for comment in comments:
        comment.children = []
        comment.is_placeholder = comment.status == CommentStatus.DELETED
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if comment.parent_id is None:
            roots.append(comment)
        elif parent is not None:
            parent.children.append(comment)
        # A reply whose parent is held or spam is not shown: its thread is not visible.
    roots = [root for root in roots if _keep(root)]
    count = sum(1 for comment in _flatten(roots) if comment.status == CommentStatus.APPROVED)
    if only_passages:
        roots = [root for root in roots if root.quote or root.question_id]
    order = order_from(order)
    if order == "newest":
        roots.reverse()
    elif order == "votes":
        roots.sort(key=lambda root: (-(root.upvotes - root.downvotes), root.created_at, root.pk))
    shown = max(1, shown)
    visible = roots if show_all else roots[:shown]
    return Section(
        threads=visible,
        count=count,
        thread_count=len(roots),
        hidden_threads=len(roots) - len(visible),
        order=order,
        only_passages=only_passages,
        show_all=show_all,
        comments=list(_flatten(visible)),
    )

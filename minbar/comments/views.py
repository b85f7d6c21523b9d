"""Reader actions on comments: post, reply, edit or delete one's own, vote.

Every action is a plain form POST that works without JavaScript (a 303 back
to the article, or a small uncached page); comments.js sends the same forms
with `Accept: application/json` and gets JSON. No view needs a CSRF token:
readers.guard.same_origin_post refuses cross-site posts instead.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minbar.core.templatetags.minbar import digits
from minbar.newsroom.models import ArticlePage
from minbar.readers.guard import same_origin_post
from minbar.readers.identity import reader_for, remember

from . import services, threads, votes
from .forms import BODY_MAX, CommentForm, EditForm
from .models import Comment, CommentStatus
from .templatetags.comments_tags import comment_body

VOTE_VALUES = {"up": 1, "down": -1, "none": 0}


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _private(response):
    """Pages made for one reader (results, edit forms) are never cached or shared."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    return response


_user = services.signed_in_user


def _article(article_id):
    article = ArticlePage.objects.live().public().filter(pk=article_id).first()
    if article is None:
        raise Http404(f"No published article with id {article_id}")
    return article


def _comment_url(request, comment, fragment=None):
    """The article, showing `comment`'s thread: a new address after each change, which the
    browser has not kept from an earlier visit (pages may be kept for a minute)."""
    fragment = fragment or f"comment-{comment.pk}"
    return f"{comment.article.get_url(request)}?comment={comment.pk}#{fragment}"


def _too_large(request):
    """Refuse a request body larger than Django would read, before reading it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _post_data(request):
    """The posted fields, or None when the body is too large or malformed to read."""
    if _too_large(request):
        return None
    try:
        return request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return None


def _refusal(request, article, message, *, form=None, parent=None, status=400):
    if _wants_json(request):
        errors = {name: [str(error) for error in errors] for name, errors in (form.errors.items() if form else [])}
        return _private(JsonResponse({"ok": False, "message": message, "errors": errors}, status=status))
    context = {"article": article, "form": form, "parent": parent, "message": message}
    return _private(TemplateResponse(request, "comments/form_page.html", context, status=status))


def _too_large_message():
    return _("Your comment is far too long: a comment can be at most %(limit)d characters.") % {"limit": BODY_MAX}


@require_POST
@same_origin_post
def post_comment(request, article_id):
    article = _article(article_id)
    data = _post_data(request)
    if data is None:
        return _refusal(request, article, _too_large_message(), status=413)
    user = _user(request)
    form = CommentForm(data, user=user)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], article=article).first()
        if parent is None:
            return _refusal(request, article, _("The comment you are replying to is no longer available."), form=form)
    if not form.is_valid():
        return _refusal(request, article, _("Your comment was not posted: please correct what is marked below."), form=form)
    data = form.cleaned_data
    reader = reader_for(request, create=True)
    outcome = services.post_comment(
        article,
        reader=reader,
        user=user,
        author_name=data["author_name"],
        author_email=data["author_email"],
        author_url=data["author_url"],
        body=data["text"],
        parent=parent,
        question_key=data["question"],
        quote=data["quote"],
        quote_prefix=data["quote_prefix"] if data["quote"] else "",
        quote_suffix=data["quote_suffix"] if data["quote"] else "",
        quote_position=data["quote_position"],
        seconds_on_form=form.seconds_on_form,
        honeypot=data["homepage"],
        notify_replies=data["notify_replies"],
        request=request,
    )
    if outcome.refused:
        return _refusal(request, article, outcome.message, form=form, parent=parent, status=403)
    comment = outcome.comment
    if _wants_json(request):
        payload = {
            "ok": True,
            "message": outcome.message,
            "comment": comment.pk,
            "parent": comment.parent_id,
            "published": outcome.is_published,
            "edit_token": outcome.edit_token,
            "edit_url": f"{_edit_url(comment)}?token={outcome.edit_token}",
            "edit_expires": int(services.token_expires_at(comment).timestamp() * 1000),
        }
        if outcome.is_published:
            comment.children, comment.is_placeholder = [], False
            payload["html"] = render_to_string("comments/comment.html", {"comment": comment}, request=request)
            payload["heading"] = _count_heading(request, article)
        response = JsonResponse(payload, status=201)
    else:
        response = HttpResponseRedirect(f"{_posted_url(comment)}?token={outcome.edit_token}", status=303)
    return _private(remember(response, reader, request))


def _count_heading(request, article):
    """The section's heading ("3 comments") as it now reads, for the script to put in place of the cached one."""
    count = threads.build_section(article).count
    shown = digits({"request": request}, count)
    return ngettext("%(shown)s comment", "%(shown)s comments", count) % {"shown": shown}


def _edit_url(comment):
    return reverse("comments:edit", args=[comment.pk])


def _posted_url(comment):
    return reverse("comments:posted", args=[comment.pk])


@require_GET
def posted(request, comment_id):
    """Where a reader without JavaScript lands after posting: the outcome and the edit link."""
    token = request.GET.get("token", "")
    comment = services.comment_for_token(token, comment_id)
    if comment is None:
        comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
        token = ""
    context = {
        "comment": comment,
        "article": comment.article,
        "token": token,
        "is_published": comment.status == CommentStatus.APPROVED,
        "comment_url": _comment_url(request, comment),
        "edit_minutes": services.edit_window_seconds() // 60,
    }
    return _private(TemplateResponse(request, "comments/posted.html", context))


@require_GET
def reply(request, comment_id):
    """The reply form for readers without JavaScript (the same for everyone: cacheable)."""
    parent = get_object_or_404(
        Comment.objects.select_related("article"), pk=comment_id, status=CommentStatus.APPROVED
    )
    article = _article(parent.article_id)
    parent.children, parent.is_placeholder = [], False
    context = {
        "article": article,
        "parent": parent,
        "is_closed": services.is_closed(article),
        "article_url": article.get_url(request),
    }
    return TemplateResponse(request, "comments/reply.html", context)


@require_http_methods(["GET", "POST"])
@same_origin_post
def edit(request, comment_id):
    """Edit or delete one's own comment within the edit window, proven by the signed token from posting."""
    data = _post_data(request) if request.method == "POST" else request.GET
    if data is None:
        data = {}
    token = data.get("token", "")
    comment = services.comment_for_token(token, comment_id)
    if comment is None:
        message = _("This comment can no longer be changed: the time to edit it has passed, or the link is not valid.")
        if _wants_json(request):
            return _private(JsonResponse({"ok": False, "message": message}, status=403))
        context = {"message": message, "comment": None}
        return _private(TemplateResponse(request, "comments/edit.html", context, status=403))
    article_url = comment.article.get_url(request)
    if request.method == "POST" and data.get("action") == "delete":
        article_id = comment.article_id
        services.delete_comment(comment)
        message = _("Your comment is deleted.")
        if _wants_json(request):
            return _private(JsonResponse({"ok": True, "message": message, "deleted": True}))
        return _private(HttpResponseRedirect(f"{article_url}?comment={comment_id}#comments", status=303))
    form = EditForm(data if request.method == "POST" else None, initial={"text": comment.body})
    if request.method == "POST" and form.is_valid():
        outcome = services.edit_comment(comment, form.cleaned_data["text"], reader=reader_for(request))
        if not outcome.refused:
            if _wants_json(request):
                html = ""
                if comment.status == CommentStatus.APPROVED:
                    html = str(comment_body(comment.body))
                return _private(JsonResponse({"ok": True, "message": outcome.message, "body_html": html}))
            return _private(HttpResponseRedirect(_comment_url(request, comment), status=303))
        form.add_error(None, outcome.message)
    if request.method == "POST" and _wants_json(request):
        errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        message = " ".join(form.non_field_errors()) or _("Your comment was not changed: please correct what is marked.")
        return _private(JsonResponse({"ok": False, "message": message, "errors": errors}, status=400))
    context = {
        "comment": comment,
        "form": form,
        "token": token,
        "article": comment.article,
        "article_url": article_url,
        "expires_at": services.token_expires_at(comment),
    }
    return _private(TemplateResponse(request, "comments/edit.html", context, status=400 if form.errors else 200))


@require_POST
@same_origin_post
def vote(request, comment_id):
    data = _post_data(request) or {}
    value = VOTE_VALUES.get(data.get("value", ""))
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    if value is None:
        outcome = votes.VoteOutcome(ok=False, message=_("Choose a vote: up or down."))
        reader = None
    else:
        reader = reader_for(request, create=True)
        outcome = votes.cast_vote(comment.pk, reader, value, user=_user(request))
    if _wants_json(request):
        response = JsonResponse(
            {
                "ok": outcome.ok,
                "message": outcome.message,
                "value": outcome.value,
                "score": outcome.score,
                "upvotes": outcome.upvotes,
                "downvotes": outcome.downvotes,
            },
            status=200 if outcome.ok else 403,
        )
    elif outcome.ok:
        response = HttpResponseRedirect(_comment_url(request, comment), status=303)
    else:
        context = {"message": outcome.message, "comment_url": _comment_url(request, comment)}
        response = TemplateResponse(request, "comments/vote_refused.html", context, status=403)
    if reader is not None and outcome.ok:
        remember(response, reader, request)
    return _private(response)

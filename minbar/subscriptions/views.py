"""Reader pages of subscriptions. Every answer is private and never cached.

Each action works without JavaScript (a form, then a small result page);
the notify-me form also answers `Accept: application/json` with
{ok, message, errors?} for subscriptions.js.

Links from e-mails carry their token in the path, so these pages send no
Referer (a token must not leak to another site a reader follows a link to).
"""

from functools import wraps

from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from minbar.readers.guard import same_origin_post

from . import mail, mydata, services
from .forms import AccessForm, SubscribeForm
from .models import SubscriptionKind


def private(view):
    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _page(request, template, context, status=200):
    return TemplateResponse(request, f"subscriptions/{template}.html", context, status=status)


def _live_article(article_id):
    from minbar.newsroom.models import ArticlePage

    return ArticlePage.objects.live().public().filter(pk=article_id).first()


def _comment_on(article, comment_id):
    from minbar.comments.models import Comment, CommentStatus

    if not comment_id:
        return None
    return Comment.objects.filter(pk=comment_id, article=article, status=CommentStatus.APPROVED).first()


@private
@same_origin_post
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The notify-me form: queue a confirmation, or say why not.

    A GET (the "follow replies" link under a comment) shows the form for
    that comment's replies; it changes nothing.
    """
    if request.method != "POST":
        return _follow_comment_form(request)
    form = SubscribeForm(request.POST)
    article = comment = None
    if form.is_valid():
        article = _live_article(form.cleaned_data["article"])
        if article is None:
            form.add_error(None, _("This article cannot be followed."))
        elif form.kind == SubscriptionKind.REPLIES_TO_COMMENT:
            comment = _comment_on(article, form.cleaned_data.get("comment"))
            if comment is None:
                form.add_error("notify", _("This comment cannot be followed."))
    elif _id_number(form.data.get("article", "")):
        article = _live_article(_id_number(form.data["article"]))
    if not form.is_valid():
        return _subscribe_failed(request, form, article, status=400)
    result = services.request_subscription(
        email=form.cleaned_data["email"],
        kind=form.kind,
        article=article,
        comment=comment,
        language=translation.get_language(),
        request=request,
    )
    if result.status in ("invalid", "limited"):
        form.add_error(None, result.message)
        return _subscribe_failed(request, form, article, status=429 if result.status == "limited" else 400)
    if _wants_json(request):
        return JsonResponse({"ok": True, "status": result.status, "message": result.message})
    return _page(request, "result", {"title": _("Check your e-mail") if result.status == "pending" else _("Subscribed"),
                                      "message": result.message, "article": article})


def _id_number(value):
    """`value` as a row id, or None. str.isdigit() also takes "²" or "①", which int() refuses, and
    any length, which the database refuses: both were a 500."""
    value = str(value or "")
    return int(value) if value.isdecimal() and len(value) < 12 else None


def _follow_comment_form(request):
    """The form to follow the replies to one comment, named by ?article=&comment= (an empty form otherwise)."""
    article_id, comment_id = request.GET.get("article", ""), request.GET.get("comment", "")
    article = _live_article(_id_number(article_id)) if _id_number(article_id) else None
    comment = _comment_on(article, _id_number(comment_id)) if article and _id_number(comment_id) else None
    if comment is None:
        raise Http404(_("This comment cannot be followed."))
    form = SubscribeForm(initial={"notify": "thread", "article": article.pk, "comment": comment.pk})
    return _page(request, "subscribe", {"form": form, "article": article, "comment": comment})


def _subscribe_failed(request, form, article, status):
    if _wants_json(request):
        errors = {field: [str(error) for error in errors] for field, errors in form.errors.items()}
        message = " ".join(errors.get("__all__", [])) or _("Check the highlighted field and send the form again.")
        return JsonResponse({"ok": False, "message": message, "errors": errors}, status=status)
    return _page(request, "subscribe", {"form": form, "article": article}, status=status)


def _token_view(kind):
    """Shared GET (a page with a button) / POST (the action) shape of the confirm and cancel links.

    A GET never acts: mail scanners and link previews fetch every link in a
    message, and must not confirm or cancel anything on the reader's behalf.
    """

    def view(request, token):
        subscription = services.subscription_for_confirmation(token)
        if subscription is None:
            return _page(request, "invalid_link", {}, status=404)
        context = {"subscription": subscription, "what": mail.describe(subscription), "article": subscription.article}
        if request.method == "POST":
            if kind == "confirm":
                services.confirm_subscription(subscription, language=translation.get_language())
                return _page(request, "confirmed", context)
            services.unsubscribe(subscription)
            return _page(request, "unsubscribed", {**context, "cancelled": True})
        if kind == "confirm" and subscription.is_confirmed:
            return _page(request, "confirmed", context)
        return _page(request, f"{kind}_ask", context)

    return view


confirm = private(same_origin_post(require_http_methods(["GET", "HEAD", "POST"])(_token_view("confirm"))))
cancel = private(same_origin_post(require_http_methods(["GET", "HEAD", "POST"])(_token_view("cancel"))))


@private
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The List-Unsubscribe URL (RFC 8058).

    This one view takes cross-site POSTs on purpose: a mail client (Gmail,
    Apple Mail…) posts "List-Unsubscribe=One-Click" to it from its own
    servers, with no Origin of ours and no CSRF token, and the reader must be
    unsubscribed at once. The signed token in the URL is the proof; all a
    forged cross-site post could do is what the link's owner asked for.
    A GET (the link in the message's footer) shows a button instead, so that
    link scanners do not unsubscribe anyone.
    """
    if not services.unsubscribe_token_is_valid(token):
        return _page(request, "invalid_link", {}, status=404)
    subscription = services.subscription_for_unsubscribe(token)
    context = {"subscription": subscription, "article": subscription.article if subscription else None}
    if subscription is None:
        # Already gone (a second click, or both the header and the footer): the same answer.
        return _page(request, "unsubscribed", context)
    context["what"] = mail.describe(subscription)
    if request.method == "POST":
        services.unsubscribe(subscription)
        return _page(request, "unsubscribed", context)
    return _page(request, "unsubscribe_ask", context)


@private
@same_origin_post
@require_http_methods(["GET", "HEAD", "POST"])
def mine(request):
    """Ask for a link to one's comments and subscriptions."""
    form = AccessForm(request.POST or None)
    if request.method != "POST":
        return _page(request, "mine", {"form": form})
    if not form.is_valid():
        return _page(request, "mine", {"form": form}, status=400)
    services.purge_expired()
    outcome = mydata.request_access(email=form.cleaned_data["email"], language=translation.get_language(), request=request)
    if outcome == "limited":
        form.add_error(None, _("Too many links were asked for recently. Please try again in an hour."))
        return _page(request, "mine", {"form": form}, status=429)
    return _page(request, "result", {
        "title": _("Check your e-mail"),
        # The same words whether or not the address is known here.
        "message": _("If this address has comments or subscriptions here, we sent it a link to see and delete them. The link works for two hours."),
    })


@private
@same_origin_post
@require_http_methods(["GET", "HEAD", "POST"])
def mine_data(request, token):
    """Everything one address left here, each piece deletable, and all at once."""
    address = mydata.address_for_access(token)
    if not address:
        return _page(request, "mine", {"form": AccessForm(), "expired": True}, status=404)
    if request.method == "POST":
        action = request.POST.get("action", "")
        done = mydata.delete_reader_data(address, action, request.POST.get("id", ""))
        return _see_other(redirect(reverse("subscriptions:mine_data", args=[token]) + f"?done={done}"))
    data = mydata.reader_data(address)
    for subscription in data["subscriptions"]:
        subscription.what = mail.describe(subscription)
    return _page(request, "mine_data", {**data, "address": address, "done": request.GET.get("done", "")})


# Views that send a 303 after a POST: redirect() sends 302; make it 303 so no
# client repeats the POST.
def _see_other(response):
    response.status_code = 303
    return response

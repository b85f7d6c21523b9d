"""The comments queue and comment blocks in the Wagtail admin, and the held-comments panel on its dashboard.

The queue lists every comment (filters: status, article, date, passage
comments; search: name, e-mail, text). A comment's page shows it whole, as
plain text, with buttons for what moderators do; the same actions work on
many comments at once from the listing's checkboxes. Moderators never edit
a reader's text, and nobody adds comments here: the generic add, edit and
delete views are refused (see CommentQueuePermissionPolicy), so that every
change of status goes through minbar.comments.services (cache
invalidation, notifications, placeholders).
"""

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button, ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from minbar.comments.models import Comment, CommentStatus

from .bulk_actions import ApproveBulkAction, BlockSendersBulkAction, DeleteBulkAction, SpamBulkAction
from .filters import CommentFilterSet
from .models import BlockRule
from .permissions import may_moderate

BODY_EXCERPT = 160
ROW_ACTIONS = [ApproveBulkAction, SpamBulkAction, DeleteBulkAction, BlockSendersBulkAction]


class CommentQueuePermissionPolicy(ModelPermissionPolicy):
    """See and moderate with Django's comment permissions; never add, or edit and delete through generic forms."""

    def user_has_permission(self, user, action):
        if action == "view":
            return user.has_perm("comments.view_comment") or user.has_perm("comments.change_comment")
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


def action_url(action, comment_ids, next_url):
    url = reverse("wagtail_bulk_action", args=["comments", "comment", action.action_type])
    return f"{url}?{urlencode([*(('id', pk) for pk in comment_ids), ('next', next_url)])}"


class ArticleColumn(Column):
    cell_template_name = "moderation/admin/article_cell.html"


class BodyColumn(Column):
    """The comment's text, cut short; escaped like everything a reader wrote."""

    cell_template_name = "moderation/admin/body_cell.html"


class CommentQueueIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("article")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not may_moderate(self.request.user):
            return buttons
        for priority, action in enumerate(ROW_ACTIONS, start=1):
            if action is ApproveBulkAction and instance.status == CommentStatus.APPROVED:
                continue
            if action is SpamBulkAction and instance.status == CommentStatus.SPAM:
                continue
            # Approve and spam, the everyday actions, sit on the row; the rest in its "more" menu.
            button_class = ListingButton if action in (ApproveBulkAction, SpamBulkAction) else Button
            buttons.append(
                button_class(
                    action.display_name,
                    url=action_url(action, [instance.pk], self.request.get_full_path()),
                    priority=priority,
                    attrs={"aria-label": f"{action.display_name}: {instance.author_name}"},
                )
            )
        return buttons


class CommentInspectView(InspectView):
    template_name = "moderation/admin/comment_inspect.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        return Comment.objects.select_related("article", "parent", "question", "user").get(pk=obj.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        comment = self.object
        context["comment"] = comment
        context["may_moderate"] = may_moderate(self.request.user)
        back = reverse(self.index_url_name)
        context["actions"] = [
            {
                "label": action.display_name,
                "url": action_url(action, [comment.pk], back),
                "classes": " ".join(action.classes),
            }
            for action in ROW_ACTIONS
        ]
        return context


class CommentQueueViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    menu_name = "comments"
    menu_order = 230
    add_to_admin_menu = True
    add_to_reference_index = False
    inspect_view_enabled = True
    index_view_class = CommentQueueIndexView
    inspect_view_class = CommentInspectView
    list_per_page = 50
    ordering = ["-created_at"]
    filterset_class = CommentFilterSet
    # The queue searches with the ORM: no search index of readers' text.
    search_fields = ["author_name", "author_email", "body"]
    search_backend_name = None

    @cached_property
    def menu_item_class(self):
        shown_to_permitted_users = super().menu_item_class

        class HeldCountMenuItem(shown_to_permitted_users):
            """"Comments (3)": the number waiting for review, for those who may review them."""

            def render_component(self, request):
                component = super().render_component(request)
                if may_moderate(request.user):
                    held = Comment.objects.filter(status=CommentStatus.PENDING).count()
                    if held:
                        component.label = f"{self.label} ({held})"
                return component

        return HeldCountMenuItem

    @property
    def list_display(self):
        return [
            "author_name",
            BodyColumn(
                "body", label=pgettext_lazy("comment", "Text"), accessor=lambda c: Truncator(c.body).chars(BODY_EXCERPT)
            ),
            ArticleColumn("article", label=_("Article"), accessor="article.title"),
            Column("status", label=pgettext_lazy("comment", "Status"), accessor="get_status_display"),
            Column("moderation_note", label=_("Moderation note")),
            DateColumn("created_at", label=_("Posted"), sort_key="created_at"),
        ]


class BlockRuleViewSet(SnippetViewSet):
    model = BlockRule
    icon = "warning"
    menu_label = _("Comment blocks")
    menu_order = 231
    add_to_admin_menu = True
    add_to_reference_index = False
    list_display = ["value", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]
    search_backend_name = None


register_permission_policy(Comment, CommentQueuePermissionPolicy(Comment), exact_class=True)
register_snippet(CommentQueueViewSet)
register_snippet(BlockRuleViewSet)

# Registered after Wagtail's own snippet actions (order), so that "delete"
# on comments is ours: it keeps placeholders for comments with replies.
for bulk_action in (ApproveBulkAction, SpamBulkAction, DeleteBulkAction, BlockSendersBulkAction):
    hooks.register("register_bulk_action", bulk_action, order=100)


class HeldCommentsPanel(Component):
    name = "held_comments"
    order = 50

    def __init__(self, count):
        self.count = count

    def render_html(self, parent_context=None):
        url = reverse("wagtailsnippets_comments_comment:list") + f"?status={CommentStatus.PENDING}"
        return render_to_string("moderation/admin/held_comments_panel.html", {"count": self.count, "url": url})


@hooks.register("construct_homepage_panels")
def add_held_comments_panel(request, panels):
    if may_moderate(request.user):
        panels.append(HeldCommentsPanel(Comment.objects.filter(status=CommentStatus.PENDING).count()))

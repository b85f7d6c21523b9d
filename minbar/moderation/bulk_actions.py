"""Bulk actions of the comments queue: approve, spam, delete, block the senders.

The same views serve one comment (the row's menu and the comment's page
link to them with a single id) and many (the listing's checkboxes). Each
shows a confirmation page, then acts through moderation.actions.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from wagtail.admin.views.bulk_action import BulkAction

from minbar.comments.models import Comment

from . import actions
from .permissions import may_delete, may_moderate


class CommentBulkAction(BulkAction):
    models = [Comment]
    template_name = "moderation/admin/confirm_bulk_action.html"
    question = ""
    button_label = ""

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [pk for pk in object_ids if str(pk).isdigit()]
        return list(Comment.objects.filter(pk__in=ids).select_related("article"))

    def check_perm(self, comment):
        return may_moderate(self.request.user)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "action_label": self.display_name,
            "question": self.question,
            "button_label": self.button_label,
            "button_class": " ".join(self.classes),
        }

    def get_execution_context(self):
        return {"user": self.request.user}


class ApproveBulkAction(CommentBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected comments")
    action_priority = 10
    question = _("Publish these comments on their articles?")
    button_label = _("Yes, approve")

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return len(actions.approve(objects)), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d comment approved.", "%(count)d comments approved.", num_parent_objects) % {
            "count": num_parent_objects
        }


class SpamBulkAction(CommentBulkAction):
    display_name = _("Spam")
    action_type = "spam"
    aria_label = _("Mark the selected comments as spam")
    action_priority = 20
    question = _("Mark these comments as spam? Readers will not see them.")
    button_label = _("Yes, mark as spam")

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return len(actions.mark_as_spam(objects)), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", num_parent_objects
        ) % {"count": num_parent_objects}


class DeleteBulkAction(CommentBulkAction):
    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete the selected comments")
    action_priority = 30
    classes = {"serious"}
    question = _("Delete these comments? A comment with replies leaves a “deleted” note in its place.")
    button_label = _("Yes, delete")

    def check_perm(self, comment):
        return may_delete(self.request.user)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return len(actions.delete(objects)), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d comment deleted.", "%(count)d comments deleted.", num_parent_objects) % {
            "count": num_parent_objects
        }


class BlockSendersBulkAction(CommentBulkAction):
    display_name = _("Block sender")
    action_type = "block"
    aria_label = _("Block the senders of the selected comments and mark the comments as spam")
    action_priority = 40
    classes = {"serious"}
    question = _(
        "Block the e-mail addresses and networks these comments came from, and mark the comments as spam? "
        "New comments from them will be refused."
    )
    button_label = _("Yes, block")

    def check_perm(self, comment):
        return may_moderate(self.request.user) and self.request.user.has_perm("moderation.add_blockrule")

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        # The note is for other editors: in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            note = gettext("Blocked from the comments queue.")
        actions.block_senders(objects, note=note)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "The sender of %(count)d comment is blocked.",
            "The senders of %(count)d comments are blocked.",
            num_parent_objects,
        ) % {"count": num_parent_objects}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """E-mail notifications readers ask for: double opt-in, one-click unsubscribe."""

    name = "minbar.subscriptions"
    verbose_name = _("Subscriptions")

    def ready(self):
        from minbar.comments.signals import comment_published

        from .notifications import on_comment_published

        comment_published.connect(on_comment_published, dispatch_uid="minbar.subscriptions.notify")

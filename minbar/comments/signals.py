"""What the comments app tells the rest of Minbar.

`comment_published(sender=Comment, comment=…)` is sent once a comment
becomes visible to readers: on posting when moderation lets it through, or
when an editor approves it later. Subscriptions send their e-mails from it.
"""

from django.dispatch import Signal

comment_published = Signal()

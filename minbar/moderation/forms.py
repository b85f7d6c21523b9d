"""What a comment form carries for screening: when it was shown, and a field only robots fill.

The start time is the current time signed by the server when the page is
rendered. A cached page shows the same value to everyone, so it holds nothing
personal; it only gets older, and an old start time is never suspicious: only
one too recent (a robot posting the moment it fetched the form) or a missing
or forged one is.
"""

import time

from django.core import signing

# Shared with minbar.comments.forms, which reads the same signed value.
STARTED_SALT = "minbar.comments.form-started"
STARTED_FIELD = "started"
# People never see this field (it is hidden by the page's styles and from
# assistive technology); robots that fill every field fill it.
HONEYPOT_FIELD = "homepage"


def form_timestamp(now=None):
    """The signed current time, for the form's hidden `started` field."""
    return signing.dumps(int(now if now is not None else time.time()), salt=STARTED_SALT)

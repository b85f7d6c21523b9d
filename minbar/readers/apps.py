from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadersConfig(AppConfig):
    """Who a reader is, without an account, and how hard they may knock.

    Everything the discussion features need to tell readers apart and to slow
    down abuse: the client address (trusted only from a configured proxy
    header), its salted hash, a signed first-party reader cookie, rate limits,
    the same-origin check that replaces CSRF tokens on cached pages, and
    cleaning of names readers type.
    """

    name = "minbar.readers"
    verbose_name = _("Readers")

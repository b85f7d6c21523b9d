"""The Content-Security-Policy header: strict on readers' pages, the Wagtail admin's own under /admin/.

django-csp builds the policy text again for every response (about 40 µs,
a tenth of what a page from the page cache costs); both policies here are
fixed, so they are built once. A view that changes its policy through
django-csp's decorators still gets its own, built by django-csp.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy, default_config

# Wagtail's admin (and the page previews it frames) is served under these.
ADMIN_PREFIXES = ("/admin/",)
_PER_VIEW_ATTRIBUTES = (
    "_csp_exempt",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt_ro",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_built = {}


def is_admin(request):
    return request.path_info.startswith(ADMIN_PREFIXES)


def admin_directives():
    return default_config(settings.MINBAR_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])


def policy_for(request):
    """The policy text for `request`'s part of the site (built once per settings)."""
    part = "admin" if is_admin(request) else "reader"
    if part not in _built:
        _built[part] = build_policy(config=admin_directives() if part == "admin" else None)
    return _built[part]


@receiver(setting_changed)
def _forget_built_policies(*, setting, **kwargs):
    if setting in ("CONTENT_SECURITY_POLICY", "MINBAR_ADMIN_CONTENT_SECURITY_POLICY"):
        _built.clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the site's two fixed policies (settings CONTENT_SECURITY_POLICY, MINBAR_ADMIN_CONTENT_SECURITY_POLICY)."""

    def process_response(self, request, response):
        customised = any(hasattr(response, name) for name in _PER_VIEW_ATTRIBUTES)
        # (django-csp leaves Django's debug error pages, which have inline styles, without a policy.)
        if customised or settings.DEBUG or getattr(request, "_csp_nonce", None) or HEADER in response:
            return super().process_response(request, response)
        policy = policy_for(request)
        if policy:
            response[HEADER] = policy
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin(request):
            parts.config = admin_directives()
        return parts

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create an administrator; the generated password is printed and kept in the data folder."

    PASSWORD_FILE = "admin-password.txt"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.com")
        parser.add_argument("--if-missing", action="store_true")

    def handle(self, username, email, if_missing, **options):
        User = get_user_model()
        password_file = settings.DATA_DIR / self.PASSWORD_FILE
        if if_missing and User.objects.filter(is_superuser=True).exists():
            if password_file.exists():
                self.stdout.write(
                    _("Admin login: %(username)s / %(password)s")
                    % {"username": username, "password": password_file.read_text().strip()}
                )
            return
        if User.objects.filter(username=username).exists():
            self.stderr.write(_("A user called %(username)s exists already.") % {"username": username})
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        self.stdout.write(_("Admin login: %(username)s / %(password)s") % {"username": username, "password": password})

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from attorneys.models import Attorney


class Command(BaseCommand):
    help = (
        "Give the demo firm's users (admin, paralegal, compliance and one attorney) a password "
        "and print the logins. The password is generated once and kept in var/demo-login.txt."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if not User.objects.filter(username="admin").exists():
            raise CommandError("No demo firm: run 'manage.py seed_demo' first.")
        attorney = Attorney.objects.filter(is_active=True).order_by("pk").first()
        if attorney and attorney.user is None:
            attorney.user = User.objects.create_user(
                username="attorney", email=attorney.email, first_name=attorney.name.split()[0]
            )
            attorney.save(update_fields=["user"])
        path = settings.BASE_DIR / "var" / "demo-login.txt"
        if path.exists():
            password = path.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(password + "\n")
        usernames = ["admin", "paralegal", "compliance", "attorney"]
        for user in User.objects.filter(username__in=usernames):
            if not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Firmlink demo logins (all share one password):"))
        self.stdout.write(f"  URL:       {settings.FIRMLINK_BASE_URL}/")
        for username, role in zip(usernames, ["administrator", "staff", "compliance", "attorney"], strict=False):
            self.stdout.write(f"  {username:<11} ({role})")
        self.stdout.write(f"  password:  {password}")
        self.stdout.write("")

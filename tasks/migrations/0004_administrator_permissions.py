"""Give the administrator group what it needs in the Django admin (where the admin is the right
tool: adding a court to an attorney, requeueing failed reminders, reading the audit records).
People, corrections, go-live changes and verifications are dashboard pages; superusers keep the
whole admin."""

from django.db import migrations

GRANTS = {
    ("attorneys", "attorney"): ("view", "change"),
    ("attorneys", "courtlink"): ("view", "add"),
    ("attorneys", "stepchange"): ("view",),
    ("attorneys", "verification"): ("view",),
    ("attorneys", "exportlog"): ("view",),
    ("attorneys", "rosterimport"): ("view",),
    ("courts", "court"): ("view", "change"),
    ("tasks", "reminder"): ("view", "change"),
    ("tasks", "reminderrun"): ("view",),
    ("tasks", "escalationdigest"): ("view",),
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_label in ("attorneys", "courts", "tasks"):  # on a fresh database they are made after migrating
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrator, _ = Group.objects.get_or_create(name="administrator")
    for (app_label, model), actions in GRANTS.items():
        codenames = [f"{action}_{model}" for action in actions]
        administrator.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="administrator"):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0003_send_ownership_and_run_counts"),
        ("attorneys", "0011_login_step"),
        ("courts", "0004_court_facts_2026"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

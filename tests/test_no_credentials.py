"""Hard line: no PACER or CM/ECF password in any field, ever."""

import re

from django.apps import apps

CREDENTIAL = re.compile(r"pass(word)?|pwd|secret|\bpin\b|credential", re.IGNORECASE)
OUR_APPS = ("core", "courts", "attorneys", "tasks", "dashboard")


def test_no_model_field_of_ours_can_hold_a_password():
    offending = []
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.get_fields():
                label = f"{field.name} {getattr(field, 'verbose_name', '')} {getattr(field, 'db_column', '') or ''}"
                if CREDENTIAL.search(label):
                    offending.append(f"{model.__name__}.{field.name}")
    assert offending == []


def test_the_only_password_anywhere_is_the_firmlink_login_itself():
    holders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if "password" in field.name.lower()
    ]
    assert holders == ["auth.User.password"]

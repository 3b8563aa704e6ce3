"""Configuration from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3y-for-the-deploy-check-only-0123456789-abcdefghijklmnopqrstuvwxyz"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "firmlink.settings.production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "firmlink.example.com",
    "DEFAULT_FROM_EMAIL": "Firmlink <firmlink@firm.example>",
    "FIRMLINK_BASE_URL": "https://firmlink.example.com",
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DEFAULT_FROM_EMAIL", "FIRMLINK_BASE_URL")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_from_address_or_base_url():
    for missing, message in (
        ("DEFAULT_FROM_EMAIL", "DEFAULT_FROM_EMAIL must be set in production"),
        ("FIRMLINK_BASE_URL", "FIRMLINK_BASE_URL must be set in production"),
    ):
        result = manage("check", **{**PRODUCTION, missing: ""})
        assert result.returncode != 0
        assert message in result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", **{**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.FIRM_TIME_ZONE, s.FIRMLINK_AS_OF, s.FIRMLINK_BASE_URL, s.EMAIL_BACKEND, s.EMAIL_HOST,"
        " s.EMAIL_PORT, s.DEFAULT_FROM_EMAIL, s.CELERY_BROKER_URL, s.DATABASES['default']['ENGINE'])"
    )
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="firmlink.settings.local",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/elsewhere",
        FIRM_TIME_ZONE="America/Chicago",
        FIRMLINK_AS_OF="2021-06-14",
        FIRMLINK_BASE_URL="https://firmlink.example.com/",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="smtp.example.com",
        EMAIL_PORT="2525",
        DEFAULT_FROM_EMAIL="Firm <it@example.com>",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "America/Chicago",
        "2021-06-14",
        "https://firmlink.example.com",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "2525",
        "Firm",
        "<it@example.com>",
        "redis://127.0.0.1:6379/3",
        "django.db.backends.postgresql",
    ]


def test_a_bad_time_zone_or_as_of_date_is_refused_clearly():
    result = manage("check", DJANGO_SETTINGS_MODULE="firmlink.settings.local", FIRM_TIME_ZONE="Mars/Olympus")
    assert "FIRM_TIME_ZONE='Mars/Olympus' is not an IANA time zone" in result.stderr
    result = manage("check", DJANGO_SETTINGS_MODULE="firmlink.settings.local", FIRMLINK_AS_OF="14/06/2021")
    assert "FIRMLINK_AS_OF='14/06/2021' is not a date" in result.stderr


def test_the_default_broker_needs_no_server():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CELERY_BROKER_URL)",
        DJANGO_SETTINGS_MODULE="firmlink.settings.local",
        **{"CELERY_BROKER_URL": ""},
    )
    assert result.stdout.strip().startswith("filesystem://")


def test_worker_settings_that_could_hand_a_batch_to_two_workers_are_flagged():
    production = {**PRODUCTION, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/3"}
    assert manage("check", "--fail-level", "WARNING", **production).returncode == 0  # the defaults are safe
    result = manage("check", **production, FIRMLINK_SEND_LEASE_SECONDS="600", CELERY_VISIBILITY_TIMEOUT="3600")
    assert "firmlink.W001" in result.stderr and "firmlink.W002" in result.stderr


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

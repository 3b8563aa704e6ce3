"""The data version: one row, raised once by every transaction that changes pairs, attorneys,
courts, the history or its verifications, at its commit (a deferred constraint trigger: the row lock is the transaction's last, so it
cannot take part in a deadlock, and a reader sees the new version together with the new data).
PostgreSQL only; elsewhere (the embedded SQLite of ``make run``) nothing is cached."""

from django.db import migrations, models

TABLES = (
    "attorneys_courtlink",
    "attorneys_attorney",
    "courts_court",
    "attorneys_stepchange",
    "attorneys_verification",
)

FUNCTION = """
CREATE OR REPLACE FUNCTION firmlink_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('firmlink.data_changed', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('firmlink.data_changed', txid_current()::text, true);
        UPDATE attorneys_dataversion SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;
"""


def install(apps, schema_editor):
    apps.get_model("attorneys", "DataVersion").objects.update_or_create(pk=1, defaults={"version": 1})
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_data_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION firmlink_data_changed()"
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_data_changed ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS firmlink_data_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("attorneys", "0015_staff_member"),
        ("courts", "0005_sane_dates"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]

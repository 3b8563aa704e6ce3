"""Make the step history append-only in the database itself (PostgreSQL).

The models refuse updates and deletes already; this trigger also refuses them from raw SQL,
a shell or another program. TRUNCATE (used only by test teardown) is a statement, not a row
change, and is not affected.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION firmlink_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'attorneys_stepchange is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER attorneys_stepchange_append_only
    BEFORE UPDATE OR DELETE ON attorneys_stepchange
    FOR EACH ROW EXECUTE FUNCTION firmlink_history_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS attorneys_stepchange_append_only ON attorneys_stepchange;
DROP FUNCTION IF EXISTS firmlink_history_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("attorneys", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]

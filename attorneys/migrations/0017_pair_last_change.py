"""Each pair's newest history row, kept on the pair by the database (PostgreSQL).

The compliance export shows every pair's last change: finding it in the history on every export
reads the whole history (one row per step of every pair, and growing). Instead a statement-level
trigger on the history's inserts keeps the newest row of each pair it touched (by time, then
entry id, as the history orders it) in three columns of ``attorneys_courtlink`` that no model field
maps, so no ``save()`` can write a stale copy back. The history is append-only (0002), so an
insert is the only change to follow. Elsewhere (the embedded SQLite of ``make run``) the export
reads the history instead.
"""

from django.db import migrations

COLUMNS = """
ALTER TABLE attorneys_courtlink
    ADD COLUMN last_change_at timestamptz NULL,
    ADD COLUMN last_change_id bigint NULL,
    ADD COLUMN last_change_by varchar(200) NULL;
"""

NEWEST = """
SELECT DISTINCT ON (link_id) link_id, changed_at, id, actor FROM {source}
WHERE link_id IS NOT NULL ORDER BY link_id, changed_at DESC, id DESC
"""

KEEP = """
UPDATE attorneys_courtlink AS pair
SET last_change_at = newest.changed_at, last_change_id = newest.id, last_change_by = newest.actor
FROM ({newest}) AS newest
WHERE pair.id = newest.link_id
  AND (pair.last_change_at IS NULL OR (newest.changed_at, newest.id) > (pair.last_change_at, pair.last_change_id))
"""

TRIGGER = f"""
CREATE OR REPLACE FUNCTION firmlink_pair_last_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {KEEP.format(newest=NEWEST.format(source="inserted"))};
    RETURN NULL;
END
$$;
CREATE TRIGGER attorneys_stepchange_pair_last_change AFTER INSERT ON attorneys_stepchange
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION firmlink_pair_last_change();
"""

DROP = """
DROP TRIGGER IF EXISTS attorneys_stepchange_pair_last_change ON attorneys_stepchange;
DROP FUNCTION IF EXISTS firmlink_pair_last_change();
ALTER TABLE attorneys_courtlink
    DROP COLUMN IF EXISTS last_change_at, DROP COLUMN IF EXISTS last_change_id, DROP COLUMN IF EXISTS last_change_by;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(COLUMNS)
    schema_editor.execute(KEEP.format(newest=NEWEST.format(source="attorneys_stepchange")))
    schema_editor.execute(TRIGGER)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("attorneys", "0016_data_version")]

    operations = [migrations.RunPython(install, uninstall)]

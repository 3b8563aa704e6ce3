"""Ship the court facts re-checked in 2026: a go-live date for 42 more courts, an "on NextGen
by" bound for every court without a confirmed date, and the date of the directory's facts.

Applies the shipped rows again (courts are never created or deleted here); a go-live date
an administrator corrected is kept.
"""

from django.db import migrations


def apply_facts(apps, schema_editor):
    from courts import directory

    Court = apps.get_model("courts", "Court")
    directory.apply_court_rows(Court, directory.shipped_rows())


class Migration(migrations.Migration):
    dependencies = [("courts", "0003_court_live_by_and_directory_date")]

    operations = [migrations.RunPython(apply_facts, migrations.RunPython.noop)]

"""Ship the federal court directory: all 204 courts with their go-live dates and sources."""

from django.db import migrations


def load_directory(apps, schema_editor):
    from courts import directory

    Court = apps.get_model("courts", "Court")
    directory.apply_court_rows(Court, directory.shipped_rows(), create=True)


class Migration(migrations.Migration):
    dependencies = [("courts", "0001_initial")]

    operations = [migrations.RunPython(load_directory, migrations.RunPython.noop)]

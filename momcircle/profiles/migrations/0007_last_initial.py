"""Only the first letter of a last name was ever shown: keep that letter and no more."""

from django.db import migrations, models
from django.db.models.functions import Left, Upper


def keep_the_initial(apps, schema_editor):
    Profile = apps.get_model("profiles", "Profile")
    Profile.objects.update(last_name=Upper(Left("last_name", 1)))


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0006_reports_move_to_moderation"),
    ]

    operations = [
        migrations.RunPython(keep_the_initial, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="profile",
            name="last_name",
            field=models.CharField(max_length=1),
        ),
        migrations.RenameField(
            model_name="profile",
            old_name="last_name",
            new_name="last_initial",
        ),
        migrations.AlterField(
            model_name="profile",
            name="last_initial",
            field=models.CharField(help_text="The first letter of her last name.", max_length=1),
        ),
    ]

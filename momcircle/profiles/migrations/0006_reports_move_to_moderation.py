"""Reports belong to moderation now (moderation 0001 takes the table with its rows)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("profiles", "0005_weekly_availability")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Report")], database_operations=[]
        ),
    ]

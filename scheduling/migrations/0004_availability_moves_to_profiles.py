"""Weekly availability moves to profiles (profiles 0005 renames the tables), and meetups
speak the one kid-mode vocabulary: "kid_friendly" becomes "kids_along"."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0003_meetups"),
        ("profiles", "0005_weekly_availability"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="availabilitywindow", name="member"),
                migrations.RemoveField(model_name="weeklyfreeslots", name="member"),
                migrations.DeleteModel(name="AvailabilityWindow"),
                migrations.DeleteModel(name="WeeklyFreeSlots"),
            ],
            database_operations=[],
        ),
        migrations.RemoveConstraint(model_name="meetup", name="meetup_kid_mode_known"),
        migrations.RunSQL(
            "UPDATE scheduling_meetup SET kid_mode = 'kids_along' WHERE kid_mode = 'kid_friendly'",
            "UPDATE scheduling_meetup SET kid_mode = 'kid_friendly' WHERE kid_mode = 'kids_along'",
        ),
        migrations.AlterField(
            model_name="meetup",
            name="kid_mode",
            field=models.CharField(
                choices=[("kid_free", "Kid-free"), ("kids_along", "Kids along")], max_length=20
            ),
        ),
        migrations.AddConstraint(
            model_name="meetup",
            constraint=models.CheckConstraint(
                condition=models.Q(("kid_mode__in", ["kid_free", "kids_along"])),
                name="meetup_kid_mode_known",
            ),
        ),
    ]

"""Weekly availability is part of her profile: the models come over from scheduling with
their rows (the tables are renamed, nothing is copied)."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.db.models.functions.math
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0004_meetup_updates_and_meetup_reports"),
        ("scheduling", "0003_meetups"),
    ]

    state_operations = [
        migrations.CreateModel(
            name="WeeklyFreeSlots",
            fields=[
                (
                    "member",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="weekly_free_slots",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "slots",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.SmallIntegerField(), blank=True, default=list, size=None
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "weekly free slots",
            },
        ),
        migrations.CreateModel(
            name="AvailabilityWindow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "weekday",
                    models.PositiveSmallIntegerField(help_text="0 is Monday, 6 is Sunday."),
                ),
                ("start_minute", models.PositiveSmallIntegerField()),
                ("end_minute", models.PositiveSmallIntegerField()),
                (
                    "mode",
                    models.CharField(
                        choices=[("kid_free", "Kid-free"), ("kids_along", "Kids along")],
                        max_length=10,
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="availability_windows",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["member"], name="availability_member")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("weekday__lte", 6)), name="availability_weekday_range"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("start_minute__lte", 1425),
                            django.db.models.lookups.Exact(
                                django.db.models.functions.math.Mod("start_minute", 15), 0
                            ),
                        ),
                        name="availability_start_on_step",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("end_minute__gte", 15),
                            ("end_minute__lte", 1440),
                            django.db.models.lookups.Exact(
                                django.db.models.functions.math.Mod("end_minute", 15), 0
                            ),
                        ),
                        name="availability_end_on_step",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("start_minute", models.F("end_minute")), _negated=True),
                        name="availability_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("mode__in", ["kid_free", "kids_along"])),
                        name="availability_mode_known",
                    ),
                ],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE scheduling_availabilitywindow RENAME TO profiles_availabilitywindow",
                    "ALTER TABLE profiles_availabilitywindow RENAME TO scheduling_availabilitywindow",
                ),
                migrations.RunSQL(
                    "ALTER TABLE scheduling_weeklyfreeslots RENAME TO profiles_weeklyfreeslots",
                    "ALTER TABLE profiles_weeklyfreeslots RENAME TO scheduling_weeklyfreeslots",
                ),
            ],
        ),
    ]

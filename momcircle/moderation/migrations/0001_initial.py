"""Reports move from profiles to moderation with their rows (the table is renamed)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("groups", "0004_membership_banned"),
        ("scheduling", "0004_availability_moves_to_profiles"),
        ("profiles", "0005_weekly_availability"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name="Report",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("harassment", "Harassment or bullying"),
                            ("inappropriate", "Offensive or inappropriate content"),
                            ("spam", "Spam, scams or selling"),
                            ("fake", "Fake profile or not who she says she is"),
                            ("child_safety", "A risk to children"),
                            ("other", "Something else"),
                        ],
                        max_length=20,
                    ),
                ),
                ("details", models.TextField(blank=True, max_length=1000)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("dismissed", "Dismissed"),
                            ("actioned", "Actioned"),
                        ],
                        default="open",
                        max_length=10,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True, help_text="What the team did about it.", max_length=200
                    ),
                ),
                ("handled_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "handled_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reported_group",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="groups.group",
                    ),
                ),
                (
                    "reported_meetup",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="scheduling.meetup",
                    ),
                ),
                (
                    "reported_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports_received",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "reporter",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reports_made",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["status", "created_at"], name="report_status_created")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("reported_user__isnull", False),
                                ("reported_group__isnull", True),
                                ("reported_meetup__isnull", True),
                            ),
                            models.Q(
                                ("reported_user__isnull", True),
                                ("reported_group__isnull", False),
                                ("reported_meetup__isnull", True),
                            ),
                            models.Q(
                                ("reported_user__isnull", True),
                                ("reported_group__isnull", True),
                                ("reported_meetup__isnull", False),
                            ),
                            _connector="OR",
                        ),
                        name="report_has_exactly_one_target",
                    )
                ],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=state_operations,
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE profiles_report RENAME TO moderation_report",
                    "ALTER TABLE moderation_report RENAME TO profiles_report",
                ),
            ],
        ),
    ]

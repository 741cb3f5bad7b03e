"""The outbox knows no domain model: what a message is about becomes a subject key
("meetup:42") in place of a foreign key to scheduling's Meetup."""

from django.db import migrations, models


def meetup_to_subject(apps, schema_editor):
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    OutboxMessage.objects.filter(meetup__isnull=False).update(
        subject=models.functions.Concat(
            models.Value("meetup:"), models.functions.Cast("meetup_id", models.CharField())
        )
    )


def subject_to_meetup(apps, schema_editor):
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    Meetup = apps.get_model("scheduling", "Meetup")
    for message in OutboxMessage.objects.filter(subject__startswith="meetup:"):
        pk = int(message.subject.partition(":")[2])
        if Meetup.objects.filter(pk=pk).exists():
            OutboxMessage.objects.filter(pk=message.pk).update(meetup_id=pk)
        else:
            message.delete()


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="subject",
            field=models.CharField(
                blank=True,
                help_text='What the message is about, as "<model>:<id>" (see subject_key), if anything.',
                max_length=80,
            ),
        ),
        migrations.RunPython(meetup_to_subject, subject_to_meetup),
        migrations.RemoveConstraint(model_name="outboxmessage", name="outbox_each_message_once"),
        migrations.RemoveField(model_name="outboxmessage", name="meetup"),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.UniqueConstraint(
                fields=("recipient", "subject", "kind", "occurrence"),
                name="outbox_each_message_once",
            ),
        ),
    ]

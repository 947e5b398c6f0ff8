"""The partner models move to the `partners` app: they leave this app's state only. Their tables
(s4c_apikey, s4c_changeevent…) stay where they are, with their rows; `partners` 0001 takes them over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('s4c', '0007_captured_rows'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveField(
            model_name='apikey',
            name='created_by',
        ),
        migrations.DeleteModel(
            name='CapturedRow',
        ),
        migrations.DeleteModel(
            name='ChangeEvent',
        ),
        migrations.DeleteModel(
            name='FeedEpoch',
        ),
        migrations.DeleteModel(
            name='PublicState',
        ),
        migrations.RemoveField(
            model_name='webhookattempt',
            name='delivery',
        ),
        migrations.RemoveField(
            model_name='webhookdelivery',
            name='endpoint',
        ),
        migrations.RemoveField(
            model_name='webhookdelivery',
            name='event',
        ),
        migrations.DeleteModel(
            name='ApiKey',
        ),
        migrations.DeleteModel(
            name='WebhookAttempt',
        ),
        migrations.DeleteModel(
            name='WebhookEndpoint',
        ),
        migrations.DeleteModel(
            name='WebhookDelivery',
        ),
        migrations.DeleteModel(
            name='WebhookEvent',
        ),
                ],
            database_operations=[],
        ),
    ]

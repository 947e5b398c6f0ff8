"""The partner models, taken over from the library app (label "s4c", its 0008) with their tables as
they are: state only. Their content types follow them, so the permissions given to groups and the
admin's history stay attached."""

import django.db.models.deletion
import partners.models
from django.conf import settings
from django.db import migrations, models


MOVED = [
    "apikey",
    "capturedrow",
    "changeevent",
    "feedepoch",
    "publicstate",
    "webhookattempt",
    "webhookdelivery",
    "webhookendpoint",
    "webhookevent",
]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db)
        .filter(app_label="partners", model__in=MOVED)
        .values_list("model", flat=True)
    )
    ContentType.objects.using(db).filter(app_label="s4c", model__in=set(MOVED) - taken).update(
        app_label="partners"
    )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="partners", model__in=MOVED
    ).update(app_label="s4c")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("s4c", "0008_partner_models_move_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='CapturedRow',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('table_name', models.CharField(max_length=63)),
                ('data', models.JSONField()),
            ],
            options={
                'db_table': 's4c_capturedrow',
            },
        ),
        migrations.CreateModel(
            name='FeedEpoch',
            fields=[
                ('number', models.PositiveIntegerField(primary_key=True, serialize=False)),
                ('started_at', models.DateTimeField()),
                ('restored_from', models.DateTimeField(blank=True, help_text='When the backup this epoch was restored from was taken.', null=True)),
            ],
            options={
                'db_table': 's4c_feedepoch',
                'ordering': ['number'],
            },
        ),
        migrations.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'pending'), ('delivered', 'delivered'), ('failed', 'given up')], default='pending', max_length=10, verbose_name='status')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='attempts')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
            ],
            options={
                'verbose_name': 'webhook delivery',
                'verbose_name_plural': 'webhook deliveries',
                'db_table': 's4c_webhookdelivery',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('organisation', models.CharField(max_length=200, verbose_name='partner organisation')),
                ('url', models.URLField(max_length=500, verbose_name='URL')),
                ('secret', models.CharField(default=partners.models._webhook_secret, help_text='Shared with the partner, who checks the X-S4C-Signature header with it. At least 32 characters.', max_length=200, verbose_name='signing secret')),
                ('kinds', models.JSONField(blank=True, default=list, help_text='The kinds of object whose changes are sent; none selected means all.', verbose_name='kinds of object')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
            ],
            options={
                'verbose_name': 'webhook endpoint',
                'verbose_name_plural': 'webhook endpoints',
                'db_table': 's4c_webhookendpoint',
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='WebhookEvent',
            fields=[
                ('id', models.UUIDField(editable=False, primary_key=True, serialize=False)),
                ('kind', models.CharField(max_length=40, verbose_name='kind')),
                ('object_id', models.CharField(max_length=100, verbose_name='object')),
                ('action', models.CharField(choices=[('upsert', 'upsert'), ('delete', 'delete')], max_length=8, verbose_name='action')),
                ('changed_at', models.DateTimeField(verbose_name='changed')),
                ('cursor', models.BigIntegerField(verbose_name='change feed cursor')),
            ],
            options={
                'verbose_name': 'webhook event',
                'verbose_name_plural': 'webhook events',
                'db_table': 's4c_webhookevent',
                'ordering': ['cursor'],
            },
        ),
        migrations.CreateModel(
            name='ApiKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('organisation', models.CharField(max_length=200, verbose_name='partner organisation')),
                ('contact', models.CharField(blank=True, help_text='Name and e-mail address of the person responsible at the partner.', max_length=200, verbose_name='contact')),
                ('prefix', models.CharField(db_index=True, editable=False, max_length=12, verbose_name='prefix')),
                ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last used')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked')),
                ('created_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
            ],
            options={
                'verbose_name': 'API key',
                'verbose_name_plural': 'API keys',
                'db_table': 's4c_apikey',
                'ordering': ['-created_at', '-id'],
                'permissions': [('manage_partner_access', 'Can manage partner API keys and webhooks')],
            },
        ),
        migrations.CreateModel(
            name='ChangeEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40)),
                ('object_id', models.CharField(max_length=100)),
                ('action', models.CharField(choices=[('upsert', 'upsert'), ('delete', 'delete')], max_length=8)),
                ('changed_at', models.DateTimeField()),
            ],
            options={
                'db_table': 's4c_changeevent',
                'ordering': ['id'],
                'indexes': [models.Index(fields=['kind', 'object_id'], name='s4c_changee_kind_9e0dfe_idx')],
            },
        ),
        migrations.CreateModel(
            name='PublicState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=40)),
                ('object_id', models.CharField(max_length=100)),
                ('content_hash', models.CharField(max_length=64)),
                ('updated_at', models.DateTimeField()),
                ('deleted', models.BooleanField(default=False)),
            ],
            options={
                'db_table': 's4c_publicstate',
                'indexes': [models.Index(fields=['kind', 'updated_at'], name='public_state_kind_updated')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='public_state_once')],
            },
        ),
        migrations.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='attempt')),
                ('attempted_at', models.DateTimeField(verbose_name='time')),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='status code')),
                ('error', models.CharField(blank=True, max_length=500, verbose_name='error')),
                ('duration_ms', models.PositiveIntegerField(verbose_name='duration (ms)')),
                ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempt_log', to='partners.webhookdelivery', verbose_name='webhook delivery')),
            ],
            options={
                'verbose_name': 'delivery attempt',
                'verbose_name_plural': 'delivery attempts',
                'db_table': 's4c_webhookattempt',
                'ordering': ['delivery', 'number'],
            },
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='endpoint',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='partners.webhookendpoint', verbose_name='webhook endpoint'),
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='partners.webhookevent', verbose_name='event'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['status', 'next_attempt_at'], name='s4c_webhook_status_60158f_idx'),
        ),
        migrations.AddConstraint(
            model_name='webhookdelivery',
            constraint=models.UniqueConstraint(fields=('event', 'endpoint'), name='webhook_delivery_once'),
        ),
                ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

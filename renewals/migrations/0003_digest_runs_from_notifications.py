"""The monthly renewal e-mail's runs move from notifications to renewals (notifications is a
leaf now). The table stays where it is: only Django's state moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0010_letters_from_notifications'),
        ('renewals', '0002_order_prices'),
        ('notifications', '0004_letters_to_contracts'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='DigestRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text="First day of the month, in the reseller's zone.")),
                ('on', models.DateField(blank=True, null=True, verbose_name='listed as of')),
                ('status', models.CharField(choices=[('pending', 'waiting to run'), ('queued', 'e-mails queued'), ('sent', 'sent'), ('skipped', 'skipped'), ('failed', 'failed')], default='pending', max_length=10)),
                ('reason', models.TextField(blank=True)),
                ('expired', models.PositiveIntegerField(default=0, verbose_name='expired recently')),
                ('due', models.PositiveIntegerField(default=0, verbose_name='due for renewal')),
                ('recipients', models.PositiveIntegerField(default=0)),
                ('email_key_prefix', models.CharField(max_length=80)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('reseller', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='digest_runs', to='contracts.reseller')),
            ],
            options={
                'db_table': 'notifications_digestrun',
                'ordering': ['-month', 'reseller__name'],
                'indexes': [models.Index(fields=['month', 'status'], name='notificatio_month_078171_idx')],
                'constraints': [models.UniqueConstraint(fields=('reseller', 'month'), name='digest_run_per_month')],
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]

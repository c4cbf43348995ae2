from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Campaign managers"
# What a campaign manager may do: enter the admin, see the appeals (and so their entries
# in Wagtail's audit log, which shows a model's entries to those with a permission on it),
# and every right of the campaign desk.
PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("appeals", "view_appeal"),
    ("appeals", "view_signature"),
    ("appeals", "export_signature"),
    ("appeals", "erase_signer"),
    ("appeals", "deliver_signature"),
]


def create_campaign_managers(apps, schema_editor):
    # Permissions are otherwise created after the last migration: make this app's now
    # (wagtailadmin's own migration 0001 created access_admin.)
    app_config = apps.get_app_config("appeals")
    # create_permissions passes over an app without a models module, as migration
    # states' apps are: Django's documented way round it.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_campaign_managers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("appeals", "0005_counts_folded_periodically"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="signature",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("export_signature", "Can export signatures"),
                    ("erase_signer", "Can erase a signer's signatures"),
                    ("deliver_signature", "Can deliver signatures to the authorities"),
                ],
                "verbose_name": "signature",
                "verbose_name_plural": "signatures",
            },
        ),
        migrations.RunPython(create_campaign_managers, remove_campaign_managers),
    ]

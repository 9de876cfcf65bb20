"""Create the district-staff and chain-staff groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy of stations.roles.ROLE_PERMISSIONS at the time of writing; create_staff re-applies the
# current list, so later additions do not need a migration.
ROLE_PERMISSIONS = {
    "district_staff": (
        "add_station",
        "change_station",
        "delete_station",
        "view_station",
        "view_historicalstation",
        "view_operator",
        "view_district",
    ),
    "chain_staff": (
        "add_station",
        "change_station",
        "delete_station",
        "view_station",
        "view_historicalstation",
        "view_operator",
        "view_district",
    ),
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure this app's exist now.
    app_config = apps.get_app_config("stations")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="stations", codename__in=codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0003_issue5_history_verification"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

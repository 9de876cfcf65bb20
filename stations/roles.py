"""Staff roles: the Django groups that carry each role's model permissions.

The scope (which districts, which operator) lives on the user; the group says what the role may
do at all. Scoping itself is in stations/scoping.py.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

DISTRICT_STAFF = "district_staff"
CHAIN_STAFF = "chain_staff"

LABELS = {DISTRICT_STAFF: _("District staff"), CHAIN_STAFF: _("Chain staff")}

# "app_label.codename" for each role. Both roles keep their own stations' listings true; they may
# look up operators and districts (for the station form) but not change them.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    DISTRICT_STAFF: (
        "stations.add_station",
        "stations.change_station",
        "stations.delete_station",
        "stations.view_station",
        "stations.view_historicalstation",
        "stations.view_operator",
        "stations.view_district",
    ),
    CHAIN_STAFF: (
        "stations.add_station",
        "stations.change_station",
        "stations.delete_station",
        "stations.view_station",
        "stations.view_historicalstation",
        "stations.view_operator",
        "stations.view_district",
    ),
}


def groups_ensure() -> dict[str, Group]:
    """Create or update each role's group so it holds exactly the role's permissions."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
        groups[name] = group
    return groups

"""Who may see and change what: one place for every staff scope check.

Platform administrators (superusers, or holders of ``stations.manage_all_stations``) see
everything. District staff (``user.districts``) see rows of their districts only; chain staff
(``user.operator``) see their operator's rows only; an account with both sees the intersection.
A staff account with neither sees no station at all: scope fails closed.

The same rules serve the admin (``ScopedAdminMixin``), services and any scoped API, so a
model joined to a station, district or operator only has to say by which path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import District, Operator, Station

MANAGE_ALL = "stations.manage_all_stations"


@dataclass(frozen=True)
class Scope:
    """A user's reach: everything, or limited by district ids and/or one operator id."""

    everything: bool
    district_ids: frozenset[int] = frozenset()
    operator_id: int | None = None

    @property
    def limited_by_district(self) -> bool:
        return not self.everything and bool(self.district_ids)

    @property
    def limited_by_operator(self) -> bool:
        return not self.everything and self.operator_id is not None

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.district_ids and self.operator_id is None


def scope_of(user: Any) -> Scope:
    """Work out (once per user object) how far this user reaches."""
    cached = getattr(user, "_waystation_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        scope = Scope(everything=False)
    elif user.is_superuser or user.has_perm(MANAGE_ALL):
        scope = Scope(everything=True)
    else:
        scope = Scope(
            everything=False,
            district_ids=frozenset(user.districts.values_list("pk", flat=True)),
            operator_id=user.operator_id,
        )
    user._waystation_scope = scope
    return scope


def scope_q(user: Any, *, district_path: str | None, operator_path: str | None) -> Q | None:
    """Return the filter for rows in the user's scope (None means no limit).

    ``district_path`` / ``operator_path`` are ORM paths from the model to its district and
    operator (``"district"``, ``"station__district"``); None when the model has no such link,
    in which case a user limited that way sees none of its rows.
    """
    scope = scope_of(user)
    if scope.everything:
        return None
    if scope.nothing:
        return Q(pk__in=[])
    q = Q()
    if scope.limited_by_district:
        if district_path is None:
            return Q(pk__in=[])
        q &= Q(**{f"{district_path}__in": sorted(scope.district_ids)})
    if scope.limited_by_operator:
        if operator_path is None:
            return Q(pk__in=[])
        q &= Q(**{f"{operator_path}": scope.operator_id})
    return q


def _related_id(obj: Model, path: str | None) -> Any:
    if path is None:
        return None
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def in_scope(user: Any, obj: Model, *, district_path: str | None, operator_path: str | None) -> bool:
    """Tell whether one row (as it is in memory) lies inside the user's scope."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if scope.nothing:
        return False
    if scope.limited_by_district and _related_id(obj, district_path) not in scope.district_ids:
        return False
    return not (scope.limited_by_operator and _related_id(obj, operator_path) != scope.operator_id)


def stations_visible_to(user: Any, queryset: QuerySet[Station] | None = None) -> QuerySet[Station]:
    """Return the stations this user may see and change."""
    queryset = Station.objects.all() if queryset is None else queryset
    q = scope_q(user, district_path="district", operator_path="operator")
    return queryset if q is None else queryset.filter(q)


def can_manage_station(user: Any, station: Station) -> bool:
    """Tell whether this user may see and change this station."""
    return in_scope(user, station, district_path="district", operator_path="operator")


def districts_visible_to(user: Any, queryset: QuerySet[District] | None = None) -> QuerySet[District]:
    """Return the districts this user may pick: district staff their own, others all."""
    queryset = District.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if scope.nothing:
        return queryset.none()
    if scope.limited_by_district:
        return queryset.filter(pk__in=sorted(scope.district_ids))
    return queryset


def operators_visible_to(user: Any, queryset: QuerySet[Operator] | None = None) -> QuerySet[Operator]:
    """Return the operators this user may pick: chain staff their own, others all."""
    queryset = Operator.objects.all() if queryset is None else queryset
    scope = scope_of(user)
    if scope.nothing:
        return queryset.none()
    if scope.limited_by_operator:
        return queryset.filter(pk=scope.operator_id)
    return queryset


class ScopedAdminMixin:
    """Limit a ModelAdmin to the request user's scope: lists, objects, choices, actions, history.

    Set ``scope_district_path`` / ``scope_operator_path`` to the model's paths (None when the
    model has no such link). Querysets are filtered, so the changelist, search, autocomplete,
    actions (which run on ``get_queryset()``), exports and history all inherit the scope;
    object permissions re-check the row; foreign-key choices for districts and operators are
    limited to what the user may pick.
    """

    scope_district_path: str | None = "district"
    scope_operator_path: str | None = "operator"

    def scope_filter(self, request, queryset: QuerySet) -> QuerySet:
        q = scope_q(request.user, district_path=self.scope_district_path, operator_path=self.scope_operator_path)
        return queryset if q is None else queryset.filter(q)

    def obj_in_scope(self, request, obj: Model | None) -> bool:
        if obj is None:
            return True
        return in_scope(
            request.user, obj, district_path=self.scope_district_path, operator_path=self.scope_operator_path
        )

    def get_queryset(self, request):
        return self.scope_filter(request, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.obj_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.obj_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.obj_in_scope(request, obj)

    def get_scoped_object_or_404(self, request, object_id: Any) -> Model:
        """Fetch an object through the scoped queryset; out of scope looks like not found."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        direct = {self.scope_district_path: districts_visible_to, self.scope_operator_path: operators_visible_to}
        limit = direct.get(db_field.name)
        if limit is not None and "queryset" not in kwargs:
            kwargs["queryset"] = limit(request.user, db_field.remote_field.model._default_manager.all())
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        scope = scope_of(request.user)
        # A scoped row must stay inside the scope: district staff cannot leave the district empty.
        if field is not None and (
            (db_field.name == self.scope_district_path and scope.limited_by_district)
            or (db_field.name == self.scope_operator_path and scope.limited_by_operator)
        ):
            field.required = True
        return field


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A ModelAdmin already limited to the request user's scope."""

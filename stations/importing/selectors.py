"""Reads with logic for imports: who may import for which operator."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..models import Operator
from ..scoping import scope_of
from .models import ImportRun


def user_may_import_everywhere(user: Any) -> bool:
    """Platform administrators (superusers, manage_all_stations) import for any operator."""
    return scope_of(user).everything


def user_may_import(user: Any, operator_code: str) -> bool:
    """Platform administrators import for anyone; chain staff only for the operator on their account."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if scope.operator_id is None:
        return False  # district staff do not import a chain's outlets
    return Operator.objects.filter(pk=scope.operator_id, code=operator_code).exists()


def import_operators_for(user: Any) -> QuerySet[Operator]:
    """The operators this user may import for."""
    scope = scope_of(user)
    if scope.everything:
        return Operator.objects.order_by("name")
    return Operator.objects.filter(pk=scope.operator_id) if scope.operator_id else Operator.objects.none()


def import_runs_visible_to(user: Any) -> QuerySet[ImportRun]:
    """The import records a user may see: all for platform administrators, their operator's for chain staff."""
    runs = ImportRun.objects.select_related("operator", "user")
    scope = scope_of(user)
    if scope.everything:
        return runs
    if scope.operator_id:
        return runs.filter(operator_id=scope.operator_id)
    return runs.none()

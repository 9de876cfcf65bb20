"""Reads with logic for imports: who may import for which operator."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import ImportRun


def user_may_import(user: Any, operator_code: str) -> bool:
    """Superusers import for anyone; chain staff only for the operator on their account."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    operator = getattr(user, "operator", None)
    return operator is not None and operator.code == operator_code


def import_runs_visible_to(user: Any) -> QuerySet[ImportRun]:
    """The import records an admin user may see: all for superusers, their operator's for chain staff."""
    runs = ImportRun.objects.select_related("operator", "user")
    if user.is_superuser:
        return runs
    if getattr(user, "operator_id", None):
        return runs.filter(operator_id=user.operator_id)
    return runs.none()

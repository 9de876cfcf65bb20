"""Opening hours in OpenStreetMap `opening_hours` syntax, evaluated in Asia/Shanghai.

Parsing and evaluation are done by opening-hours-py (a maintained Rust parser);
this module only caches parsed expressions (a chain's 1,500 stores share one
string) and maps the parser's three states onto ours: open, closed, unknown.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from opening_hours import OpeningHours, State

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALWAYS = "24/7"


@lru_cache(maxsize=4096)
def parse(expression: str) -> OpeningHours:
    """Parse an expression once; raise ValueError (with the parser's message) if invalid."""
    try:
        # max_interval_days bounds the search for the next change on sparse expressions.
        return OpeningHours(expression, timezone=SHANGHAI, country="CN", max_interval_days=366)
    except Exception as exc:  # the parser raises its own ParserError and SyntaxError
        raise ValueError(str(exc)) from exc


def clean(expression: str | None) -> str:
    """Validate and tidy an expression; return "" for unknown hours.

    Expressions that mean "always open" (e.g. `Mo-Su 00:00-24:00`) are stored as `24/7`
    so the indexed 24-hour flag, derived from the stored text, sees them.
    """
    text = " ".join((expression or "").split())
    if not text:
        return ""
    try:
        oh = parse(text)
    except ValueError as exc:
        raise ValidationError(
            _("“%(value)s” is not valid OpenStreetMap opening_hours syntax (e.g. 24/7 or Mo-Fr 08:00-20:00)."),
            code="invalid_opening_hours",
            params={"value": text},
        ) from exc
    if text != ALWAYS and str(oh.normalize()) == ALWAYS:
        return ALWAYS
    return text


def local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("Opening hours need an aware datetime.")
    return moment.astimezone(SHANGHAI)


def state_at(expression: str, moment: dt.datetime) -> bool | None:
    """True open, False closed, None unknown (no hours, or the expression says unknown)."""
    if not expression:
        return None
    if expression == ALWAYS:
        return True
    state, _comment = parse(expression).state(local(moment))
    if state == State.OPEN:
        return True
    if state == State.CLOSED:
        return False
    return None


def next_change(expression: str, moment: dt.datetime) -> dt.datetime | None:
    """When the state changes next (in Asia/Shanghai), or None if never / unknown."""
    if not expression or expression == ALWAYS:
        return None
    try:
        changed = parse(expression).next_change(local(moment))
    except Exception:  # noqa: BLE001 - the parser may overflow on far-future dates
        return None
    if changed is None:
        return None
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=SHANGHAI)
    return changed

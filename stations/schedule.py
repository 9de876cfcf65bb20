"""Opening hours in words for riders: "Mon–Fri 07:00–23:00; Sat–Sun 08:00–22:00".

The wording comes from evaluating the expression over one week (opening-hours-py's
intervals), not from rewriting its syntax, so any valid expression reads correctly,
including overnight ranges and holidays, in the current language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from opening_hours import State

from . import hours

WEEKDAYS_SHORT = (
    pgettext_lazy("weekday", "Mon"),
    pgettext_lazy("weekday", "Tue"),
    pgettext_lazy("weekday", "Wed"),
    pgettext_lazy("weekday", "Thu"),
    pgettext_lazy("weekday", "Fri"),
    pgettext_lazy("weekday", "Sat"),
    pgettext_lazy("weekday", "Sun"),
)


@dataclass(frozen=True)
class DayHours:
    date: dt.date
    weekday: str  # translated short weekday
    ranges: tuple[str, ...]  # "07:00–23:00"; "00:00–24:00" for all day
    unknown: bool = False

    @property
    def text(self) -> str:
        if self.unknown:
            return _("hours unknown")
        if not self.ranges:
            return _("closed")
        if self.ranges == ("00:00–24:00",):
            return _("open 24 hours")
        return ", ".join(self.ranges)


def _weekday(day: dt.date) -> str:
    return str(WEEKDAYS_SHORT[day.weekday()])


def _hhmm(moment: dt.datetime, day: dt.date) -> str:
    if moment.date() > day:
        return "24:00"
    return moment.strftime("%H:%M")


def week(expression: str, start: dt.date) -> list[DayHours]:
    """The open ranges of each of the seven days from `start`, in Asia/Shanghai."""
    days = [start + dt.timedelta(days=i) for i in range(7)]
    if not expression:
        return [DayHours(d, _weekday(d), (), unknown=True) for d in days]
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=hours.SHANGHAI)
    end = begin + dt.timedelta(days=7)
    per_day: dict[dt.date, list[str]] = {d: [] for d in days}
    unknown: set[dt.date] = set()
    for lo, hi, state, _comment in hours.parse(expression).intervals(begin, end):
        lo, hi = lo.replace(tzinfo=hours.SHANGHAI), hi.replace(tzinfo=hours.SHANGHAI)
        # Split an interval at each midnight so an overnight range shows on both days.
        cursor = lo
        while cursor < hi:
            day = cursor.date()
            midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=hours.SHANGHAI)
            piece_end = min(hi, midnight)
            if day in per_day:
                if state == State.OPEN:
                    per_day[day].append(f"{_hhmm(cursor, day)}–{_hhmm(piece_end, day)}")
                elif state == State.UNKNOWN:
                    unknown.add(day)
            cursor = piece_end
    return [DayHours(d, _weekday(d), tuple(per_day[d]), unknown=d in unknown and not per_day[d]) for d in days]


def summary(expression: str, start: dt.date) -> list[str]:
    """Lines like "Mon–Fri 07:00–23:00", grouping days with the same hours, Monday first."""
    if not expression:
        return [_("Hours unknown")]
    if expression == hours.ALWAYS:
        return [_("Open 24 hours, every day")]
    monday = start - dt.timedelta(days=start.weekday())
    days = week(expression, monday)
    lines: list[str] = []
    group: list[DayHours] = []
    for day in [*days, None]:
        if group and (day is None or day.text != group[0].text):
            name = group[0].weekday if len(group) == 1 else f"{group[0].weekday}–{group[-1].weekday}"
            lines.append(f"{name} {group[0].text}")
            group = []
        if day is not None:
            group.append(day)
    return lines


def local_time(moment: dt.datetime | None) -> str:
    """A moment as Shanghai wall-clock time, e.g. 23:00, for "closes at 23:00"."""
    if moment is None:
        return ""
    return formats.time_format(hours.local(moment), "H:i")

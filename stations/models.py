from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import amenities, hours


class Operator(models.Model):
    """Who runs stations: a store chain, a union federation, a community network."""

    class Kind(models.TextChoices):
        CHAIN = "chain", _("Convenience-store chain")
        UNION = "union", _("Trade-union station")
        PARTY_COMMUNITY = "party_community", _("Party-and-community service station")
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        OTHER = "other", _("Other")

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short unique code used in imports and the API, e.g. familymart-sh."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """An administrative division identified by its GB/T 2260 code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province / municipality")
        CITY = "city", _("City")
        DISTRICT = "district", _("District / county")

    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("A GB/T 2260 code has six digits."))],
        help_text=_("Six-digit GB/T 2260 code, e.g. 310107 for Putuo District."),
    )
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.DISTRICT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # A representative point (the district government seat), for overviews and seeding.
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lng = models.FloatField(_("centre longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Station(models.Model):
    """A rest stop riders may use: a store, a union station, a community centre corner."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
        PERMANENTLY_CLOSED = "permanently_closed", _("Permanently closed")

    # No index of its own: the unique (operator, store_code) key leads with it. Every index costs
    # every bulk import, so none is kept that another index already covers.
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="stations", db_index=False
    )
    store_code = models.CharField(
        _("store code"),
        max_length=64,
        help_text=_("The operator's own id for this station; unique within the operator."),
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
        db_index=False,  # station_district_idx (district, id) leads with it
    )
    lat = models.FloatField(
        _("latitude"),
        validators=[MinValueValidator(-90.0), MaxValueValidator(90.0)],
        help_text=_("WGS-84 decimal degrees (GPS / OpenStreetMap), not Amap or Baidu coordinates."),
    )
    lng = models.FloatField(
        _("longitude"),
        validators=[MinValueValidator(-180.0), MaxValueValidator(180.0)],
        help_text=_("WGS-84 decimal degrees (GPS / OpenStreetMap), not Amap or Baidu coordinates."),
    )
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=255,
        blank=True,
        help_text=_(
            "OpenStreetMap opening_hours syntax: 24/7, Mo-Fr 08:00-20:00; Sa,Su 09:00-18:00, "
            "22:00-06:00 for overnight. Leave empty if unknown — it is then never shown as open."
        ),
    )
    # Derived by the database from the stored text, so bulk writes can never leave it stale.
    is_24_7 = models.GeneratedField(
        expression=models.Case(
            models.When(opening_hours=hours.ALWAYS, then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("open 24 hours"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_until = models.DateField(
        _("closed until"),
        null=True,
        blank=True,
        help_text=_("For a temporary closure: the day it reopens. Empty means until further notice."),
    )
    amenity_mask = models.PositiveIntegerField(_("amenities"), default=0, help_text=_("What riders find here."))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(
        _("source"),
        max_length=100,
        help_text=_("Where this listing comes from: staff, an operator import, demo data…"),
        default="staff",
    )
    last_verified_at = models.DateTimeField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_("When someone last confirmed this listing on the ground or with the operator."),
    )
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The staff member who last confirmed this listing."),
        db_index=False,  # a partial index below: most stations were never verified by a named user
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Who changed which field from what to what; is_24_7 is derived by the database, so not copied.
    # History is looked up by station (id) and date only; its other indexes would only slow imports.
    history = HistoricalRecords(
        excluded_fields=["is_24_7"],
        verbose_name=_("historical station"),
        no_db_index=["operator", "district", "last_verified_by"],
    )

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["id"]
        permissions = [
            # Platform administrators who are not superusers: no district or operator limit.
            ("manage_all_stations", _("Can manage stations of every district and operator")),
        ]
        constraints = [
            # Natural key for imports and re-syncs.
            models.UniqueConstraint(fields=["operator", "store_code"], name="station_operator_store_code_uniq"),
            models.CheckConstraint(condition=Q(lat__gte=-90) & Q(lat__lte=90), name="station_lat_range"),
            models.CheckConstraint(condition=Q(lng__gte=-180) & Q(lng__lte=180), name="station_lng_range"),
            models.CheckConstraint(
                condition=Q(closed_until__isnull=True) | Q(status="temporarily_closed"),
                name="station_closed_until_only_when_temporarily_closed",
            ),
            models.CheckConstraint(condition=~Q(store_code=""), name="station_store_code_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "temporarily_closed", "permanently_closed"]),
                name="station_status_valid",
            ),
        ]
        indexes = [
            # Nearest search and bbox listing: a latitude band, then longitude inside the index.
            models.Index(fields=["lat", "lng"], name="station_lat_lng_idx"),
            # The "open all night" nearest search: same band, only round-the-clock stations.
            # Partial: only round-the-clock rows pay for this index on every write.
            models.Index(fields=["lat", "lng"], name="station_24_7_lat_lng_idx", condition=Q(is_24_7=True)),
            # District listings in the API and admin.
            models.Index(fields=["district", "id"], name="station_district_idx"),
            # The admin's stale / fresh / never-verified filter and its "last verified" sort; the
            # admin appends "-pk" to every ordering, so the index carries it to avoid a full sort.
            models.Index(fields=["last_verified_at", "-id"], name="station_last_verified_idx"),
            # The admin's search by store code across operators (the unique key leads with operator).
            models.Index(fields=["store_code"], name="station_store_code_idx"),
            # Deleting a user clears their stations' last_verified_by (SET_NULL); only set values need finding.
            models.Index(
                fields=["last_verified_by"],
                name="station_verified_by_idx",
                condition=Q(last_verified_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, object] = {}
        try:
            self.opening_hours = hours.clean(self.opening_hours)
        except ValidationError as exc:
            errors["opening_hours"] = exc
        if self.closed_until and self.status != self.Status.TEMPORARILY_CLOSED:
            errors["closed_until"] = _("Only a temporarily closed station has a reopening date.")
        # Six decimals is about 0.1 m; more is noise from a conversion.
        if self.lat is not None:
            self.lat = round(self.lat, 6)
        if self.lng is not None:
            self.lng = round(self.lng, 6)
        if errors:
            raise ValidationError(errors)

    @property
    def amenities(self) -> list[str]:
        return amenities.from_mask(self.amenity_mask)

    def is_closed_by_status(self, moment: dt.datetime) -> bool:
        """Tell whether the station's status shuts it at this moment, whatever its hours."""
        return closed_by_status(self.status, self.closed_until, moment)

    def is_open_at(self, moment: dt.datetime | None = None) -> bool | None:
        """True open, False closed, None unknown — evaluated in Asia/Shanghai."""
        return open_state(self.status, self.closed_until, self.opening_hours, moment or timezone.now())

    def next_change_after(self, moment: dt.datetime | None = None) -> dt.datetime | None:
        """When the open/closed state changes next, for "closes at / opens at" labels."""
        moment = moment or timezone.now()
        if self.status == self.Status.PERMANENTLY_CLOSED:
            return None
        if self.is_closed_by_status(moment):
            if self.closed_until is None:
                return None
            return dt.datetime.combine(self.closed_until, dt.time.min, tzinfo=hours.SHANGHAI)
        return hours.next_change(self.opening_hours, moment)


def closed_by_status(status: str, closed_until: dt.date | None, moment: dt.datetime) -> bool:
    """Tell whether a status shuts a station at `moment`; a closure ends on its reopening day."""
    if status == Station.Status.PERMANENTLY_CLOSED:
        return True
    if status == Station.Status.TEMPORARILY_CLOSED:
        return closed_until is None or hours.local(moment).date() < closed_until
    return False


def open_state(status: str, closed_until: dt.date | None, opening_hours: str, moment: dt.datetime) -> bool | None:
    """Open (True), closed (False) or unknown (None) from a station's stored columns."""
    if closed_by_status(status, closed_until, moment):
        return False
    return hours.state_at(opening_hours, moment)


# Import records live in their own module; importing them here registers them with the app.
from .importing.models import ImportRun, StationImportState  # noqa: E402, F401

"""Import records and per-station snapshots of what the last import wrote.

Imported from stations/models.py so Django registers them under the stations app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of an operator's spreadsheet: who, when, which file, with what options and outcome."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed, awaiting confirmation")
        RUNNING = "running", _("Running")
        DRY_RUN = "dry_run", _("Dry run (nothing written)")
        SUCCEEDED = "succeeded", _("Imported")
        REJECTED = "rejected", _("Rejected: invalid rows")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        COMMAND = "command", _("Command line")
        ADMIN = "admin", _("Admin upload")
        API = "api", _("API")

    operator = models.ForeignKey(
        "stations.Operator", verbose_name=_("operator"), on_delete=models.PROTECT, related_name="import_runs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
    )
    source = models.CharField(_("started from"), max_length=10, choices=Source.choices)
    # Kept in Django's default storage so any app server can confirm a preview another one made.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    options = models.JSONField(_("options"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(_("counts"), default=dict)
    report = models.JSONField(_("report"), default=dict, help_text=_("Errors, warnings, changes and conflicts."))
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # When it last began to run: at upload for the command and the API, at confirm in the admin.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("station import")
        verbose_name_plural = _("station imports")
        ordering = ["-created_at"]
        indexes = [
            # The admin's list, newest first, filtered by the chain staff's operator.
            models.Index(fields=["operator", "-created_at"], name="importrun_operator_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.file_name


class StationImportState(models.Model):
    """What the last import wrote to a station, to tell staff edits from file changes."""

    station = models.OneToOneField(
        "stations.Station",
        verbose_name=_("station"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="import_state",
    )
    run = models.ForeignKey(
        ImportRun, verbose_name=_("last import"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(_("imported values"), default=dict)

    class Meta:
        verbose_name = _("station import state")
        verbose_name_plural = _("station import states")

    def __str__(self) -> str:
        return str(self.station_id)

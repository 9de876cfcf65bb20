from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers: 11 digits starting with 1; an optional +86 is stripped before saving.
phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number."))


class User(AbstractUser):
    """An account: a rider (signs up by phone), district or chain staff, or an administrator."""

    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        blank=True,
        null=True,
        unique=True,
        validators=[phone_validator],
        help_text=_("Riders sign in with this number. Leave empty for staff without one."),
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    # Staff scope. District staff see and change their districts only; chain staff one operator's
    # outlets only. Both empty on a staff account means no station access beyond its permissions.
    districts = models.ManyToManyField(
        "stations.District",
        verbose_name=_("districts"),
        blank=True,
        related_name="staff",
        help_text=_("District staff: the districts whose stations, reports and riders this account manages."),
    )
    operator = models.ForeignKey(
        "stations.Operator",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("Chain staff: the operator whose outlets this account manages and imports."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username

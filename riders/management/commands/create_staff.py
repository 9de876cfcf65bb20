from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from stations.models import District, Operator
from stations.roles import CHAIN_STAFF, DISTRICT_STAFF, groups_ensure


class Command(BaseCommand):
    help = (
        "Create or update a staff account scoped to districts (--district, repeatable) or to one "
        "operator's outlets (--operator). Prints how to set its password, or reads one with --password-stdin."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--district",
            action="append",
            default=[],
            metavar="CODE",
            help="GB/T 2260 code of a district this account manages (repeat for several).",
        )
        parser.add_argument("--operator", metavar="CODE", help="Code of the operator whose outlets it manages.")
        parser.add_argument("--email", default=None)
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from the first line of standard input."
        )

    def handle(self, *args, username: str, district: list[str], operator: str | None, **options) -> None:
        if not district and not operator:
            raise CommandError("Give --district CODE (one or more) or --operator CODE.")
        if district and operator:
            raise CommandError("Give either --district or --operator, not both: a staff account has one role.")
        districts = self._districts(district)
        operator_obj = self._operator(operator) if operator else None
        password = None
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin read an empty password.")

        User = get_user_model()
        with transaction.atomic():
            groups = groups_ensure()
            user, created = User.objects.get_or_create(username=username)
            if user.is_superuser:
                raise CommandError(f"{username} is a platform administrator; scope it in the admin instead.")
            user.is_staff = True
            if options["email"] is not None:
                user.email = options["email"]
            user.operator = operator_obj
            if password is not None:
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise CommandError("Password rejected: " + " ".join(exc.messages)) from exc
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.save()
            user.districts.set(districts)
            role, other = (CHAIN_STAFF, DISTRICT_STAFF) if operator_obj else (DISTRICT_STAFF, CHAIN_STAFF)
            user.groups.remove(groups[other])
            user.groups.add(groups[role])

        if options["verbosity"]:
            scope = (
                f"operator {operator_obj.code}" if operator_obj else "districts " + ", ".join(d.code for d in districts)
            )
            verb = "Created" if created else "Updated"
            self.stdout.write(self.style.SUCCESS(f"{verb} staff account {username} ({role}, {scope})."))
            if password is None:
                self.stdout.write(f"Set its password with: python manage.py changepassword {username}")

    def _districts(self, codes: list[str]) -> list[District]:
        found = {d.code: d for d in District.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError(
                f"Unknown district code(s): {', '.join(missing)}. Load them with load_districts, or check the code."
            )
        return [found[code] for code in dict.fromkeys(codes)]

    def _operator(self, code: str) -> Operator:
        try:
            return Operator.objects.get(code=code)
        except Operator.DoesNotExist as exc:
            raise CommandError(f"Unknown operator code: {code}.") from exc

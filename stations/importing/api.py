"""POST /api/v1/operators/{code}/imports/ — chain systems push their outlet list."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..crs import CRS_CHOICES
from ..models import Operator
from .errors import FileProblem
from .models import ImportRun
from .pipeline import MODES, ImportOptions
from .reading import ENCODINGS, too_large
from .selectors import user_may_import, user_may_import_everywhere
from .services import import_run_create, import_run_execute


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX; headers on row 1."))
    crs = serializers.ChoiceField(choices=CRS_CHOICES, default="wgs84", help_text=_("Coordinate system of the file."))
    encoding = serializers.ChoiceField(choices=ENCODINGS, default="auto")
    mode = serializers.ChoiceField(
        choices=MODES, default="upsert", help_text=_("sync also closes your stations the file no longer lists.")
    )
    dry_run = serializers.BooleanField(default=False, help_text=_("Check and report; write nothing."))
    skip_invalid = serializers.BooleanField(
        default=False, help_text=_("Import the valid rows even if some are invalid.")
    )
    overwrite_conflicts = serializers.BooleanField(
        default=False, help_text=_("Let the file win over fields staff edited since the last import.")
    )

    def validate_file(self, value):
        if problem := too_large(value.size):
            raise serializers.ValidationError(problem)
        return value


class ImportView(APIView):
    """Import an operator's outlets; returns the import report (the same as the admin preview)."""

    # Token first, so a request without credentials gets 401 with a WWW-Authenticate header.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Dry run: the report; nothing written."),
            201: OpenApiResponse(OpenApiTypes.OBJECT, description="Imported: the report."),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad options, unreadable file, or invalid rows."),
        },
    )
    def post(self, request: Request, code: str) -> Response:
        operator = get_object_or_404(Operator, code=code) if user_may_import_everywhere(request.user) else None
        if operator is None:
            if not user_may_import(request.user, code):
                raise PermissionDenied(_("This account may import only its own operator's stations."))
            operator = get_object_or_404(Operator, code=code)
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data.pop("file")
        options = ImportOptions(**data)
        run = import_run_create(
            operator=operator,
            user=request.user,
            source=ImportRun.Source.API,
            binary=upload,
            file_name=upload.name,
            options=options,
            keep_file=True,
        )
        try:
            report = import_run_execute(run=run, binary=upload, options=options)
        except FileProblem as exc:
            return Response({"file": [str(exc)], "import_id": run.pk}, status=status.HTTP_400_BAD_REQUEST)
        run.refresh_from_db(fields=["status"])
        body = {"import_id": run.pk, "status": run.status, **report.as_dict()}
        if options.dry_run:
            return Response(body, status=status.HTTP_200_OK)
        if not report.written:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(body, status=status.HTTP_201_CREATED)

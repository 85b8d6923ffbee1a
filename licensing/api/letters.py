"""Confirmation letters seen from outside after-sales: the PDF download and the public check.

They live in licensing because the PDF layout does; the reads come from aftersales.selectors.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.selectors import letter_verification, letters_visible_to
from config.errors import NotFound
from config.ids import parse_id
from licensing.api.licences import PDFRenderer
from licensing.api.verify import PublicCheckView, public_check_page
from licensing.services.confirmation_letter import confirmation_letter_pdf

TEMPLATE = "licensing/verify_letter.html"


class ConfirmationLetterPdfView(APIView):
    """GET /api/v1/confirmation-letters/<id>/letter.pdf for those who may see the letter."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        operation_id="confirmation_letters_pdf",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: str) -> HttpResponse:
        letter_id = parse_id(pk)
        letter = (
            letters_visible_to(request.user).filter(pk=letter_id).first() if letter_id else None
        )
        if letter is None:
            raise NotFound(_("No such confirmation letter."))
        response = HttpResponse(confirmation_letter_pdf(letter), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letter-{letter.number}.pdf"'
        return response


class LetterVerificationSerializer(serializers.Serializer):
    """The public answer: these fields and no others."""

    number = serializers.CharField()
    status = serializers.CharField()
    revoked_on = serializers.DateField(allow_null=True)
    vin = serializers.CharField()
    brand = serializers.CharField()
    model = serializers.CharField()
    destination = serializers.CharField()
    issuer = serializers.CharField()
    outlet_name = serializers.CharField()
    outlet_city = serializers.CharField()
    outlet_phone = serializers.CharField()


class VerifyLetterView(PublicCheckView):
    """GET /api/v1/verify/letter/<number>/: is this letter genuine, and is it in force?"""

    @extend_schema(responses=LetterVerificationSerializer, auth=[])
    def get(self, request: Request, number: str) -> Response:
        return Response(LetterVerificationSerializer(letter_verification(number)).data)


@require_safe
def letter_verify_page(request: HttpRequest, number: str) -> HttpResponse:
    """The public page a letter's QR code points to."""
    return public_check_page(
        request, number, template=TEMPLATE, find=letter_verification, as_="letter"
    )

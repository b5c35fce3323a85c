"""REST API of bulletins, mounted under /api/v1/."""

from __future__ import annotations

import django_filters
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from upgrades import selectors
from upgrades.models import Bulletin


class BulletinSerializer(serializers.ModelSerializer):
    product = serializers.CharField(source="release.product.name")
    release = serializers.CharField(source="release.version")

    class Meta:
        model = Bulletin
        fields = ["id", "product", "release", "title", "text", "published_at"]
        read_only_fields = fields


class BulletinFilter(django_filters.FilterSet):
    product = django_filters.CharFilter(field_name="release__product__name", lookup_expr="iexact")

    class Meta:
        model = Bulletin
        fields = ["product"]


@extend_schema_view(get=extend_schema(summary="Published product bulletins"))
class BulletinList(generics.ListAPIView):
    """Published product bulletins, newest first (every signed-in user may read them)."""

    serializer_class = BulletinSerializer
    filterset_class = BulletinFilter
    queryset = selectors.bulletin_list()  # not reseller data: no tenancy to apply


urlpatterns = [path("bulletins/", BulletinList.as_view(), name="bulletin-list")]

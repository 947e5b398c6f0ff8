from django.urls import reverse
from rest_framework import serializers

from core.api.base import ApiModelSerializer, BilingualField, HtmlUrlField
from learning.models import Cohort, Commitment, Phase, ProgressUpdate, Session, Speaker


class PhaseSerializer(serializers.ModelSerializer):
    name = BilingualField()
    city = BilingualField()
    country = serializers.SerializerMethodField()

    class Meta:
        model = Phase
        fields = ["name", "mode", "start_date", "end_date", "city", "country", "time_zone"]

    def get_country(self, obj) -> str | None:
        return obj.country.code or None


class CohortSerializer(ApiModelSerializer):
    id = serializers.CharField(source="slug", read_only=True)
    name = BilingualField()
    description = BilingualField()
    html_url = HtmlUrlField()
    phases = PhaseSerializer(many=True, read_only=True)

    class Meta:
        model = Cohort
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "description",
            "year",
            "status",
            "applications_open_at",
            "applications_close_at",
            "phases",
            "created_at",
            "updated_at",
        ]
        api_basename, api_lookup = "cohort", "slug"


class SessionSerializer(ApiModelSerializer):
    title = BilingualField()
    description = BilingualField()
    html_url = HtmlUrlField()
    cohort = serializers.CharField(source="cohort.slug", read_only=True)
    speakers = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "url",
            "html_url",
            "cohort",
            "kind",
            "title",
            "description",
            "date",
            "starts_at",
            "ends_at",
            "languages",
            "interpretation",
            "speakers",
            "partners",
            "recording_url",
            "cancelled",
            "created_at",
            "updated_at",
        ]
        api_basename = "session"

    def get_speakers(self, obj) -> list[dict]:
        return [
            {"speaker": link.speaker.slug, "role": link.role} for link in obj.speaker_links.all()
        ]

    def get_partners(self, obj) -> list[str]:
        return sorted(org.slug for org in obj.partners.all())


class SpeakerSerializer(ApiModelSerializer):
    id = serializers.CharField(source="slug", read_only=True)
    # The speakers' page, at the speaker's entry.
    html_url = HtmlUrlField(path=lambda obj: f"{reverse('learning:speakers')}#speaker-{obj.slug}")
    name = BilingualField()
    role = BilingualField()
    bio = BilingualField()
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = Speaker
        fields = [
            "id",
            "url",
            "html_url",
            "name",
            "role",
            "bio",
            "organisation",
            "created_at",
            "updated_at",
        ]
        api_basename, api_lookup = "speaker", "slug"

    def get_organisation(self, obj) -> str | None:
        return obj.organisation.slug if obj.organisation else None


class ProgressUpdateSerializer(serializers.ModelSerializer):
    text = BilingualField()
    status = serializers.CharField(source="light", read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["date", "status", "text"]


class CommitmentSerializer(ApiModelSerializer):
    """No personal data: the owner is never part of the representation."""

    # The commitments' page, at the commitment's entry.
    html_url = HtmlUrlField(
        path=lambda obj: f"{reverse('learning:commitments')}#commitment-{obj.pk}"
    )
    text = BilingualField()
    deliverable = BilingualField()
    cohort = serializers.CharField(source="cohort.slug", read_only=True)
    country = serializers.SerializerMethodField()
    progress = ProgressUpdateSerializer(source="updates", many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "url",
            "html_url",
            "cohort",
            "country",
            "text",
            "lever",
            "deliverable",
            "target_date",
            "light",
            "inactive",
            "progress",
            "created_at",
            "updated_at",
        ]
        api_basename = "commitment"

    def get_country(self, obj) -> str:
        return obj.country.code

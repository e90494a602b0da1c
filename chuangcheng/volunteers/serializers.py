"""API serializers: phones and ID numbers leave masked; writes go through the services."""

from rest_framework import serializers

from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area
from chuangcheng.volunteers.models import Activity, ActivityKind, Participation, Post, Team, Volunteer


class VolunteerSerializer(serializers.ModelSerializer):
    phone = serializers.CharField(source="phone_masked", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    id_verified = serializers.BooleanField(read_only=True)
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True, default=None)

    class Meta:
        model = Volunteer
        fields = (
            "id",
            "name",
            "phone",
            "id_masked",
            "id_verified",
            "skills",
            "unit",
            "unit_name",
            "area",
            "status",
            "joined_on",
            "note",
            "is_demo",
            "total_hours",
        )
        read_only_fields = fields


class VolunteerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    id_number = serializers.CharField(max_length=20, write_only=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)
    skills = serializers.CharField(max_length=200, required=False, allow_blank=True)
    joined_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TeamSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Team
        fields = ("id", "name", "unit", "unit_name", "leader", "members", "note", "is_demo")
        read_only_fields = fields


class ActivitySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id",
            "title",
            "kind",
            "unit",
            "unit_name",
            "area",
            "site",
            "place",
            "starts_at",
            "ends_at",
            "planned_headcount",
            "hours_cap",
            "code",
            "status",
            "description",
            "post",
            "shift",
            "is_demo",
        )
        read_only_fields = ("id", "code", "status", "post", "shift", "is_demo", "unit_name")


class ActivityInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    planned_headcount = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    hours_cap = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class ParticipationSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    effective_hours = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True)

    class Meta:
        model = Participation
        fields = (
            "id",
            "activity",
            "volunteer",
            "volunteer_name",
            "signed_up_at",
            "checked_in_at",
            "checked_out_at",
            "check_in_via",
            "hours",
            "corrected_hours",
            "correction_reason",
            "effective_hours",
        )
        read_only_fields = fields


class VolunteerRefSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField()
    at = serializers.DateTimeField(required=False, allow_null=True)


class CorrectionSerializer(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    reason = serializers.CharField(max_length=300)


class PostSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    shifts = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = (
            "id",
            "name",
            "kind",
            "unit",
            "unit_name",
            "location",
            "site",
            "area",
            "is_active",
            "is_demo",
            "shifts",
        )
        read_only_fields = fields

    def get_shifts(self, post) -> list[dict]:
        return [
            {
                "id": s.pk,
                "weekdays": s.weekdays,
                "start_time": s.start_time,
                "end_time": s.end_time,
                "headcount": s.headcount,
            }
            for s in post.shifts.all()
        ]

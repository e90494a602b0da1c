"""志愿服务: the volunteer registry (individuals, teams), activities with sign-up, sign-in/out and hours,
and 文明交通/文明劝导 posts whose shifts are activities."""

from chuangcheng.volunteers.models.activities import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CheckVia,
    Participation,
    Post,
    PostKind,
    PostShift,
)
from chuangcheng.volunteers.models.registry import Team, Volunteer, VolunteerStatus

__all__ = [
    "Activity",
    "ActivityKind",
    "ActivityStatus",
    "CheckVia",
    "Participation",
    "Post",
    "PostKind",
    "PostShift",
    "Team",
    "Volunteer",
    "VolunteerStatus",
]

from django.urls import path

from chuangcheng.volunteers.views import activities, posts, registry

app_name = "volunteers"
urlpatterns = [
    path("", registry.VolunteerListView.as_view(), name="volunteer_list"),
    path("new/", registry.VolunteerCreateView.as_view(), name="volunteer_create"),
    path("import/", registry.VolunteerImportView.as_view(), name="volunteer_import"),
    path("export.xlsx", registry.VolunteerExportView.as_view(), name="volunteer_export"),
    path("<int:pk>/", registry.VolunteerDetailView.as_view(), name="volunteer_detail"),
    path("<int:pk>/edit/", registry.VolunteerUpdateView.as_view(), name="volunteer_update"),
    path("teams/", registry.TeamListView.as_view(), name="team_list"),
    path("teams/new/", registry.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", registry.TeamDetailView.as_view(), name="team_detail"),
    path("activities/", activities.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", activities.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/check/", activities.ActivityCheckView.as_view(), name="activity_check"),
    path("activities/<int:pk>/action/", activities.ActivityActionView.as_view(), name="activity_action"),
    path("checkin/", activities.SelfCheckView.as_view(), name="self_check"),
    path("hours/", activities.HoursView.as_view(), name="hours"),
    path("posts/", posts.PostListView.as_view(), name="post_list"),
    path("posts/new/", posts.PostCreateView.as_view(), name="post_create"),
    path("posts/today/", posts.PostsTodayView.as_view(), name="posts_today"),
    path("posts/<int:pk>/", posts.PostDetailView.as_view(), name="post_detail"),
    path("posts/<int:pk>/action/", posts.PostActionView.as_view(), name="post_action"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("status/<uuid:transaction_id>/", views.StatusView.as_view(), name="status"),
    path("jobs/", views.JobListView.as_view(), name="job-list"),
    path("jobs/<uuid:job_id>/", views.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<uuid:job_id>/retry/", views.JobRetryView.as_view(), name="job-retry"),
    path("jobs/<uuid:job_id>/tasks/", views.JobTasksView.as_view(), name="job-tasks"),
    path("jobs/<uuid:job_id>/image/", views.JobImageView.as_view(), name="job-image"),
    path("jobs/<uuid:job_id>/export/", views.JobExportView.as_view(), name="job-export"),
    path("tasks/", views.TaskListView.as_view(), name="task-list"),
    path("tasks/export/", views.TaskExportView.as_view(), name="task-export"),
    path("tasks/<int:task_id>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/<int:person_id>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("health/", views.HealthView.as_view(), name="health"),
]

"""The web app's pages. Everything else lives under /api/, /admin/ and /auth/."""

from django.urls import path

from .views import auth, board, jobs, people, review

urlpatterns = [
    path("", jobs.home, name="home"),
    path("signin/", auth.SignInView.as_view(), name="signin"),
    path("signout/", auth.SignOutView.as_view(), name="signout"),
    path("capture/", jobs.capture, name="capture"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<uuid:job_id>/thumb/", jobs.thumbnail, name="job-thumb"),
    path("jobs/<uuid:job_id>/photo/", jobs.photo, name="job-photo"),
    path("jobs/<uuid:job_id>/delete/", jobs.delete, name="job-delete"),
    path("jobs/<uuid:job_id>/", review.review, name="review"),
    path("jobs/<uuid:job_id>/state/", review.state, name="review-state"),
    path("jobs/<uuid:job_id>/reread/", review.reread, name="reread"),
    path("jobs/<uuid:job_id>/tasks/add/", review.add_task, name="task-add"),
    path("tasks/<int:task_id>/edit/", review.edit_task, name="task-edit"),
    path("tasks/<int:task_id>/delete/", review.delete_task, name="task-delete"),
    path("tasks/<int:task_id>/move/", review.move_task, name="task-move"),
    path("tasks/<int:task_id>/done/", board.tick, name="task-done"),
    path("board/", board.board, name="board"),
    path("people/", people.people, name="people"),
    path("people/<int:person_id>/", people.edit, name="person-edit"),
    path("people/<int:person_id>/delete/", people.delete, name="person-delete"),
    path("people/<int:person_id>/forget/", people.forget, name="person-forget"),
]

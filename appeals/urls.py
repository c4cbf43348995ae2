from django.urls import path

from appeals import views

app_name = "appeals"

urlpatterns = [
    path("confirm/<str:token>/", views.confirm_view, name="confirm"),
    path("<str:public_id>/sign/", views.sign_view, name="sign"),
    path("<str:public_id>/thanks/", views.thanks_view, name="thanks"),
]

from django.urls import path

from appeals import views

app_name = "appeals"

urlpatterns = [
    path("confirm/", views.confirm_view, name="confirm"),
    # Links e-mailed while the token was part of the path keep working until they expire.
    path("confirm/<str:token>/", views.confirm_view, name="confirm_in_path"),
    path("withdraw/", views.withdraw_view, name="withdraw"),
    path("unsubscribe/", views.unsubscribe_view, name="unsubscribe"),
    path("<str:public_id>/sign/", views.sign_view, name="sign"),
    path("<str:public_id>/thanks/", views.thanks_view, name="thanks"),
    path("<str:public_id>/count/", views.count_view, name="count"),
    path("<str:public_id>/letter/", views.letter_view, name="letter"),
    path(
        "<str:public_id>/letter/recipient/",
        views.letter_view,
        {"delivered": True},
        name="recipient_letter",
    ),
]

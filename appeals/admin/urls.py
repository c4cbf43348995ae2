from django.urls import path

from appeals.admin.translation_review import submit_translation_for_review

urlpatterns = [
    path(
        "appeals/translations/<int:page_id>/submit-for-review/",
        submit_translation_for_review,
        name="appeals_submit_translation_for_review",
    )
]

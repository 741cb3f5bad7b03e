"""Every admin list with actions, the project's and those of the apps it uses, answers a
hand-made selection with a message rather than an error."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _offers_actions(model_admin) -> bool:
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_staff=True, is_superuser=True, is_active=True)
    return bool(model_admin.get_actions(request))


WITH_ACTIONS = [
    model for model, model_admin in admin.site._registry.items() if _offers_actions(model_admin)
]


def test_the_lists_with_actions_include_those_of_other_apps():
    labels = {model._meta.label for model in WITH_ACTIONS}
    assert {"auth.Group", "account.EmailAddress", "moderation.Report"} <= labels


@pytest.mark.parametrize("model", WITH_ACTIONS, ids=lambda model: model._meta.label_lower)
def test_a_selection_that_is_not_an_id_gets_a_message(client, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.post(
        url, {"action": "delete_selected", "_selected_action": ["1.5"]}, follow=True
    )
    assert response.status_code == 200
    assert "Choose the items from the list." in response.content.decode()

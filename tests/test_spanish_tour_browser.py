"""The whole tour, sign-up to RSVP, in a browser that asks for Spanish: every step speaks
Spanish, fits a 360 px phone screen and passes the axe scan (screenshots land in
test-artifacts/360px/, named es-…)."""

import pytest
from playwright.sync_api import expect

from momcircle.profiles.services import availability_replace
from scheduling.tests.factories import MeetupFactory
from tests.factories import member, organized_group
from tests.test_accounts_browser import FIRST_PASSWORD, fits_a_phone_and_passes_the_scan, link_in
from tests.test_availability_grid_browser import cell, drag, listed
from tests.tour import TUESDAY_EVENING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def group_nearby():
    """Olivia's open group near ZIP 60614, free on Tuesday evenings, with a walk planned."""
    olivia = member(first_name="Olivia", last_initial="N")
    availability_replace(member=olivia, windows=[TUESDAY_EVENING])
    group = organized_group(olivia, name="Lincoln Park After Bedtime")
    meetup = MeetupFactory(group=group, title="Tuesday walk and talk", capacity=6)
    return group, meetup


def step(page, name: str, heading: str) -> None:
    """The step's page is up, its heading in Spanish, and it passes the phone and axe checks."""
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    fits_a_phone_and_passes_the_scan(page, f"es-{name}")


def test_a_newcomer_whose_browser_asks_for_spanish_signs_up_onboards_joins_and_says_going(
    spanish_phone_page, live_server, mailoutbox, group_nearby
):
    page = spanish_phone_page
    group, meetup = group_nearby

    page.goto(live_server.url)
    step(page, "landing", "Amigas mamás que también trabajan.")
    expect(page.get_by_role("link", name="Saltar al contenido")).to_be_attached()
    page.get_by_role("link", name="Únete a MomCircle, es gratis").click()

    step(page, "sign-up", "Registrarse")
    page.locator("input[name=email]").fill("dana@example.com")
    page.locator("input[name=password1]").fill(FIRST_PASSWORD)
    page.locator("input[name=password2]").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Registrarse").click()

    step(page, "verify-your-email", "Verifica tu correo electrónico")
    expect(page.get_by_role("main")).to_contain_text("¿No te llegó el correo")
    [message] = mailoutbox
    assert "Confirma tu correo aquí" in message.body
    page.goto(link_in(message))
    fits_a_phone_and_passes_the_scan(page, "es-confirm-your-email")
    page.get_by_role("button", name="Confirmar").click()

    step(page, "onboarding", "¡Bienvenida! Cuéntanos un poco sobre ti")
    expect(page.get_by_text("Paso 1 de 2")).to_be_visible()
    page.locator("input[name=first_name]").fill("Dana")
    page.locator("input[name=last_initial]").fill("K")
    page.locator("input[name=work_pattern][value=hybrid]").check()
    page.locator("input[name=zip_code]").fill("60614")
    page.locator("input[name=kids_toddler]").fill("1")
    page.locator("input[name=looking_for][value=moms_night_out]").check()
    page.locator("main form [type=submit]").click()

    step(page, "availability", "¿Cuándo estás libre cada semana?")
    drag(
        page,
        cell(page, "martes de 20:30 a 21:00, no libre"),
        cell(page, "martes de 21:30 a 22:00, no libre"),
    )
    expect(listed(page)).to_have_text(["mar 20:30–22:00, sin niños"])
    expect(cell(page, "martes de 21:00 a 21:30, sin niños")).to_be_attached()
    page.get_by_role("button", name="Guardar y terminar").click()

    step(page, "home", "Qué bueno verte de nuevo, Dana")
    page.get_by_role("button", name="Abrir el menú").click()
    main_menu = page.get_by_role("navigation", name="Principal")
    main_menu.get_by_role("link", name="Buscar grupos").click()

    step(page, "browse", "Grupos cerca de mí")
    results = page.get_by_role("region", name="1 grupo a menos de")
    expect(results).to_contain_text("1 integrante libre cuando tú lo estás")
    results.get_by_role("link", name=group.name).click()

    step(page, "group", group.name)
    membership = page.get_by_role("region", name="Únete al grupo")
    expect(membership).to_be_visible()
    membership.locator("[type=submit]").click()
    expect(page.get_by_role("region", name="Eres integrante")).to_be_visible()
    fits_a_phone_and_passes_the_scan(page, "es-group-joined")
    page.get_by_role("region", name="Próximos encuentros").get_by_role(
        "link", name=meetup.title
    ).click()

    step(page, "meetup", meetup.title)
    answers = page.get_by_role("region", name="Quién viene")
    expect(answers.locator(".answer-counts")).to_contain_text("0 van")
    answers.get_by_role("button", name="Voy", exact=True).click()
    expect(answers.locator(".answer-counts")).to_contain_text("1 va")
    expect(answers.get_by_role("button", name="Voy", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(answers.locator(".going-list")).to_contain_text("Dana K. (tú)")
    fits_a_phone_and_passes_the_scan(page, "es-meetup-going")

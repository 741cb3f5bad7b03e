"""The simulated members of bench/load.py, for locust.

bench/load.py writes a plan (the members' emails and password, each one's groups and their
upcoming meetups, the browse filters to pick from) to the JSON file named by LOAD_PLAN, and
reads back every request's page type, time in ms and error (None when it succeeded) from the
file named by LOAD_SAMPLES, written when locust quits. A request fails on any status but the
one its page answers with (a redirect only after logging in), and an RSVP also fails when the
app refuses the answer; a task that crashes counts as a failed request too.
"""

import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
unassigned_members = iter(PLAN["members"])
samples: list[tuple[str, float, str | None]] = []

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFUSAL = re.compile(r'class="alert alert-danger[^"]*">([^<]*)<')
ANSWERS = ("going", "maybe", "cant_go")
PAGE_HEADER = "X-Bench-Page"


@events.request.add_listener
def record(name: str, response_time: float, exception: Exception | None, **kwargs) -> None:
    samples.append((name, response_time, None if exception is None else str(exception)))


@events.user_error.add_listener
def record_task_error(exception: Exception, **kwargs) -> None:
    """A task that crashed sent no request to count: it counts as a failed one."""
    samples.append(("task_error", 0.0, repr(exception)))


@events.quitting.add_listener
def save_samples(**kwargs) -> None:
    Path(os.environ["LOAD_SAMPLES"]).write_text(json.dumps(samples))


class Member(HttpUser):
    """A demo member: logs in once, then browses, opens her groups and their meetups,
    changes her answers and looks at her week, a few seconds apart."""

    wait_time = between(1, 5)

    def on_start(self) -> None:
        plan = next(unassigned_members)
        self.group_paths: list[str] = plan["groups"]
        self.meetup_ids: list[int] = plan["meetups"]
        self.answers: dict[int, str] = {}
        self.log_in(plan["email"], PLAN["password"])

    def expect(self, response, status: int, location: str | None = None) -> None:
        if response.status_code != status:
            response.failure(f"{response.status_code} instead of {status}")
        elif location is not None and response.headers.get("Location") != location:
            response.failure(f"redirected to {response.headers.get('Location')}")
        else:
            response.success()

    def send(self, method: str, path: str, name: str, headers: dict | None = None, **kwargs):
        """The request, named by its page type, which the X-Bench-Page header also tells
        gunicorn's access log; redirects are not followed, the caller judges the response."""
        return self.client.request(
            method,
            path,
            name=name,
            headers={PAGE_HEADER: name, **(headers or {})},
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        )

    def page(self, path: str, name: str, **params) -> None:
        with self.send("GET", path, name, params=params) as response:
            self.expect(response, 200)

    def log_in(self, email: str, password: str) -> None:
        with self.send("GET", "/accounts/login/", "login_page") as response:
            self.expect(response, 200)
            token = CSRF_FIELD.search(response.text)
        form = {
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        with self.send("POST", "/accounts/login/", "login", data=form) as response:
            self.expect(response, 302, location="/")

    @task(3)
    def browse(self) -> None:
        choices = PLAN["browse"]
        params = {"miles": random.choice(choices["miles"])}
        if random.random() < 0.4:
            params["kids"] = random.sample(choices["kids"], random.randint(1, 2))
        if random.random() < 0.3:
            params["style"] = random.choice(choices["styles"])
        if random.random() < 0.2:
            params["has_space"] = "on"
        if random.random() < 0.2:
            params["q"] = random.choice(choices["places"])
        self.page("/groups/", "browse", **params)

    @task(3)
    def open_group(self) -> None:
        self.page(random.choice(self.group_paths), "group")

    @task(4)
    def open_meetup(self) -> None:
        self.page(f"/meetups/{random.choice(self.meetup_ids)}/", "meetup")

    @task(2)
    def answer_meetup(self) -> None:
        """Changes her answer the way the meetup page's buttons do, through htmx."""
        meetup = random.choice(self.meetup_ids)
        answer = random.choice([a for a in ANSWERS if a != self.answers.get(meetup)])
        with self.send(
            "POST",
            f"/meetups/{meetup}/rsvp/",
            "rsvp",
            data={"response": answer, "kids": 0},
            headers={"HX-Request": "true", "X-CSRFToken": self.client.cookies.get("csrftoken", "")},
        ) as response:
            refusal = REFUSAL.search(response.text) if response.status_code == 200 else None
            if refusal:
                response.failure(f"refused: {refusal.group(1).strip()}")
                return
            self.expect(response, 200)
            if response.status_code == 200:
                self.answers[meetup] = answer

    @task(2)
    def my_week(self) -> None:
        self.page("/", "my_week")

    @task(2)
    def baseline(self) -> None:
        self.page("/bench/bare/", "baseline")

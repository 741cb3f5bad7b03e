"""What `make run` starts: honcho runs the Procfile's web (gunicorn), worker and beat."""

import os
import re
import shlex
import subprocess

from tests.workers import ROOT


def honcho_command(*make_args: str, **env: str) -> tuple[str, list[str]]:
    """The address `make run` prints, and the command it starts honcho with (read from a
    dry run, which runs nothing)."""
    environment = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    plan = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "run", *make_args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    printed = re.search(r"MomCircle is starting at (\S+?)/? ", plan)[1]
    [command] = [line for line in plan.splitlines() if "honcho start" in line]
    return printed, shlex.split(command)


def test_emails_from_make_run_link_to_the_address_it_prints():
    printed, command = honcho_command("PORT=8300")
    assert printed == "http://127.0.0.1:8300"
    assert f"SITE_URL={printed}" in command  # for every process: honcho passes it on


def test_make_run_keeps_the_site_url_she_set():
    _, command = honcho_command("PORT=8300", SITE_URL="https://momcircle.example")
    assert "SITE_URL=https://momcircle.example" in command

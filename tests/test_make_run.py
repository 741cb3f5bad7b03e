"""What `make run` starts: honcho runs the Procfile's web (gunicorn), worker and beat."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from gunicorn.ctl.client import ControlClient

from tests.smtp_sink import free_port
from tests.workers import ROOT, stop, wait_until


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


def procfile(process: str) -> str:
    commands = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    return commands[process].strip()


def start_web(checkout: Path, home: Path) -> subprocess.Popen:
    """The Procfile's web process, as honcho starts it in `checkout` (with its own PORT)."""
    environment = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    return subprocess.Popen(
        ["sh", "-c", f"exec {procfile('web')}"],
        cwd=checkout,
        env={
            **environment,
            "PORT": str(free_port()),
            "HOME": str(home),
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
            "PYTHONPATH": str(ROOT),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_gunicorns_of_two_checkouts_each_keep_their_control_socket_in_their_services(tmp_path):
    home = tmp_path / "home"
    checkouts = [tmp_path / "one", tmp_path / "two"]
    for folder in (home, *checkouts):
        folder.mkdir()
    servers = [start_web(checkout, home) for checkout in checkouts]
    try:
        for checkout, server in zip(checkouts, servers, strict=True):
            control = checkout / ".services" / "gunicorn.ctl"
            wait_until(control.exists, timeout=30, what=f"{control} is there")
            with ControlClient(str(control)) as client:
                assert client.send_command("show stats")["pid"] == server.pid
        assert not (home / ".gunicorn").exists()
    finally:
        for server in servers:
            stop(server)

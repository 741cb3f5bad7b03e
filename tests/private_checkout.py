"""The project's scripts copied into a folder that only its owner may enter, as a home folder
or `mktemp -d` is, to run scripts/services.sh there on free ports: the servers `make run` and
`make test` start in a fresh clone."""

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parent.parent
# Git-ignored and inside the checkout, so what a failed test leaves behind is easy to find.
SCRATCH = ROOT / ".services" / "tests"


class PrivateCheckout:
    """`env` overrides the test process's environment, where DATABASE_URL and REDIS_URL are
    left out so that private servers start."""

    def __init__(self, **env: str) -> None:
        SCRATCH.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(dir=SCRATCH))  # mode 0700
        self.root = self.folder / "momcircle"
        shutil.copytree(ROOT / "scripts", self.root / "scripts")
        self.env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        self.env.update(PG_PORT=str(free_port()), REDIS_PORT=str(free_port()), **env)

    def services(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.root / "scripts" / "services.sh", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )

    def start(self, *args: str) -> dict[str, str]:
        """`scripts/services.sh start [test]`, and the URLs it wrote for make."""
        result = self.services("start", *args)
        assert result.returncode == 0, result.stdout + result.stderr
        written = self.root / ".services" / ("test-env.sh" if args else "env.sh")
        exports = shlex.split(written.read_text(), comments=True)
        return dict(word.split("=", 1) for word in exports if word != "export")

    def remove(self) -> None:
        self.services("stop")
        shutil.rmtree(self.folder)

"""The Dockerfile's build replayed in a clean virtualenv, and what runs in it: each service's
command (dry runs), `check --deploy` with the compose environment, the health check."""

from __future__ import annotations

import fnmatch
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.deploy.reading import (
    Dockerfile,
    Files,
    Invalid,
    app_services,
    assignments,
    shell_commands,
    without_assignments,
)

BASE_PATH = "/usr/bin:/bin"  # the image's system tools (sh); Python's come from the virtualenv


@dataclass(frozen=True)
class Image:
    """The Dockerfile's build replayed in a folder: `app` stands for its WORKDIR."""

    app: Path
    venv: Path
    dockerfile: Dockerfile

    def environment(self, service: dict | None = None, **overrides: str) -> dict[str, str]:
        """The variables a process of the image sees: the image's ENV, then the service's."""
        image_env = {
            key: value.replace(self.dockerfile.workdir, str(self.app))
            for key, value in self.dockerfile.env.items()
        }
        service_env = {
            key: str(value)
            for key, value in ((service or {}).get("environment") or {}).items()
            if value is not None
        }
        return {
            "PATH": f"{self.venv}/bin:{BASE_PATH}",
            "HOME": str(self.app),
            **image_env,
            **service_env,
            **overrides,
        }


def replay_build(files: Files, context: Path, folder: Path) -> Image:
    """COPY, ENV and the Python steps of each RUN (pip, python) in a new virtualenv.

    System steps (apt-get, useradd, mkdir, chown) are not replayed here: CI installs the same
    system packages, and the static checks read the rest.
    """
    dockerfile = Dockerfile.parse(files.dockerfile)
    image = Image(app=folder / "app", venv=folder / "venv", dockerfile=dockerfile)
    image.app.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", image.venv], check=True)
    ignored = [
        line.strip().strip("/")
        for line in files.dockerignore.splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for keyword, arguments in dockerfile.steps:
        if keyword == "COPY":
            *sources, target = shlex.split(arguments)
            for source in sources:
                _copy(context / source, image.app / target, ignored)
        elif keyword == "RUN":
            for command in shell_commands(arguments):
                _replay(command, image)
    return image


def _copy(source: Path, target: Path, ignored: list[str]) -> None:
    root = source if source.is_dir() else source.parent

    def ignore(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(root)
        return {
            name for name in names if _is_ignored(str(relative / name).removeprefix("./"), ignored)
        }

    if source.is_dir():
        shutil.copytree(source, target, ignore=ignore, dirs_exist_ok=True)
    else:
        shutil.copy2(source, target / source.name if target.is_dir() else target)


def _is_ignored(relative: str, patterns: list[str]) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatch(relative, pattern)
        or (pattern.startswith("**/") and fnmatch.fnmatch(name, pattern[3:]))
        for pattern in patterns
    )


def _replay(command: list[str], image: Image) -> None:
    argv = without_assignments(command)
    inline = assignments(command[: len(command) - len(argv)]) if len(argv) < len(command) else {}
    if argv[0] == "pip":  # into the new virtualenv, without compiling (it saves a few seconds)
        options = ["--no-compile", "--quiet"] if argv[1:2] == ["install"] else []
        argv = [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(image.venv / "bin" / "python"),
            argv[1],
            *options,
            *argv[2:],
        ]
    elif argv[0] != "python":
        return
    # pip needs this machine's configuration (index, certificates) from HOME and PIP_*.
    machine = {key: value for key, value in os.environ.items() if key.startswith("PIP_")}
    environment = {**image.environment(), **inline, **machine, "HOME": os.environ["HOME"]}
    result = subprocess.run(argv, cwd=image.app, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise Invalid(
            f"RUN `{shlex.join(command)}` fails:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )


# A management command and its options, checked by the command's own parser without running it.
PARSE_MANAGE_PY = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnerxpress.settings")
django.setup()
from django.core.management import get_commands, load_command_class
name, *options = sys.argv[1:]
if name not in get_commands():
    sys.exit(f"Unknown command: {name}")
load_command_class(get_commands()[name], name).create_parser("manage.py", name).parse_args(options)
"""


def service_commands(service: dict, image: Image) -> list[list[str]]:
    """What a service runs (its command, or the image's CMD), one argv per simple command."""
    command = service.get("command") or image.dockerfile.cmd
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    if argv[:2] in (["sh", "-c"], ["/bin/sh", "-c"]):
        return shell_commands(argv[2])
    return [argv]


def dry_run(argv: list[str]) -> list[str] | None:
    """A run of `argv` that loads what it would load and checks its options, doing nothing."""
    if argv[0] == "gunicorn":
        return [*argv, "--check-config"]  # imports the WSGI application
    if argv[0] == "celery":
        return [*argv, "--help"]  # loads the -A app; click refuses an unknown command or option
    if argv[0] == "python" and argv[1:2] == ["manage.py"]:
        return ["python", "-c", PARSE_MANAGE_PY, *argv[2:]]
    return None


def command_problems(compose: dict, image: Image, only: str | None = None) -> list[str]:
    """Each service's command (or `only` that one's) exists in the image and takes its options."""
    problems = []
    for name, service in app_services(compose).items():
        if only not in {None, name}:
            continue
        for argv in service_commands(service, image):
            dry = dry_run(argv)
            if dry is None:
                problems.append(f"{name}: no dry run known for `{shlex.join(argv)}`")
                continue
            if not shutil.which(dry[0], path=image.environment()["PATH"]):
                problems.append(f"{name}: {dry[0]} is not installed in the image")
                continue
            result = _run(dry, image, image.environment(service))
            if result.returncode != 0:
                problems.append(f"{name}: `{shlex.join(argv)}` fails: {_last_line(result)}")
    return problems


def deploy_check_problems(compose: dict, image: Image, service: str = "web") -> list[str]:
    """`manage.py check --deploy` with the environment compose gives the service.

    The deployer replaces `.env.example`'s placeholder key (README). Compose serves plain HTTP
    on localhost on purpose (DJANGO_SECURE_SSL_REDIRECT=false): that one warning stands.
    """
    key = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    environment = image.environment(compose["services"][service], **key)
    result = _run(["python", "manage.py", "check", "--deploy"], image, environment)
    output = result.stdout + result.stderr
    found = set(re.findall(r"\((\w+\.[EWC]\d+)\)", output))
    if environment.get("DJANGO_SECURE_SSL_REDIRECT") == "false":
        found -= {"security.W008"}
    if result.returncode != 0 or found:
        return [f"check --deploy reports {sorted(found) or 'an error'}:\n{output}"]
    return []


def healthcheck_problems(compose: dict, image: Image, database_url: str, port: int) -> list[str]:
    """The service with a health check serves, and its check passes within 30 s.

    The image's exposed port is `port` here, and the database is `database_url`.
    """
    problems = []
    for name, service in app_services(compose).items():
        if "healthcheck" not in service:
            continue
        exposed = image.dockerfile.exposed[0].split("/")[0]
        local = [
            word.replace(f"0.0.0.0:{exposed}", f"127.0.0.1:{port}")
            for argv in service_commands(service, image)
            for word in argv
        ]
        test = [word.replace(f":{exposed}", f":{port}") for word in service["healthcheck"]["test"]]
        test = test[1:] if test[0] == "CMD" else ["sh", "-c", test[1]]
        environment = image.environment(service, DATABASE_URL=database_url)
        log = image.app.parent / f"{name}.log"
        with log.open("wb") as output:
            server = subprocess.Popen(
                local, cwd=image.app, env=environment, stdout=output, stderr=output
            )
        try:
            if not _passes_within(test, image, environment, server):
                problems.append(
                    f"{name}: the health check `{shlex.join(test)}` does not pass:\n{log.read_text()[-2000:]}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return problems


def _passes_within(
    test: list[str], image: Image, environment: dict, server: subprocess.Popen
) -> bool:
    """The check passes within 30 s, while the server runs."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        if _run(test, image, environment).returncode == 0:
            return True
        time.sleep(0.5)
    return False


def _run(argv: list[str], image: Image, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        argv, cwd=image.app, env=environment, capture_output=True, text=True, timeout=120
    )


def _last_line(result: subprocess.CompletedProcess) -> str:
    """The error's own line (click and argparse add usage and suggestions around it)."""
    lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if "rror" in line]
    return (errors or lines or [f"exit {result.returncode}"])[-1]

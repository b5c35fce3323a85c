"""The container set-up's files read as compose and Docker read them, and the checks that need
nothing else: volumes, the image's user and secrets, variables."""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN", re.IGNORECASE)


@dataclass(frozen=True)
class Files:
    """The container set-up, as text."""

    compose: str
    dockerfile: str
    env_example: str
    dockerignore: str
    settings: str

    @classmethod
    def read(cls, root: Path) -> Files:
        return cls(
            compose=(root / "docker-compose.yml").read_text(),
            dockerfile=(root / "Dockerfile").read_text(),
            env_example=(root / ".env.example").read_text(),
            dockerignore=(root / ".dockerignore").read_text(),
            settings=(root / "partnerxpress" / "settings.py").read_text(),
        )

    def but(self, **changes: str) -> Files:
        return dataclasses.replace(self, **changes)


class Invalid(Exception):
    """The compose file does not resolve, or the build does not replay."""


# --- Reading the compose file and the Dockerfile ---------------------------------------------


def resolve_compose(files: Files, folder: Path) -> dict:
    """The compose file as compose reads it, with `.env.example` as its `.env`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docker-compose.yml").write_text(files.compose)
    (folder / "Dockerfile").write_text(files.dockerfile)
    (folder / ".env").write_text(files.env_example)
    # Only the project's .env interpolates: none of this process's variables.
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")}
    result = subprocess.run(
        ["docker-compose", "config"], cwd=folder, env=clean, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise Invalid(result.stderr.strip() or result.stdout.strip())
    return yaml.safe_load(result.stdout)


def compose_problems(files: Files, folder: Path) -> list[str]:
    try:
        resolve_compose(files, folder)
    except Invalid as error:
        return [f"docker-compose.yml does not validate: {error}"]
    return []


def app_services(compose: dict) -> dict[str, dict]:
    """The services built from this repository (the others run images of their own)."""
    return {name: spec for name, spec in compose["services"].items() if "build" in spec}


@dataclass
class Dockerfile:
    """What the Dockerfile makes of the image, read instruction by instruction."""

    steps: list[tuple[str, str]]
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str | None = None
    users: set[str] = field(default_factory=set)
    created: set[str] = field(default_factory=set)
    owner: dict[str, str] = field(default_factory=dict)
    cmd: list[str] = field(default_factory=list)
    exposed: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> Dockerfile:
        steps = []
        for line in re.sub(r"\\\n", " ", text).splitlines():
            if (stripped := line.strip()) and not stripped.startswith("#"):
                keyword, _, arguments = stripped.partition(" ")
                steps.append((keyword.upper(), arguments.strip()))
        image = cls(steps)
        for keyword, arguments in image.steps:
            image._apply(keyword, arguments)
        return image

    def _apply(self, keyword: str, arguments: str) -> None:
        if keyword in {"ENV", "ARG"}:
            self.env.update(assignments(shlex.split(arguments)))
        elif keyword == "WORKDIR":
            self.workdir = arguments
            self.created.add(arguments)
        elif keyword == "USER":
            self.user = arguments.split(":")[0]
        elif keyword == "CMD":
            self.cmd = json.loads(arguments)
        elif keyword == "EXPOSE":
            self.exposed = arguments.split()
        elif keyword == "RUN":
            for command in shell_commands(arguments):
                self._run(without_assignments(command))

    def _run(self, argv: list[str]) -> None:
        """Folders made, owners given and users added by one shell command of a RUN."""
        name, options = argv[0], [word for word in argv[1:] if word.startswith("-")]
        operands = [word for word in argv[1:] if not word.startswith("-")]
        if name in {"useradd", "adduser"}:
            self.users.add(operands[-1])
        elif name == "mkdir":
            for path in operands:
                self.created.update(_with_parents(path) if "-p" in options else {path})
        elif name == "chown":
            owner, paths = operands[0].split(":")[0], operands[1:]
            recursive = bool({"-R", "--recursive"} & set(options))
            for path in paths:
                below = {made for made in self.created if made.startswith(f"{path}/")}
                for made in {path} | (below if recursive else set()):
                    self.owner[made] = owner


def shell_commands(script: str) -> list[list[str]]:
    """The simple commands of a shell line (`a && b; c` → [a], [b], [c])."""
    lexer = shlex.shlex(script, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in {"&&", "||", ";", "|"}:
            commands.append([])
        else:
            commands[-1].append(token)
    return [command for command in commands if command]


def assignments(words: list[str]) -> dict[str, str]:
    if len(words) == 2 and "=" not in words[0]:  # the old form: ENV NAME value
        return {words[0]: words[1]}
    return dict(word.split("=", 1) if "=" in word else (word, "") for word in words)


def without_assignments(argv: list[str]) -> list[str]:
    while argv and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[0]):
        argv = argv[1:]
    return argv


def _with_parents(path: str) -> set[str]:
    parts = path.rstrip("/").split("/")
    return {"/".join(parts[:end]) for end in range(2, len(parts) + 1)}


# --- Static checks ---------------------------------------------------------------------------


def volume_problems(compose: dict, dockerfile: Dockerfile) -> list[str]:
    """Every path mounted into our image exists in it and belongs to its USER."""
    problems = []
    for name, service in app_services(compose).items():
        for volume in service.get("volumes", []):
            target = volume["target"] if isinstance(volume, dict) else volume.split(":")[1]
            if target not in dockerfile.created:
                problems.append(
                    f"{name}: {target} is mounted, but the Dockerfile does not create it "
                    "(Docker would, owned by root)"
                )
            elif dockerfile.owner.get(target) != dockerfile.user:
                problems.append(f"{name}: {target} is mounted, but not owned by the image's USER")
    return problems


def image_problems(files: Files, compose: dict, dockerfile: Dockerfile) -> list[str]:
    """One image for all our services, run as a user created in it, with no secret baked in."""
    problems = []
    builds = {
        json.dumps(service["build"], sort_keys=True) for service in app_services(compose).values()
    }
    if len(builds) != 1:
        problems.append(f"our services are built {len(builds)} ways; one image should run them all")
    if dockerfile.user in {None, "root", "0"}:
        problems.append("the image runs as root: give it a USER")
    elif dockerfile.user not in dockerfile.users:
        problems.append(f"USER {dockerfile.user} is not created in the Dockerfile")
    problems += [
        f"the Dockerfile's ENV or ARG sets {name}"
        for name in dockerfile.env
        if SECRET_NAME.search(name)
    ]
    problems += _inline_secrets(dockerfile)
    ignored = [line.strip() for line in files.dockerignore.splitlines()]
    if ".env" not in ignored:
        problems.append(".dockerignore lacks .env: `COPY . .` would bake a deployer's secrets in")
    return problems


def _inline_secrets(dockerfile: Dockerfile) -> list[str]:
    # A throwaway key lets collectstatic import the settings at build time; nothing else may.
    problems = []
    for keyword, arguments in dockerfile.steps:
        for command in shell_commands(arguments) if keyword == "RUN" else []:
            names = [
                word.split("=")[0]
                for word in command
                if "=" in word and SECRET_NAME.search(word.split("=")[0])
            ]
            if names and "collectstatic" not in command:
                problems.append(f"a RUN step sets {', '.join(names)} outside collectstatic")
    return problems


def settings_variables(settings: str) -> set[str]:
    """The environment variables the settings module reads."""
    found = set()
    for node in ast.walk(ast.parse(settings)):
        if isinstance(node, ast.Call) and node.args and _reads_environment(node.func):
            argument = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            argument = node.slice
        else:
            continue
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.add(argument.value)
    return found


def _reads_environment(function: ast.expr) -> bool:
    return ast.unparse(function) in {"os.environ.get", "os.getenv", "env_bool", "env_list"}


def documented_variables(env_example: str) -> set[str]:
    """Variables `.env.example` sets or shows commented out with their default (`# NAME=…`)."""
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", env_example, re.MULTILINE))


def variable_problems(files: Files, compose: dict) -> list[str]:
    read, documented = settings_variables(files.settings), documented_variables(files.env_example)
    problems = [
        f"the settings read {name}, which .env.example does not document"
        for name in sorted(read - documented)
    ]
    problems += [
        f".env.example documents {name}, which the settings do not read"
        for name in sorted(documented - read)
    ]
    for name, service in app_services(compose).items():
        for variable in sorted(set(service.get("environment") or {}) - read):
            problems.append(f"{name}: compose sets {variable}, which the settings do not read")
    return problems

"""The container set-up as a deployer meets it, checked without Docker (see tests/deploy/).

Each check passes on the repository's files and fails on a copy broken on purpose.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from tests import services
from tests.conftest import need_service
from tests.deploy.reading import (
    Dockerfile,
    Files,
    compose_problems,
    image_problems,
    resolve_compose,
    variable_problems,
    volume_problems,
)
from tests.deploy.replay import (
    command_problems,
    deploy_check_problems,
    healthcheck_problems,
    replay_build,
)

pytestmark = pytest.mark.container

ROOT = Path(__file__).resolve().parent.parent.parent
FILES = Files.read(ROOT)


@pytest.fixture(scope="session")
def compose_command():
    need_service(
        shutil.which("docker-compose") is not None,
        "needs Debian's docker-compose: apt-get install --no-install-recommends docker-compose",
    )


@pytest.fixture
def resolve(compose_command, tmp_path):
    """The compose file (or a changed copy) as compose reads it."""
    return lambda files=FILES: resolve_compose(files, tmp_path / "compose")


@pytest.fixture(scope="session")
def image(tmp_path_factory):
    """The Dockerfile's build replayed once in a clean virtualenv (about 30 s)."""
    return replay_build(FILES, ROOT, tmp_path_factory.mktemp("image"))


# --- The compose file -------------------------------------------------------------------------


def test_the_compose_file_follows_the_compose_schema(compose_command, tmp_path):
    assert compose_problems(FILES, tmp_path) == []


def test_a_misspelt_key_in_the_compose_file_fails_the_schema(compose_command, tmp_path):
    broken = FILES.but(compose=FILES.compose.replace("healthcheck:", "healthchek:", 1))

    assert "healthchek" in " ".join(compose_problems(broken, tmp_path))


# --- Volumes, the image's user, secrets -------------------------------------------------------


def on_one_host(files: Files = FILES, target: str = "/app/var/media") -> Files:
    """The compose file as a one-host set-up without object storage would have it: the files
    on a volume every container mounts (the compose file itself mounts none: MinIO has them)."""
    compose = files.compose.replace(
        "  restart: unless-stopped\n\nservices:",
        f"  restart: unless-stopped\n  volumes:\n    - media:{target}\n\nservices:",
    ).replace("\nvolumes:\n", "\nvolumes:\n  media:\n")
    return files.but(compose=compose)


def test_every_mounted_path_is_made_in_the_image_and_owned_by_its_user(resolve):
    assert volume_problems(resolve(), Dockerfile.parse(FILES.dockerfile)) == []
    assert volume_problems(resolve(on_one_host()), Dockerfile.parse(FILES.dockerfile)) == []


def test_a_volume_mounted_on_a_path_the_image_lacks_is_reported(resolve):
    moved = on_one_host(target="/app/uploads")

    problems = volume_problems(resolve(moved), Dockerfile.parse(moved.dockerfile))

    assert problems and all("/app/uploads is mounted, but" in problem for problem in problems)


def test_the_image_that_made_var_but_not_var_media_is_reported(resolve):
    # issue 19 as found: the media volume landed on a folder Docker created, owned by root
    before = FILES.dockerfile.replace("mkdir -p /app/var/media", "mkdir -p /app/var")

    problems = volume_problems(resolve(on_one_host()), Dockerfile.parse(before))

    assert "web: /app/var/media is mounted, but the Dockerfile does not create it" in "\n".join(
        problems
    )


def test_a_mount_path_made_after_the_chown_is_reported_as_roots(resolve):
    late = FILES.dockerfile.replace(
        "USER partnerxpress", "RUN mkdir -p /app/var/media/x\nUSER partnerxpress"
    )
    late = late.replace(" && mkdir -p /app/var/media \\\n", " \\\n")

    problems = volume_problems(resolve(on_one_host()), Dockerfile.parse(late))

    assert "web: /app/var/media is mounted, but not owned by the image's USER" in problems


def test_one_image_runs_every_service_as_a_user_with_no_secret_baked_in(resolve):
    assert image_problems(FILES, resolve(), Dockerfile.parse(FILES.dockerfile)) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("USER partnerxpress\n", ""), "the image runs as root: give it a USER"),
        (("EXPOSE", "ENV DJANGO_SECRET_KEY=s3cret\nEXPOSE"), "ENV or ARG sets DJANGO_SECRET_KEY"),
        (("EXPOSE", "ARG EMAIL_HOST_PASSWORD\nEXPOSE"), "ENV or ARG sets EMAIL_HOST_PASSWORD"),
        (("pip install .", "DJANGO_SECRET_KEY=x pip install ."), "sets DJANGO_SECRET_KEY outside"),
    ],
)
def test_a_root_image_or_a_baked_in_secret_is_reported(resolve, change, problem):
    dockerfile = FILES.dockerfile.replace(*change)

    problems = image_problems(FILES, resolve(), Dockerfile.parse(dockerfile))

    assert [found for found in problems if problem in found], problems


def test_a_dockerignore_that_lets_env_into_the_image_is_reported(resolve):
    broken = FILES.but(dockerignore=FILES.dockerignore.replace(".env\n", ""))

    assert any(
        ".env" in found
        for found in image_problems(broken, resolve(), Dockerfile.parse(broken.dockerfile))
    )


def test_a_service_built_differently_is_reported(resolve):
    apart = FILES.compose.replace(
        "  beat:\n    <<: *app\n",
        "  beat:\n    <<: *app\n    build: {context: ., dockerfile: Dockerfile.beat}\n",
    )

    problems = image_problems(
        FILES, resolve(FILES.but(compose=apart)), Dockerfile.parse(FILES.dockerfile)
    )

    assert "our services are built 2 ways; one image should run them all" in problems


# --- Variables --------------------------------------------------------------------------------


def test_env_example_documents_exactly_the_variables_the_settings_read(resolve):
    assert variable_problems(FILES, resolve()) == []


def test_a_variable_read_but_undocumented_or_documented_but_unread_is_reported(resolve):
    broken = FILES.but(
        settings=FILES.settings + '\nPAGE_SIZE = os.environ.get("PORTAL_PAGE_SIZE", "50")\n',
        env_example=FILES.env_example.replace("EMAIL_USE_TLS=", "EMAIL_USE_SSL="),
    )

    problems = variable_problems(broken, resolve(broken))

    assert "the settings read PORTAL_PAGE_SIZE, which .env.example does not document" in problems
    assert "the settings read EMAIL_USE_TLS, which .env.example does not document" in problems
    assert ".env.example documents EMAIL_USE_SSL, which the settings do not read" in problems


def test_a_variable_compose_sets_but_the_settings_do_not_read_is_reported(resolve):
    broken = FILES.but(compose=FILES.compose.replace("EMAIL_PORT:", "SMTP_PORT:"))

    assert "worker: compose sets SMTP_PORT, which the settings do not read" in variable_problems(
        broken, resolve(broken)
    )


# --- The build replayed -----------------------------------------------------------------------


def test_the_build_steps_install_the_package_and_collect_static_files_for_production(image):
    manifest = image.app / "var" / "staticfiles" / "staticfiles.json"  # only when DEBUG is off
    assert manifest.exists()
    assert (image.venv / "bin" / "gunicorn").exists() and (image.venv / "bin" / "celery").exists()
    assert not (image.app / ".venv").exists() and not (image.app / ".git").exists()


def test_every_service_command_exists_in_the_installed_image(resolve, image):
    assert command_problems(resolve(), image) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ('"worker", "--loglevel', '"wroker", "--loglevel'),
            "worker: `celery -A partnerxpress wroker --loglevel=INFO --max-tasks-per-child=100` "
            "fails: Error: No such command 'wroker'.",
        ),
        (
            ('"beat", "--loglevel=INFO"', '"beat", "--log-level=INFO"'),
            "beat: `celery -A partnerxpress beat --log-level=INFO` fails: "
            "Error: No such option '--log-level'. (Did you mean one of: '--logfile', '--loglevel'?)",
        ),
        (
            ("manage.py migrate --noinput", "manage.py migrat --noinput"),
            "migrate: `python manage.py migrat --noinput` fails: Unknown command: migrat",
        ),
        (
            ("manage.py migrate --noinput", "manage.py migrate --no-inputs"),
            "migrate: `python manage.py migrate --no-inputs` fails: "
            "django.core.management.base.CommandError: Error: unrecognized arguments: --no-inputs",
        ),
    ],
)
def test_a_wrong_service_command_is_reported(resolve, image, change, problem):
    broken = FILES.but(compose=FILES.compose.replace(*change))

    service = problem.split(":")[0]

    assert command_problems(resolve(broken), image, only=service) == [problem]


def test_a_wrong_command_in_the_image_is_reported(resolve, image):
    dockerfile = FILES.dockerfile.replace('"partnerxpress.wsgi"', '"partnerxpress.wsgii"')
    broken = dataclasses.replace(image, dockerfile=Dockerfile.parse(dockerfile))

    problems = command_problems(resolve(), broken, only="web")

    assert problems and problems[0].startswith("web: `gunicorn partnerxpress.wsgii --bind")


def test_the_deploy_checks_pass_with_the_compose_environment(resolve, image):
    assert deploy_check_problems(resolve(), image) == []


def test_the_web_services_health_check_answers(resolve, image, db):
    # the image's web server on a free port, against the test database
    assert (
        healthcheck_problems(resolve(), image, services.test_database_url(), services.free_port())
        == []
    )

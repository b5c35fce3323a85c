"""What CI checks about the container set-up, without a container runtime (issue 19).

Nothing here can run `docker compose up --build`, so CI reads the files as compose and Docker
would, and runs whatever can run without them:
- the compose file is valid: Debian's `docker-compose config` checks it against the compose
  schema and resolves it (anchors, `.env` from `.env.example`, interpolation);
- every volume mounted into our image is a folder the Dockerfile creates and gives to its USER
  (Docker creates a missing mount point owned by root, and the app cannot write there);
- one image for all our services, run as a user, no secret in ENV or ARG, no `.env` copied in;
- `.env.example` documents exactly the variables the settings read, and compose sets no other;
- the Dockerfile's build replayed in a clean virtualenv (`pip install .`, `collectstatic`);
- in that installation each service's command exists (dry runs: gunicorn `--check-config`,
  `celery … --help`, manage.py's own option parser), `check --deploy` passes with the compose
  environment, and the web service's health check answers.

`reading.py` reads the files and makes the checks that need nothing else; `replay.py` replays
the build and runs its commands. Each check returns the problems it finds as sentences ([] when
none) and works on the files' text, so a test can hand it a broken copy.
"""

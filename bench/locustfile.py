"""Signed-in resellers at work, for Locust (bench/run.py --only load starts it headless).

Each simulated user is a reseller's representative with a browser session and an API token
(read from the JSON file LOAD_USERS names, written by bench/run.py). Between requests a user
thinks for 0.5–2 s, as people do; the mix follows what resellers open most: the contracts list
with filters, system pages, the home page, a filtered CSV export and the API lists.
"""

from __future__ import annotations

import json
import os
import random
from itertools import cycle

from locust import HttpUser, between, task

with open(os.environ["LOAD_USERS"]) as file:
    PEOPLE = cycle(json.load(file))

LIST_FILTERS = [
    {},
    {"status": "expiring"},
    {"expiring_within": "30", "sort": "expiry"},
    {"status": "grace"},
    {"sort": "-expiry"},
    {"q": "customer 0007"},
]


class Reseller(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        person = next(PEOPLE)
        self.account = person["account"]
        self.size = person["systems"]
        self.browser = {"Cookie": f"{person['cookie']}={person['session']}"}
        self.api = {"Authorization": f"Token {person['token']}"}

    def serial(self) -> str:
        return f"{self.account}-{random.randrange(self.size):06d}"

    @task(6)
    def contracts(self) -> None:
        params = random.choice(LIST_FILTERS)
        self.client.get("/contracts/", params=params, headers=self.browser, name="/contracts/")

    @task(4)
    def system_page(self) -> None:
        self.client.get(f"/systems/{self.serial()}/", headers=self.browser, name="/systems/<s>/")

    @task(2)
    def home(self) -> None:
        self.client.get("/", headers=self.browser, name="/ (home)")

    @task(1)
    def export(self) -> None:
        self.client.get(
            "/contracts/export.csv",
            params={"expiring_within": "30"},
            headers=self.browser,
            name="/contracts/export.csv (expiring within 30 days)",
        )

    @task(3)
    def api_systems(self) -> None:
        params = random.choice([{}, {"status": "expiring"}, {"sort": "expiry"}])
        self.client.get("/api/v1/systems/", params=params, headers=self.api, name="API systems")

    @task(1)
    def api_customers(self) -> None:
        self.client.get("/api/v1/customers/", headers=self.api, name="API customers")

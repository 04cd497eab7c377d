# Two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash

.PHONY: run test setup

setup:
	@scripts/setup.sh

# The portal at http://localhost:3000 (or LEPTOS_SITE_ADDR) on data/portal.db (or DATABASE_URL),
# with the demo members.
run: setup
	source scripts/env.sh && PORTAL_DEMO=$${PORTAL_DEMO:-1} cargo leptos serve "$${RELEASE_FLAGS[@]}"

# Formatting, lints, unit and integration tests on SQLite and PostgreSQL, and Playwright.
test:
	@scripts/setup.sh --test
	scripts/test.sh

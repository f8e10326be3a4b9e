#!/usr/bin/env bash
# Set up, then run the whole suite: ruff (lint + format), mypy on kb/, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
. .venv/bin/activate
ruff check .
ruff format --check .
mypy kb
python -m pytest "$@"

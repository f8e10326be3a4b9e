#!/usr/bin/env bash
# Set up, ingest the bundled demo feed into .kb-demo/, and open the app on it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. .venv/bin/activate
export KB_HOME=${KB_HOME:-$PWD/.kb-demo}
kb ingest data/demo/ --no-fetch
kb stats
exec kb ui --port "${PORT:-8501}"

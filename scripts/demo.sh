#!/usr/bin/env bash
# Set up, ingest the bundled demo data (written by the team; see data/demo/README.md) into
# .kb-demo/, and open the app on it. Re-running ingests nothing twice.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. .venv/bin/activate
export KB_HOME=${KB_HOME:-$PWD/.kb-demo}
kb ingest data/demo/demo-feed.xml --no-fetch
kb ingest data/demo/articles/yang-zhilin-kimi-pricing.md --published 2024-06-18 --source "AI前哨（演示）"
kb ingest data/demo/articles/zhou-hongyi-free-ai.txt --published 2024-06-20 --source "科技速递（演示）"
kb ingest data/demo/articles/tsmc-wei-ai-demand-tw.txt --published 2024-06-04 --source "數位前線（示範）"
kb stats
echo "Opening the app on http://localhost:${PORT:-8501} (Ctrl-C to stop)"
exec kb ui --port "${PORT:-8501}"

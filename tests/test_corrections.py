"""Corrections (kb.corrections, `kb correct`) on a real SQLite KB with a real vector index: the fix is
stored, applied, searchable at once, re-indexed by the pipeline's resume step, and teaches the
registry when it should (and only then)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kb.base import KnowledgeBase
from kb.config import load_settings
from kb.corrections import apply, correct_company, correct_speaker, history
from kb.errors import KbError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def kb(home: Path) -> Any:
    spec = importlib.util.spec_from_file_location("ui_fixture_kb", ROOT / "tests/fixtures/ui/build_kb.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(home).close()
    kbase = KnowledgeBase(load_settings(home))
    yield kbase
    kbase.close()


def sid_of(kb: Any, words: str) -> str:
    row = kb.store.db.execute("SELECT id FROM statements WHERE text LIKE ?", (f"%{words}%",)).fetchone()
    return str(row[0])


def row(kb: Any, sid: str) -> Any:
    return kb.store.db.execute("SELECT * FROM statements WHERE id = ?", (sid,)).fetchone()


def fts_ids(kb: Any, word: str) -> set[str]:
    q = "SELECT statement_id FROM statements_fts WHERE statements_fts MATCH ?"
    return {r[0] for r in kb.store.db.execute(q, (f'"{word}"',))}


def test_speaker_fix_to_a_known_person_takes_their_role_on_that_date(kb: Any) -> None:
    sid = sid_of(kb, "纯API模式")  # said by 王小川 (百川智能)
    assert sid not in fts_ids(kb, "李彦宏")
    res = correct_speaker(kb.store, sid, "Robin Li", kb.registry, note="wrong speaker")
    r = row(kb, sid)
    assert (r["speaker"], r["speaker_id"], r["company_id"]) == ("李彦宏", "li-yanhong", "baidu")
    assert r["organization"] == "百度" and "董事长" in r["title"]
    assert r["corrected"] == 1 and r["indexed"] == 0
    assert res["learned"] is None  # a curated person: nothing to learn
    fix = history(kb.store, sid)[0]
    assert (fix["field"], fix["old"], fix["new"], fix["note"]) == (
        "speaker",
        "王小川",
        "李彦宏",
        "wrong speaker",
    )
    # The keyword row follows at once: the right name finds it, the wrong one no longer does.
    assert sid in fts_ids(kb, "李彦宏") and sid not in fts_ids(kb, "王小川")


def test_unknown_speaker_is_learned_by_the_registry_with_the_role_given(kb: Any) -> None:
    first, second = sid_of(kb, "纯API模式"), sid_of(kb, "闭源模型在能力上")
    res = correct_speaker(kb.store, first, "张三丰", kb.registry, title="副总裁", organization="百川智能")
    pid = res["learned"]
    assert pid and res["speaker_id"] == pid
    person = kb.store.db.execute("SELECT origin, status FROM people WHERE id = ?", (pid,)).fetchone()
    assert tuple(person) == ("discovered", "unconfirmed")
    aff = kb.store.db.execute(
        "SELECT company_id, title, origin FROM affiliations WHERE person_id = ?", (pid,)
    ).fetchall()
    assert [tuple(a) for a in aff] == [("baichuan", "副总裁", "discovered")]
    assert (res["organization"], res["company_id"], res["title"]) == ("百川智能", "baichuan", "副总裁")
    # The same registry object (the app caches one per process) knows them now, in either script:
    assert kb.registry.find("張三豐", "person").id == pid
    later = correct_speaker(kb.store, second, "张三丰", kb.registry)
    assert (later["speaker_id"], later["company_id"], later["title"]) == (pid, "baichuan", "副总裁")
    assert later["learned"] is None
    # …and so does a registry loaded afresh from the KB.
    from kb.registry import Registry

    assert Registry.load(store=kb.store).role_on(pid, "2024-08-01", approximate=True).company_id == "baichuan"


def test_company_fix_teaches_discovered_people_but_not_curated_roles(kb: Any) -> None:
    sid = sid_of(kb, "纯API模式")
    res = correct_company(kb.store, sid, "Volcano Engine", kb.registry)
    assert (res["organization"], res["company_id"]) == ("火山引擎", "volcano-engine")
    assert res["learned"] is None  # 王小川 is curated: one statement does not move his role
    roles = kb.store.db.execute(
        "SELECT company_id FROM affiliations WHERE person_id = 'wang-xiaochuan'"
    ).fetchall()
    assert "volcano-engine" not in {r[0] for r in roles}
    assert sid in fts_ids(kb, "火山")

    # A company the KB does not know stays as written, without an id; clearing works.
    res = correct_company(kb.store, sid, "某某科技", kb.registry)
    assert (res["organization"], res["company_id"]) == ("某某科技", None)
    res = correct_company(kb.store, sid, "", kb.registry)
    assert (res["organization"], res["company_id"]) == (None, None)
    assert [f["field"] for f in history(kb.store, sid)] == ["organization"] * 3

    # A discovered speaker: the company fix becomes their role.
    other = sid_of(kb, "闭源模型在能力上")
    pid = correct_speaker(kb.store, other, "赵六", kb.registry)["learned"]
    correct_company(kb.store, other, "零一万物", kb.registry)
    aff = kb.store.db.execute("SELECT company_id FROM affiliations WHERE person_id = ?", (pid,)).fetchall()
    assert [a[0] for a in aff] == ["01ai"]


def test_unnamed_source_and_stance_fix_and_bad_input(kb: Any) -> None:
    sid = sid_of(kb, "纯API模式")
    res = apply(kb.store, sid, "speaker", "", kb.registry)
    assert (res["speaker"], res["speaker_type"]) == (None, "unnamed")
    kb.store.db.execute("UPDATE statements SET indexed = 1 WHERE id = ?", (sid,))
    apply(kb.store, sid, "stance:open_source", "against", kb.registry, note="reads as against")
    st = kb.store.db.execute(
        "SELECT stance, origin FROM statement_topics WHERE statement_id = ? AND topic = 'open_source'", (sid,)
    ).fetchone()
    assert tuple(st) == ("against", "manual")
    r = row(kb, sid)
    assert r["indexed"] == 0 and "open_source" in json.loads(r["topics"])
    assert history(kb.store, sid)[0]["field"] == "stance:open_source"
    with pytest.raises(KbError, match="no statement"):
        correct_speaker(kb.store, "nope", "李彦宏", kb.registry)
    with pytest.raises(KbError, match="cannot correct"):
        apply(kb.store, sid, "text", "x", kb.registry)


def test_resume_indexing_rewrites_the_index_metadata(kb: Any) -> None:
    from kb.pipeline import Ingestor

    sid = sid_of(kb, "纯API模式")
    correct_speaker(kb.store, sid, "李彦宏", kb.registry)
    assert Ingestor(kb).resume_indexing() >= 1
    assert row(kb, sid)["indexed"] == 1
    vec = kb.embedder.embed_query("纯API模式")
    hits = {h[0] for h in kb.index.query(vec, 20, where={"speaker_id": "li-yanhong"})}
    assert sid in hits
    assert sid not in {h[0] for h in kb.index.query(vec, 20, where={"speaker_id": "wang-xiaochuan"})}


def test_kb_correct_command(kb: Any, home: Path) -> None:
    from kb.cli import cli

    sid = sid_of(kb, "纯API模式")
    kb.close()
    run = CliRunner().invoke(cli, ["correct", sid, "--speaker", "李開復", "--home", str(home), "--json"])
    assert run.exit_code == 0, run.output
    out = json.loads(run.output.strip().splitlines()[0])
    assert (out["speaker_id"], out["company_id"], out["old"]) == ("kai-fu-lee", "01ai", "王小川")
    run = CliRunner().invoke(cli, ["correct", sid, "--company", "百度", "--home", str(home)])
    assert run.exit_code == 0 and "organization 零一万物 -> 百度" in run.output
    run = CliRunner().invoke(cli, ["correct", sid, "--home", str(home)])
    assert run.exit_code != 0 and "--speaker" in str(run.exception or run.output)

"""Corrections (kb.corrections, `kb correct`) on a real SQLite KB with a real vector index: the fix is
stored, applied, searchable at once, re-indexed by the pipeline's resume step, and teaches the
registry when it should (and only then)."""

from __future__ import annotations

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
def kb(fixture_kb: Any) -> Any:
    return fixture_kb


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


# -- re-extraction: a fix follows its statement to its new id ------------------------------------

FEED = ROOT / "tests/fixtures/corrections"


@pytest.fixture
def fresh(home: Path) -> Any:
    """An empty KB on the fake embedder, day 1 of the corrections feed ingested (c/1 as a summary)."""
    from kb.pipeline import ingest_sources

    kbase = KnowledgeBase(load_settings(home))
    report = ingest_sources(kbase, [str(FEED / "day1.xml")], fetch=False)
    assert report.new_articles == 2 and not report.failures
    yield kbase
    kbase.close()


def ingest(kb: Any, name: str) -> Any:
    from kb.pipeline import ingest_sources

    return ingest_sources(kb, [str(FEED / name)], fetch=False)


def fix_rows(kb: Any) -> dict[int, Any]:
    return {r["id"]: r for r in kb.store.db.execute("SELECT * FROM corrections")}


def test_a_speaker_fix_survives_the_summary_being_replaced_by_the_full_text(fresh: Any) -> None:
    kb = fresh
    old = sid_of(kb, "创业公司不应该参与大模型价格战")
    assert row(kb, old)["speaker"] == "王小川"
    correct_speaker(kb.store, old, "李彦宏", kb.registry, note="the summary misattributed it")
    assert ingest(kb, "day2.xml").upgraded == 1  # the full text replaced the summary
    new = sid_of(kb, "这是一场大厂之间的消耗战")
    assert new != old and row(kb, old) is None  # a new extraction, new ids

    # In the store: the fix holds on the new statement, and its row now points there.
    r = row(kb, new)
    assert (r["speaker"], r["speaker_id"], r["company_id"], r["corrected"]) == (
        "李彦宏",
        "li-yanhong",
        "baidu",
        1,
    )
    (fix,) = [f for f in history(kb.store) if f["field"] == "speaker" and f["new"] == "李彦宏"]
    assert (fix["statement_id"], fix["status"], fix["old"]) == (new, "applied", "王小川")
    assert len(fix_rows(kb)) == 1  # put back, not recorded twice

    # In search: the right name finds it, a filter on the wrong speaker does not (the keyword row
    # keeps the mention as written, "百川智能创始人兼CEO王小川": those are the article's words).
    assert new in fts_ids(kb, "李彦宏")
    from kb.search import search

    hits = search(
        kb.store, kb.index, kb.embedder, kb.registry, "价格战", speaker="李彦宏", mode="keyword"
    ).hits
    assert new in {h["id"] for h in hits}
    hits = search(
        kb.store, kb.index, kb.embedder, kb.registry, "价格战", speaker="王小川", mode="keyword"
    ).hits
    assert new not in {h["id"] for h in hits}

    # In the index: the ingest wrote the corrected metadata (nothing left for a later refresh).
    assert r["indexed"] == 1 and not kb.store.unindexed()
    vec = kb.embedder.embed_query(r["text"])
    assert new in {h[0] for h in kb.index.query(vec, 20, where={"speaker_id": "li-yanhong"})}
    assert new not in {h[0] for h in kb.index.query(vec, 20, where={"speaker_id": "wang-xiaochuan"})}
    assert new in {h[0] for h in kb.index.query(vec, 20, where={"company_id": "baidu"})}

    # Seeing either snapshot again changes nothing.
    ingest(kb, "day1.xml")
    ingest(kb, "day2.xml")
    assert row(kb, new)["speaker"] == "李彦宏" and len(fix_rows(kb)) == 1


def test_a_fix_the_new_extraction_agrees_with_is_marked_satisfied(fresh: Any) -> None:
    kb = fresh
    old = sid_of(kb, "开源模型会越来越强")  # an unnamed source in the summary; the full text names him
    assert row(kb, old)["speaker_type"] == "unnamed"
    correct_speaker(kb.store, old, "王小川", kb.registry)
    ingest(kb, "day2.xml")
    new = sid_of(kb, "闭源模型的优势正在缩小")
    r = row(kb, new)
    assert (r["speaker_id"], r["corrected"]) == ("wang-xiaochuan", 0)  # as extracted, nothing re-applied
    (fix,) = fix_rows(kb).values()
    assert (fix["statement_id"], fix["status"]) == (new, "satisfied")


def test_a_fix_whose_text_is_gone_is_kept_as_orphaned_and_doctor_says_so(fresh: Any, home: Path) -> None:
    from kb.corrections import orphans
    from kb.doctor import check

    kb = fresh
    gone = sid_of(kb, "推理成本每年都会下降十倍")  # in the summary only
    correct_speaker(kb.store, gone, "李彦宏", kb.registry)
    assert check(kb).get("orphaned_corrections") is None
    report = ingest(kb, "day2.xml")
    assert report.upgraded == 1
    assert any("gone from the new text" in w for w in report.warnings)
    (fix,) = fix_rows(kb).values()
    assert (fix["statement_id"], fix["status"]) == (gone, "orphaned")
    (lost,) = orphans(kb.store)
    assert (lost["field"], lost["new"], lost["text"]) == ("speaker", "李彦宏", "推理成本每年都会下降十倍")
    assert lost["article_url"] == "https://test.kb.invalid/c/1"
    assert history(kb.store)[0]["status"] == "orphaned"
    # No new statement took the fix: 李开复's other words stay his, nobody else became 李彦宏.
    assert "李彦宏" not in {
        r["speaker"] for r in kb.store.article_statements(row(kb, sid_of(kb, "消耗战"))["article_id"])
    }

    found = check(kb)
    assert found["ok"] is True  # kept work, not damage: reindex cannot repair it
    assert [f["id"] for f in found["orphaned_corrections"]] == [fix["id"]]
    assert any("1 corrections lost their statement" in n for n in found["notes"])
    kb.close()
    from kb.cli import cli

    run = CliRunner().invoke(cli, ["doctor", "--home", str(home)])
    assert run.exit_code == 0 and "note: 1 corrections lost their statement" in run.output


def test_company_and_stance_fixes_follow_too(fresh: Any) -> None:
    kb = fresh
    old = sid_of(kb, "创业公司不应该参与大模型价格战")
    correct_company(kb.store, old, "火山引擎", kb.registry)
    apply(kb.store, old, "stance:pricing", "against", kb.registry)
    ingest(kb, "day2.xml")
    new = sid_of(kb, "消耗战")
    r = row(kb, new)
    assert (r["organization"], r["company_id"], r["speaker"]) == ("火山引擎", "volcano-engine", "王小川")
    st = kb.store.db.execute(
        "SELECT stance, origin FROM statement_topics WHERE statement_id = ? AND topic = 'pricing'", (new,)
    ).fetchone()
    assert tuple(st) == ("against", "manual") and "pricing" in json.loads(r["topics"])
    assert {f["statement_id"] for f in fix_rows(kb).values()} == {new}
    vec = kb.embedder.embed_query(r["text"])
    assert new in {h[0] for h in kb.index.query(vec, 20, where={"company_id": "volcano-engine"})}


def test_follow_twice_applies_nothing_twice(fresh: Any) -> None:
    from kb.corrections import follow

    kb = fresh
    old = sid_of(kb, "创业公司不应该参与大模型价格战")
    correct_speaker(kb.store, old, "李彦宏", kb.registry)
    ingest(kb, "day2.xml")
    new = sid_of(kb, "消耗战")
    before = [tuple(f) for f in fix_rows(kb).values()]
    assert follow(kb.store, row(kb, new)["article_id"]) == []
    assert [tuple(f) for f in fix_rows(kb).values()] == before and row(kb, new)["speaker"] == "李彦宏"


def test_migration_anchors_fixes_made_before_it(tmp_path: Path) -> None:
    """A KB at schema 4 with corrections: m005 fills their anchors and what they set, and marks a
    fix whose statement was already gone as orphaned."""
    import sqlite3

    from kb.store import Store
    from kb.store.migrations import MIGRATIONS

    path = tmp_path / "kb.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    for m in MIGRATIONS[:4]:
        m(db)
    db.execute("INSERT INTO meta VALUES ('schema_version', '4')")
    db.execute(
        "INSERT INTO articles (id, guid, url, content_hash, title, text, ingested_at) "
        "VALUES (1, 'g1', 'https://x.invalid/1', 'h', 't', 'x', 'now')"
    )
    db.execute(
        "INSERT INTO statements (id, article_id, seq, text, text_simplified, start, end, kind, speaker, "
        "speaker_id, speaker_mention, speaker_type, quote_key, corrected) VALUES ('s1', 1, 0, "
        "'创业公司不应该参与价格战', '创业公司不应该参与价格战', 0, 12, 'indirect', '李彦宏', 'li-yanhong', "
        "'王小川', 'person', 'qk', 1)"
    )
    q = "INSERT INTO corrections (statement_id, field, old, new, at) VALUES (?, 'speaker', ?, ?, 'now')"
    db.execute(q, ("s1", "王小川", "李彦宏"))
    db.execute(q, ("gone", "a", "b"))
    db.close()

    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS)
        rows = {r["statement_id"]: r for r in store.db.execute("SELECT * FROM corrections")}
    s1 = rows["s1"]
    assert (s1["article_guid"], s1["article_url"], s1["quote_key"], s1["speaker_mention"]) == (
        "g1",
        "https://x.invalid/1",
        "qk",
        "王小川",
    )
    assert s1["quote_text"] == "创业公司不应该参与价格战" and s1["status"] == "applied"
    assert json.loads(s1["applied"])["speaker_id"] == "li-yanhong"
    assert rows["gone"]["status"] == "orphaned"


def test_a_fix_is_put_back_when_a_dropped_article_is_ingested_again(fresh: Any) -> None:
    """Re-extraction by re-ingest (say, after the rules improved): the same text gives the same
    statement id, which comes back as extracted; the fix is put back on it."""
    kb = fresh
    sid = sid_of(kb, "创业公司不应该参与大模型价格战")
    correct_speaker(kb.store, sid, "李彦宏", kb.registry)
    with kb.store.transaction() as db:
        aid = row(kb, sid)["article_id"]
        db.execute(
            "DELETE FROM statements_fts WHERE statement_id IN (SELECT id FROM statements WHERE article_id = ?)",
            (aid,),
        )
        db.execute("DELETE FROM articles WHERE id = ?", (aid,))
    assert ingest(kb, "day1.xml").new_articles == 1
    r = row(kb, sid)
    assert (r["speaker_id"], r["corrected"], r["indexed"]) == ("li-yanhong", 1, 1)
    (fix,) = fix_rows(kb).values()
    assert (fix["statement_id"], fix["status"]) == (sid, "applied")

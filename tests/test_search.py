"""Search on a small real KB (SQLite + Chroma, fake embedder) built from tests/fixtures/search/kb.json:
keyword, vector and hybrid retrieval, filters inside the retrievers, syndication, hostile queries,
and the `kb search` command."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from kb.config import load_settings
from kb.records import ParsedItem, Statement

FIXTURE = Path(__file__).parent / "fixtures" / "search" / "kb.json"
AS_OF = date(2024, 5, 31)


def build_kb(home: Path) -> None:
    """Store the fixture's articles and statements, its people and companies (as KB entries the
    registry merges), and the statement vectors in Chroma."""
    from kb.base import KnowledgeBase
    from kb.pipeline import index_metadata
    from kb.store.db import iso, statement_id
    from kb.textnorm import alias_key, content_hash

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    settings = load_settings(home)
    kb = KnowledgeBase(settings)
    store = kb.store
    with store.transaction() as db:
        for p in data["people"]:
            db.execute(
                "INSERT INTO people (id, name, name_en, origin) VALUES (?, ?, ?, 'test')",
                (p["id"], p["name"], p["name_en"]),
            )
            for r in p["roles"]:
                db.execute(
                    "INSERT INTO affiliations (person_id, company_id, title, since, until, origin) "
                    "VALUES (?, ?, ?, ?, ?, 'test')",
                    (p["id"], r["company_id"], r["title"], r["since"], r["until"]),
                )
        for c in data["companies"]:
            db.execute(
                "INSERT INTO companies (id, name, name_en, kind, origin) VALUES (?, ?, ?, ?, 'test')",
                (c["id"], c["name"], c["name_en"], c["kind"]),
            )
        for e in data["people"] + data["companies"]:
            kind = "person" if e in data["people"] else "company"
            for a in e["aliases"]:
                db.execute(
                    "INSERT OR IGNORE INTO aliases (norm, alias, entity_kind, entity_id) VALUES (?, ?, ?, ?)",
                    (alias_key(a), a, kind, e["id"]),
                )
    ids, texts, metas = [], [], []
    for a in data["articles"]:
        item = ParsedItem(
            title=a["title"],
            text=a["text"],
            url=a["url"],
            guid=a["guid"],
            published=datetime.fromisoformat(a["published"]),
            source=a["source"],
        )
        stmts = []
        for s in a["statements"]:
            start = a["text"].index(s["span"])
            stmts.append(
                Statement(
                    text=s["span"],
                    start=start,
                    end=start + len(s["span"]),
                    kind=s["kind"],
                    cue=s["cue"],
                    speaker=s["speaker"],
                    speaker_mention=s["mention"],
                    speaker_type=s.get("speaker_type", "person"),
                    anonymous=s.get("speaker_type") == "unnamed",
                    title=s["title"],
                    organization=s["org"],
                    speaker_id=s["speaker_id"],
                    company_id=s["company_id"],
                    topics=s["topics"],
                )
            )
        src = store.upsert_source(a["url"], a["source"])
        assert store.add_article(item, stmts, src) is not None
        chash = content_hash(item.title, item.text)
        for st in stmts:
            ids.append(statement_id(chash, st.start, st.end))
            texts.append(st.text)
            metas.append(index_metadata(st, iso(item.published)))
    kb.index.upsert(ids, kb.embedder.embed_passages(texts), metas)
    store.mark_indexed(ids)
    kb.close()


@pytest.fixture(scope="module")
def kb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    h = tmp_path_factory.mktemp("searchkb")
    (h / "settings.toml").write_text('model = "fake"\n', encoding="utf-8")
    build_kb(h)
    return h


@pytest.fixture(scope="module")
def kb(kb_home: Path):  # type: ignore[no-untyped-def]
    from kb.base import KnowledgeBase

    k = KnowledgeBase(load_settings(kb_home), readonly=True)
    yield k
    k.close()


def run(kb, q, **kw):  # type: ignore[no-untyped-def]
    from kb.search import search

    kw.setdefault("as_of", AS_OF)
    return search(kb.store, kb.index, kb.embedder, kb.registry, q, **kw)


def texts(res) -> list[str]:  # type: ignore[no-untyped-def]
    return [h["text"] for h in res.hits]


# -- retrieval ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["keyword", "vector", "hybrid"])
def test_each_mode_finds_the_quote(kb, mode: str) -> None:
    res = run(kb, "创业公司 价格战 API", mode=mode)
    assert res.hits, res.notes
    assert res.hits[0]["text"].startswith("创业公司不要参与价格战")


def test_traditional_query_matches_simplified_statement_and_back(kb) -> None:
    res = run(kb, "創業公司 參與價格戰", mode="keyword")
    assert texts(res)[0].startswith("创业公司不要参与价格战")
    res = run(kb, "烧钱 ofo", mode="keyword")  # simplified query, traditional statement
    assert texts(res)[0] == "大模型行業不能像ofo一樣燒錢"


def test_syndicated_copies_collapse_into_one_hit(kb) -> None:
    res = run(kb, "创业公司不要参与价格战", mode="keyword")
    same = [h for h in res.hits if h["text"].startswith("创业公司不要参与价格战")]
    assert len(same) == 1
    assert same[0]["also_in_count"] == 1
    assert same[0]["also_in"][0]["source"] in {"测试科技", "另一媒体"}


def test_hit_fields_context_and_highlights(kb) -> None:
    h = run(kb, "医疗", mode="keyword").hits[0]
    for k in ("id", "speaker", "speaker_mention", "speaker_type", "anonymous", "organization", "title", "text",
              "kind", "cue", "start", "end", "topics", "stance", "score", "article_title", "url", "published",
              "source"):  # fmt: skip
        assert k in h, k
    assert h["speaker"] == "王小川" and h["url"] == "https://example.invalid/a1"
    assert (
        h["context_before"] == "百川智能创始人王小川表示，创业公司不要参与价格战，纯API的商业模式很难走通。"
    )
    assert h["context_after"] == "业内对此看法不一。"
    assert [(x["start"], x["end"]) for x in h["highlights"]] == [
        (h["text"].index("医疗"), h["text"].index("医疗") + 2)
    ]


def test_name_only_query_lists_speaker_newest_first(kb) -> None:
    for q in ("王小川", "Wang Xiaochuan", "wangxiaochuan"):
        res = run(kb, q)
        assert res.query.speaker_ids == ["wang-xiaochuan"]
        assert {h["speaker_id"] for h in res.hits} == {"wang-xiaochuan"}
        pub = [h["published"] for h in res.hits]
        assert pub == sorted(pub, reverse=True) and len(res.hits) == 3


@pytest.mark.parametrize("q", ["李彥宏 开源", "Robin Li on open source", "liyanhong 开源"])
def test_person_in_any_script_plus_topic(kb, q: str) -> None:
    res = run(kb, q)
    assert res.query.speaker_ids == ["li-yanhong"]
    assert texts(res) == ["开源模型会越来越落后，闭源才有商业模式"]


@pytest.mark.parametrize("mode", ["keyword", "vector", "hybrid"])
def test_filters_apply_inside_each_retriever(kb, mode: str) -> None:
    # Only Kai-Fu Lee's statements, whatever the words say about others.
    res = run(kb, "成本 价格战 大模型", mode=mode, speaker="Kai-Fu Lee")
    assert res.hits and {h["speaker_id"] for h in res.hits} == {"kai-fu-lee"}
    # Date range: May 2024 only (China time).
    res = run(kb, "大模型 成本", mode=mode, since=date(2024, 5, 1), until=date(2024, 5, 31))
    assert res.hits and all("2024-05" <= h["published"][:7] for h in res.hits)
    # Topic as an explicit filter.
    res = run(kb, "大模型", mode=mode, topic="open source")
    assert [h["text"] for h in res.hits] == ["开源模型会越来越落后，闭源才有商业模式"]


def test_company_filter_uses_roles_on_the_date(kb) -> None:
    # 王小川 was Sogou's CEO until 2021: his 2019 statement counts for Sogou, not his 2024 ones.
    res = run(kb, "搜狗")
    assert res.query.company_ids == ["sogou"]
    assert texts(res) == ["输入法是人工智能最好的落地场景"]
    res = run(kb, "百川智能 5月以来")
    assert {h["speaker_id"] for h in res.hits} == {"wang-xiaochuan"}
    assert all(h["published"] >= "2024-04-30" for h in res.hits)


def test_company_plus_time_in_words(kb) -> None:
    res = run(kb, "what did Baichuan say about pricing last month", as_of=date(2024, 6, 10))
    assert res.query.company_ids == ["baichuan"]
    assert (res.query.since, res.query.until) == (date(2024, 5, 1), date(2024, 5, 31))
    assert res.hits[0]["text"].startswith("创业公司不要参与价格战")


def test_meaning_query_finds_unnamed_source(kb) -> None:
    res = run(kb, "谁认为补贴大战不可持续")
    assert texts(res)[0] == "补贴大战不可持续，最终还是要回到产品本身"
    assert res.hits[0]["anonymous"] is True and res.hits[0]["speaker"] is None


@pytest.mark.parametrize(
    "q", ["", "   ", "x" * 10_000, "🙂🚀🔥", "!!!@@@###", "\"'*()-:^", "AND OR NOT NEAR", "\x00\x1b[31m"]
)
@pytest.mark.parametrize("mode", ["keyword", "vector", "hybrid"])
def test_hostile_queries_answer_clearly(kb, q: str, mode: str) -> None:
    res = run(kb, q, mode=mode)
    assert isinstance(res.hits, list)
    if not res.hits:
        assert res.message().startswith("no statements match")


def test_filters_that_match_nothing(kb) -> None:
    res = run(kb, "价格战", since=date(2030, 1, 1))
    assert res.hits == [] and "no statements match" in res.message() and "2030-01-01" in res.message()
    res = run(kb, "价格战", since=date(2024, 6, 1), until=date(2024, 5, 1))
    assert res.hits == [] and any("empty" in n for n in res.notes)


def test_unknown_speaker_suggests_close_names(kb) -> None:
    from kb.errors import KbError

    with pytest.raises(KbError, match="王小川"):
        run(kb, "价格战", speaker="王晓川")


def test_a_doubted_speaker_ranks_lower_in_hybrid_only(tmp_path: Path) -> None:
    """Hybrid ranking scales a statement whose speaker the confidence model doubts (below
    `trust_below`) by its confidence; the single retrievers stay as they are."""
    from kb.base import KnowledgeBase
    from kb.search.engine import Fusion

    (tmp_path / "settings.toml").write_text('model = "fake"\n', encoding="utf-8")
    build_kb(tmp_path)
    q = "创业公司 价格战 API"
    with KnowledgeBase(load_settings(tmp_path)) as k:
        first = run(k, q).hits[0]
        key = first["quote_key"]  # the statement and its syndicated copy
        assert first["text"].startswith("创业公司不要参与价格战")
        with k.store.transaction() as db:
            db.execute("UPDATE statements SET confidence = 0.95 WHERE quote_key != ?", (key,))
            db.execute("UPDATE statements SET confidence = 0.1 WHERE quote_key = ?", (key,))
        keys = [h["quote_key"] for h in run(k, q).hits]
        assert keys[0] != key and key in keys
        for mode in ("keyword", "vector"):
            assert run(k, q, mode=mode).hits[0]["quote_key"] == key, mode
        assert run(k, q, fusion=Fusion(trust_below=0.0)).hits[0]["quote_key"] == key
        with k.store.transaction() as db:  # trusted enough: no change
            db.execute("UPDATE statements SET confidence = 0.75 WHERE quote_key = ?", (key,))
        assert run(k, q).hits[0]["quote_key"] == key


# -- the command ------------------------------------------------------------------------------------


def cli(home: Path, *args: str) -> tuple[int, str, str]:
    import subprocess
    import sys

    p = subprocess.run(
        [sys.executable, "-m", "kb", "search", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return p.returncode, p.stdout, p.stderr


def test_cli_json_explain_csv(kb_home: Path, tmp_path: Path) -> None:
    code, out, err = cli(kb_home, "李開復 价格战", "--as-of", "2024-05-31", "--json", "--explain")
    assert code == 0, err
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines[0]["type"] == "query" and lines[0]["speaker_ids"] == ["kai-fu-lee"]
    hits = lines[1:]
    assert hits and all(h["speaker"] == "李开复" for h in hits)
    assert {"score", "article_title", "url", "published", "source", "text"} <= set(hits[0])

    code, out, err = cli(kb_home, "王小川", "--csv", "-")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 3 and rows[0]["speaker"] == "王小川"

    f = tmp_path / "out.csv"
    code, out, err = cli(kb_home, "价格战", "--csv", str(f))
    assert code == 0 and f.exists() and "价格战" in f.read_text(encoding="utf-8")

    code, out, err = cli(kb_home, "Robin Li on open source", "--explain")
    assert code == 0 and "speaker: 李彦宏" in out and "开源模型" in out


@pytest.mark.parametrize("q", ["", "🙂🚀", "x" * 10_000, "!!!"])
def test_cli_hostile_queries(kb_home: Path, q: str) -> None:
    code, out, err = cli(kb_home, q)
    assert code == 0 and "Traceback" not in err
    if len(q) > 1000:  # a long query still searches (its first 500 characters), and says so
        assert "only the first 500" in err
    else:
        assert "no statements match" in out + err


def test_cli_unknown_speaker_and_missing_kb(kb_home: Path, tmp_path: Path) -> None:
    code, out, err = cli(kb_home, "价格战", "--speaker", "王晓川")
    assert code == 1 and "王小川" in err and "Traceback" not in err
    code, out, err = cli(tmp_path / "nowhere", "价格战")
    assert code != 0 and "Traceback" not in err and err.count("\n") == 1


# -- the fast paths (kb.search.engine): same answers as the plain ones ---------------------------


@pytest.mark.parametrize(
    ("overfetch", "among_max"),
    [(1, 20_000), (1, 0), (500, 20_000)],  # step 2 (ids from SQL), steps 3-4 (over-fetch, Chroma), step 1
)
def test_filtered_vector_steps_agree_with_chroma_where(
    kb, monkeypatch, overfetch: int, among_max: int
) -> None:
    import kb.search.engine as engine
    from kb.search.filters import chroma_where, resolve
    from kb.search.query import add_options, parse_query

    monkeypatch.setattr(engine, "OVERFETCH", overfetch)
    monkeypatch.setattr(engine, "AMONG_MAX", among_max)
    for opts in ({"speaker": "Kai-Fu Lee"}, {"since": date(2024, 5, 1), "until": date(2024, 5, 31)}):
        pq = add_options(parse_query("大模型 成本", kb.registry, AS_OF), kb.registry, **opts)  # type: ignore[arg-type]
        rv = resolve(kb.registry, pq)
        got = engine.vector_search(kb.index, kb.embedder, pq, 5, rv, kb.store)
        want = kb.index.query(kb.embedder.embed_query(pq.text), 5, where=chroma_where(pq, rv))
        assert got and [i for i, _ in got] == [i for i, _ in want]


def test_keyword_pruning_keeps_rarest_term_and_narrow_filters(kb, monkeypatch) -> None:
    import kb.search.engine as engine

    monkeypatch.setattr(engine, "MATCH_BUDGET", 1)
    terms = engine.keyword_terms("大模型 医疗")
    kept = engine.prune_terms(kb.store, terms)
    assert kept == ["医疗"] and len(terms) > 1  # 大模型 is in many statements, 医疗 in one
    # A filter that the pruned terms miss still finds its statements (the full terms run again).
    res = run(kb, "成本 价格战 大模型", mode="keyword", speaker="Kai-Fu Lee")
    assert res.hits and {h["speaker_id"] for h in res.hits} == {"kai-fu-lee"}


def test_cli_shows_the_day_where_the_source_is() -> None:
    """Stored dates are UTC; the text output gives the source's own day, as the app does (an article of
    a Chinese outlet at 00:30 on 1 December is stored as 30 November 16:30 UTC)."""
    from kb.cli.search_cmd import _fmt_hit

    hit = {
        "text": "今年服务器采购支出预计达450亿美元",
        "speaker": "The Information",
        "speaker_mention": "The Information",
        "published": "2026-11-30T16:30:00+00:00",
        "tz": "+08:00",
        "source": "测试",
    }
    assert "· 2026-12-01 ·" in _fmt_hit(1, hit, color=False)
    assert "· 2026-11-30 ·" in _fmt_hit(1, {**hit, "tz": "+00:00"}, color=False)
    assert "· undated ·" in _fmt_hit(1, {**hit, "published": None}, color=False)

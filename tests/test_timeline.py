"""Timelines, compare and "what changed" over a real SQLite KB built in a temp folder.

The people and companies come from the curated registry (data/registry): 张勇 was Alibaba's CEO
until 2023-09 and 吴泳铭 after him, so a statement by 张勇 in 2024 must not count for Alibaba.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.errors import KbError
from kb.records import ParsedItem, Statement
from kb.registry import Registry
from kb.store import Store
from kb.timeline import changes, compare, period_of, timeline


def st(text: str, start: int, speaker_id: str | None, topics: dict[str, str], *, company_id: str | None = None,
       speaker_type: str = "person") -> Statement:  # fmt: skip
    first = next(iter(topics), None)
    return Statement(
        text=text, start=start, end=start + len(text), kind="indirect", cue="表示", speaker=speaker_id,
        speaker_mention=speaker_id or "业内人士", speaker_type=speaker_type,  # type: ignore[arg-type]
        speaker_id=speaker_id, company_id=company_id, topics=list(topics),
        stance=topics.get(first) if first else None, stances=dict(topics),  # type: ignore[arg-type]
    )  # fmt: skip


ARTICLES = [
    # (published UTC, statements)
    ("2023-06-10T02:00:00", [st("降价是为了让更多企业用得起大模型", 0, "zhang-yong", {"pricing": "for"})]),
    ("2024-01-15T02:00:00", [st("张勇离任后谈价格", 0, "zhang-yong", {"pricing": "against"})]),
    ("2024-01-20T02:00:00", [st("我们会坚定开源最强的模型", 0, "wu-yongming", {"open_source": "for"}),
                             st("价格战不可持续", 20, "wu-yongming", {"pricing": "against"})]),
    ("2024-02-03T02:00:00", [st("公司官方表示将继续降价", 0, "alibaba", {"pricing": "for"},
                                speaker_type="organization")]),
    ("2024-02-05T02:00:00", [st("一位阿里高管称开源是长期战略", 0, None, {"open_source": "neutral"},
                                company_id="alibaba", speaker_type="unnamed")]),
    ("2024-03-01T02:00:00", [st("我们不参与价格战", 0, "wu-yongming", {"pricing": "against"}),
                             st("今天天气不错", 30, "wu-yongming", {})]),
    ("2024-03-02T02:00:00", [st("火山引擎表示价格还会继续下降", 0, "volcano-engine", {"pricing": "for"},
                                speaker_type="organization")]),
]  # fmt: skip


def build(home: Path) -> Store:
    store = Store(home / "kb.sqlite3")
    Registry.load(store=store).sync_to_store(store)
    for n, (when, stmts) in enumerate(ARTICLES):
        item = ParsedItem(title=f"文章{n}", text="正文" * 40 + str(n), url=f"https://example.invalid/{n}",
                          guid=f"g{n}", published=datetime.fromisoformat(when).replace(tzinfo=UTC), source="测试")  # fmt: skip
        assert store.add_article(item, stmts) is not None
    return store


@pytest.fixture
def store(home: Path) -> Store:
    s = build(home)
    yield s
    s.close()


def ids_by(store: Store, text: str) -> str:
    return str(store.db.execute("SELECT id FROM statements WHERE text = ?", (text,)).fetchone()[0])


def test_company_counts_people_while_they_held_a_role(store: Store) -> None:
    rows = timeline(store, company="阿里巴巴", topic="pricing")
    got = {(r["period"], r["stance"]): r["count"] for r in rows}
    # 2023-06 张勇 (CEO then); 2024-01 吴泳铭 only (张勇 had left); 2024-02 the company itself.
    assert got == {
        ("2023-06", "for"): 1,
        ("2024-01", "against"): 1,
        ("2024-02", "for"): 1,
        ("2024-03", "against"): 1,
    }
    jan = next(r for r in rows if r["period"] == "2024-01")
    assert jan["statement_ids"] == [ids_by(store, "价格战不可持续")]
    assert set(rows[0]) == {"period", "topic", "stance", "count", "statement_ids"}


def test_company_includes_company_id_and_untagged(store: Store) -> None:
    rows = timeline(store, company="Alibaba", since="2024-02-01", until="2024-03-31")
    keys = {(r["period"], r["topic"], r["stance"]) for r in rows}
    assert ("2024-02", "open_source", "neutral") in keys  # company_id = alibaba, unnamed speaker
    assert ("2024-03", None, None) in keys  # a statement without a topic still counts


def test_person_timeline_by_week_and_topic_alias(store: Store) -> None:
    rows = timeline(store, person="吳泳銘", topic="价格战", by="week")
    assert [(r["period"], r["stance"]) for r in rows] == [("2024-W03", "against"), ("2024-W09", "against")]
    assert period_of(datetime(2026, 2, 12).date(), "week") == "2026-W07"


def test_empty_window_is_empty_not_an_error(store: Store) -> None:
    assert timeline(store, company="阿里巴巴", since="2025-01-01", until="2025-02-01") == []
    assert timeline(store, company="小米") == []


def test_unknown_names_suggest_the_closest(store: Store) -> None:
    with pytest.raises(KbError, match="阿里巴巴"):
        timeline(store, company="阿里巴")
    with pytest.raises(KbError, match="did you mean"):
        timeline(store, person="吴泳明")
    with pytest.raises(KbError, match="topic"):
        timeline(store, company="阿里巴巴", topic="weather")
    with pytest.raises(KbError):
        timeline(store, company="阿里巴巴", since="last tuesday-ish")


def test_compare_side_by_side(store: Store) -> None:
    rows = compare(store, ["阿里巴巴", "火山引擎"], topic="pricing")
    march = [(r["company"], r["stance"]) for r in rows if r["period"] == "2024-03"]
    assert march == [("阿里巴巴", "against"), ("火山引擎", "for")]
    with pytest.raises(KbError):
        compare(store, ["阿里巴巴"], topic="pricing")


def test_changes_first_and_shift(store: Store) -> None:
    out = changes(store, company="阿里巴巴")
    kinds = [(c["period"], c["topic"], c["change"], c["previous_stance"], c["stance"]) for c in out]
    assert ("2023-06", "pricing", "first", None, "for") in kinds
    assert ("2024-01", "pricing", "shift", "for", "against") in kinds
    assert ("2024-02", "pricing", "shift", "against", "for") in kinds
    assert ("2024-01", "open_source", "first", None, "for") in kinds
    assert all(c["statement_ids"] and c["count"] == len(c["statement_ids"]) for c in out)


def test_cli_timeline_json_csv_and_errors(store: Store, home: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        cli, ["timeline", "--company", "阿里巴巴", "--topic", "pricing", "--json", "--home", str(home)]
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert rows[0]["period"] == "2023-06" and rows[0]["count"] == 1
    res = runner.invoke(cli, ["timeline", "--person", "吴泳铭", "--csv", "--home", str(home)])
    assert res.exit_code == 0 and res.output.splitlines()[0] == "period,topic,stance,count,statement_ids"
    res = runner.invoke(cli, ["compare", "--company", "阿里巴巴", "--company", "火山引擎", "--topic", "pricing",
                              "--json", "--home", str(home)])  # fmt: skip
    assert res.exit_code == 0 and "火山引擎" in res.output
    res = runner.invoke(cli, ["changes", "--company", "阿里巴巴", "--json", "--home", str(home)])
    assert res.exit_code == 0 and '"shift"' in res.output


def test_cli_unknown_company_is_one_line(store: Store, home: Path) -> None:
    from kb.cli import main

    with pytest.raises(SystemExit) as e:
        main(["timeline", "--company", "阿里巴", "--home", str(home)])
    assert e.value.code == 1


def test_label_stores_correction_and_retrains(store: Store, home: Path) -> None:
    from kb.records import Statement as S
    from kb.stance import MODEL_FILE
    from kb.topics import annotate

    sid = ids_by(store, "我们不参与价格战")
    runner = CliRunner()
    res = runner.invoke(
        cli, ["label", sid, "--topic", "价格战", "--stance", "mixed", "--json", "--home", str(home)]
    )
    assert res.exit_code == 0, res.output
    row = store.db.execute("SELECT stance, origin FROM statement_topics WHERE statement_id = ? AND topic = 'pricing'",
                           (sid,)).fetchone()  # fmt: skip
    assert (row["stance"], row["origin"]) == ("mixed", "manual")
    assert store.db.execute("SELECT stance, corrected FROM statements WHERE id = ?", (sid,)).fetchone()[
        :
    ] == ("mixed", 1)
    assert store.db.execute("SELECT field, old, new FROM corrections").fetchone()[:] == (
        "stance:pricing",
        "against",
        "mixed",
    )
    assert (home / MODEL_FILE).exists()  # retrained by default (fake embedder in this KB)
    res = runner.invoke(cli, ["label", "--retrain", "--json", "--home", str(home)])
    assert res.exit_code == 0 and '"correction": 1' in res.output
    # The KB's model is used by annotate for this home.
    from kb.embed.fake import FakeEmbedder

    emb = FakeEmbedder()
    s = S(text="我们不参与价格战", start=0, end=8, kind="indirect", cue="称", speaker=None, speaker_mention="x",
          speaker_type="person")  # fmt: skip
    annotate([s], emb.embed_passages([s.text]), emb, home=home)
    assert s.topics and s.topics[0] == "pricing" and s.stance in {"for", "against", "neutral", "mixed"}
    bad = runner.invoke(cli, ["label", "nope", "--topic", "pricing", "--stance", "for", "--home", str(home)])
    assert bad.exit_code != 0

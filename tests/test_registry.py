"""Registry: lookups in every script, roles by date, the KB copy (sync, discovery, confirm, merge)."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from kb.errors import KbError
from kb.records import ParsedItem, Statement
from kb.registry import DATA_DIR, Registry, confirm, correct, merge, record_discovered
from kb.store import Store
from kb.textnorm import to_simplified


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.load()


@pytest.mark.parametrize(
    "mention, eid",
    [
        ("李彦宏", "li-yanhong"),
        ("李彥宏", "li-yanhong"),
        ("Robin Li", "li-yanhong"),
        ("robinli", "li-yanhong"),
        ("li yanhong", "li-yanhong"),
        ("LIYANHONG", "li-yanhong"),
        ("黃仁勳", "jensen-huang"),
        ("Jensen Huang", "jensen-huang"),
        ("奥特曼", "sam-altman"),
        ("Sam Altman", "sam-altman"),
        ("萨姆·奥特曼", "sam-altman"),  # transliterations the press uses beside the registry's own
        ("戴米斯·哈薩比斯", "demis-hassabis"),
        ("王小川", "wang-xiaochuan"),
        ("Xiaochuan Wang", "wang-xiaochuan"),
        ("wang xiao chuan", "wang-xiaochuan"),
        ("英偉達", "nvidia"),
        ("NVIDIA", "nvidia"),
        ("月之暗面", "moonshot"),
        ("Moonshot AI", "moonshot"),
        ("火山引擎", "volcano-engine"),
        ("bai chuan zhi neng", "baichuan"),
        ("日本經濟新聞", "nikkei"),
        ("The Information", "the-information"),
        ("li-yanhong", "li-yanhong"),  # an id works too
    ],
)
def test_find_any_script(reg: Registry, mention: str, eid: str) -> None:
    e = reg.find(mention)
    assert e is not None and e.id == eid


def test_counts_and_file_rules(reg: Registry) -> None:
    people = reg.people()
    companies = reg.companies("company") + reg.companies("organization")
    media = reg.companies("media")
    assert len(people) >= 100 and len(companies) >= 90 and len(media) >= 20
    assert len(reg.entities) >= 150
    ids = set(reg.entities)
    for e in reg.entities.values():
        for r in e.roles:
            assert r.company_id in ids, (e.id, r.company_id)
        for a in e.aliases:
            # every Chinese alias has its traditional form listed too (s2t)
            from kb.registry import to_traditional

            if to_simplified(a) == a and to_traditional(a) != a:
                assert to_traditional(a) in e.aliases, (e.id, a)
        assert e.name in e.aliases


def test_kind_filter_and_miss(reg: Registry) -> None:
    assert reg.find("百度", kind="person") is None
    assert reg.find("百度", kind="company").id == "baidu"
    assert reg.find("彭博社", kind="media").id == "bloomberg"
    assert reg.find("完全不存在的人") is None


def test_role_on_by_date(reg: Registry) -> None:
    assert reg.role_on("zhang-yong", date(2020, 6, 1)).company_id == "alibaba"
    assert reg.role_on("zhang-yong", date(2024, 6, 1)) is None
    assert reg.role_on("zhang-yong", date(2024, 6, 1), approximate=True).company_id in (
        "alibaba",
        "alibaba-cloud",
    )
    assert reg.role_on("wang-xiaochuan", date(2020, 1, 1)).company_id == "sogou"
    assert reg.role_on("wang-xiaochuan", "2024-05-20").company_id == "baichuan"
    # month precision: "until 2021-05" covers the whole of May
    assert reg.role_on("zhang-yiming", "2021-05-31").title == "CEO"
    assert reg.role_on("zhang-yiming", "2021-06-01").title == "创始人"
    assert reg.role_on("liang-rubo", "2024-01-01").company_id == "bytedance"
    # concurrent roles: primary wins, an article's company wins over primary
    assert reg.role_on("lei-jun", "2024-01-01").company_id == "xiaomi"
    assert reg.role_on("lei-jun", "2024-01-01", prefer=["shunwei"]).company_id == "shunwei"
    assert reg.role_on("wu-yongming", None).company_id == "alibaba"
    assert reg.role_on("nobody", None) is None


def test_companies_and_people_of(reg: Registry) -> None:
    assert reg.companies_of("kai-fu-lee")[0] == "01ai"
    assert set(reg.companies_of("kai-fu-lee")) == {"01ai", "sinovation"}
    ali_2020 = {e.id for e in reg.people_of("alibaba", on="2020-01-01")}
    ali_2024 = {e.id for e in reg.people_of("alibaba", on="2024-01-01")}
    assert "zhang-yong" in ali_2020 and "zhang-yong" not in ali_2024
    assert "wu-yongming" in ali_2024


def test_suggest_and_require(reg: Registry) -> None:
    assert reg.suggest("王晓川", kind="person")[0] == "王小川"
    assert "王小川" in reg.suggest("wangxiaochuang")
    assert reg.suggest("阿里爸爸", kind="company")[0] == "阿里巴巴"
    assert reg.suggest("") == []
    with pytest.raises(KbError, match="王小川"):
        reg.require("王晓川", kind="person")


def test_names_for_user_dictionary(reg: Registry) -> None:
    names = dict(reg.names())
    assert names["李彦宏"] == "person" and names["李彥宏"] == "person"
    assert names["英伟达"] == "company" and names["英偉達"] == "company"
    assert names["彭博社"] == "media"


def test_load_is_fast() -> None:
    Registry.load()
    t = time.perf_counter()
    Registry.load()
    assert time.perf_counter() - t < 0.1


def _statement(speaker: str, sid: str | None, company_id: str | None = None) -> Statement:
    return Statement(
        text="价格战没有意义", start=0, end=7, kind="indirect", cue="表示", speaker=speaker,
        speaker_mention=speaker, speaker_type="person", speaker_id=sid, company_id=company_id,
        organization=None,
    )  # fmt: skip


def test_sync_to_store_is_idempotent(tmp_path: Path) -> None:
    store = Store(tmp_path / "kb.sqlite3")
    reg = Registry.load()
    assert reg.sync_to_store(store) is True
    counts = {
        t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in ("people", "companies", "aliases", "affiliations")
    }
    assert counts["people"] == len(reg.people())
    assert reg.sync_to_store(store) is False  # hash unchanged: skipped
    assert reg.sync_to_store(store, force=True) is True  # forced: same rows
    again = {t: store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in counts}
    assert again == counts
    store.close()
    # a reopened file sees the same hash
    store = Store(tmp_path / "kb.sqlite3")
    assert Registry.load(store=store).sync_to_store(store) is False


def test_sync_picks_up_edited_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "registry").mkdir(parents=True)
    people = [
        {
            "id": "p1",
            "kind": "person",
            "name": "甲乙丙",
            "aliases": [],
            "roles": [{"company_id": "c1", "title": "CEO"}],
        }
    ]
    comps = [{"id": "c1", "kind": "company", "name": "某公司", "aliases": ["Some Co"]}]
    (data / "registry" / "people.json").write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    (data / "registry" / "companies.json").write_text(json.dumps(comps, ensure_ascii=False), encoding="utf-8")
    store = Store(tmp_path / "kb.sqlite3")
    assert Registry.load(data).sync_to_store(store)
    comps[0]["aliases"].append("SomeCo Inc")
    (data / "registry" / "companies.json").write_text(json.dumps(comps, ensure_ascii=False), encoding="utf-8")
    assert Registry.load(data).sync_to_store(store)
    assert Registry.load(data, store=store).find("SomeCo Inc").id == "c1"


def test_discovery_confirm_merge(tmp_path: Path) -> None:
    store = Store(tmp_path / "kb.sqlite3")
    Registry.load().sync_to_store(store)
    pid = record_discovered(store, "张三丰", "创始人", "武当科技", date(2024, 5, 2))
    assert record_discovered(store, "張三豐", "创始人", "武当科技", date(2024, 3, 1)) == pid  # same person
    reg = Registry.load(store=store)
    e = reg.find("張三豐")
    assert e is not None and e.id == pid and e.origin == "discovered" and e.status == "unconfirmed"
    role = reg.role_on(pid, date(2024, 4, 1))
    assert role is not None and role.title == "创始人" and reg.get(role.company_id).name == "武当科技"
    assert reg.role_on(pid, date(2023, 1, 1)) is None
    assert reg.role_on(pid, date(2023, 1, 1), approximate=True) is not None
    assert "张三丰" in dict(reg.names()) and "張三丰" in dict(reg.names())  # opencc s2t keeps 丰

    confirm(store, pid)
    assert Registry.load(store=store).get(pid).status == "confirmed"

    # A discovered duplicate of a curated person: merge rewrites the statements.
    dup = record_discovered(store, "王小川先生", "CEO", "百川智能", date(2024, 5, 20))
    assert Registry.load(store=store).find("王小川先生").id == dup
    item = ParsedItem(title="t", text="王小川先生表示价格战没有意义", guid="g1")
    store.add_article(item, [_statement("王小川先生", dup)])
    n = merge(store, dup, "wang-xiaochuan")
    assert n == 1
    row = store.db.execute("SELECT speaker_id, speaker, indexed FROM statements").fetchone()
    assert (row["speaker_id"], row["speaker"], row["indexed"]) == ("wang-xiaochuan", "王小川", 0)
    reg = Registry.load(store=store)
    assert reg.find("王小川先生").id == "wang-xiaochuan"
    assert reg.get(dup).id == "wang-xiaochuan"  # the old id follows the merge
    assert reg.role_on("wang-xiaochuan", "2024-05-20").company_id == "baichuan"
    with pytest.raises(KbError):
        merge(store, "wang-xiaochuan", "baidu")  # person into company


def test_company_merge_and_correct(tmp_path: Path) -> None:
    store = Store(tmp_path / "kb.sqlite3")
    Registry.load().sync_to_store(store)
    pid = record_discovered(store, "李四", "CTO", "阶跃星辰科技", "2024-06-01")
    cid = Registry.load(store=store).find("阶跃星辰科技").id
    assert cid.startswith("d-")
    store.add_article(ParsedItem(title="t", text="x", guid="g2"), [_statement("李四", pid, cid)])
    assert merge(store, cid, "stepfun") == 1
    assert store.db.execute("SELECT company_id FROM statements").fetchone()[0] == "stepfun"
    reg = Registry.load(store=store)
    assert reg.role_on(pid, "2024-06-02").company_id == "stepfun"
    assert reg.find("阶跃星辰科技").id == "stepfun"
    correct(
        store,
        pid,
        name_en="Li Si",
        add_alias="Lisi Li",
        company="stepfun",
        title="首席技术官",
        since="2023-01",
    )
    reg = Registry.load(store=store)
    assert reg.find("Lisi Li").id == pid and reg.get(pid).status == "confirmed"
    assert reg.role_on(pid, "2023-06-01").title == "首席技术官"


def test_data_dir_default_exists() -> None:
    assert (DATA_DIR / "registry" / "people.json").exists()

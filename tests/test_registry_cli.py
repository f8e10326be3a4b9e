"""`kb people …` / `kb companies …` through click's runner on a real KB file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kb.cli import cli
from kb.records import ParsedItem, Statement
from kb.registry import record_discovered
from kb.store import Store


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.output


def test_help_has_examples() -> None:
    for grp in ("people", "companies"):
        for sub in ("", "list", "show", "confirm", "merge", "correct"):
            code, out = run(grp, *([sub] if sub else []), "--help")
            assert code == 0 and "Example" in out, (grp, sub, out)


def test_show_in_any_script(home: Path) -> None:
    code, out = run("people", "show", "李彥宏", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["id"] == "li-yanhong" and d["roles"][0]["company"] == "百度"
    code, out = run("companies", "show", "Baichuan")
    assert code == 0 and "王小川" in out


def test_unknown_name_suggests(home: Path) -> None:
    r = CliRunner().invoke(cli, ["people", "show", "王晓川"])
    assert r.exit_code != 0
    assert "王小川" in str(r.exception)


def test_list_confirm_merge(home: Path) -> None:
    store = Store(home / "kb.sqlite3")
    pid = record_discovered(store, "张三丰", "创始人", "武当科技", "2024-05-01")
    dup = record_discovered(store, "雷军先生", "董事长", "小米集团", "2024-05-01")
    st = Statement(text="芯片很重要", start=0, end=5, kind="indirect", cue="表示", speaker="雷军先生",
                   speaker_mention="雷军先生", speaker_type="person", speaker_id=dup)  # fmt: skip
    store.add_article(ParsedItem(title="t", text="雷军先生表示芯片很重要", guid="g"), [st])
    store.close()
    code, out = run("people", "list", "--status", "unconfirmed", "--json")
    assert code == 0
    ids = {json.loads(line)["id"] for line in out.splitlines()}
    assert ids == {pid, dup}
    code, out = run("people", "confirm", "张三丰")
    assert code == 0 and "confirmed" in out
    code, out = run("people", "merge", "雷军先生", "雷军", "--json")
    assert code == 0 and json.loads(out) == {"merged": dup, "into": "lei-jun", "statements": 1}
    code, out = run("people", "show", "lei-jun", "--json")
    d = json.loads(out)
    assert d["statements"] == 1 and "雷军先生" in d["aliases"]
    code, out = run("companies", "list", "--kind", "media", "--json")
    assert code == 0 and any(json.loads(x)["id"] == "nikkei" for x in out.splitlines())
    code, out = run(
        "people", "correct", "张三丰", "--company", "阶跃星辰", "--title", "CTO", "--since", "2024-01"
    )
    assert code == 0
    code, out = run("people", "show", "张三丰", "--json")
    assert any(r["company_id"] == "stepfun" and r["title"] == "CTO" for r in json.loads(out)["roles"])

"""Settings (kb/config.py): defaults < <home>/settings.toml < environment, and values a KB cannot work
with are one clear line, never a traceback. Here: `unsure_below`, the "unsure speaker" mark."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kb.config import DEFAULTS_FILE, Settings, load_settings
from kb.errors import UsageError
from kb.nlp.confidence import CONFIDENT


def kb_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from kb.cli import main

    with pytest.raises(SystemExit) as e:
        main(args)
    out, err = capsys.readouterr()
    return int(e.value.code or 0), out, err


def test_the_default_mark_is_the_models_own(home: Path) -> None:
    """The mark the confidence model was chosen for is the default everywhere it can be read from."""
    shipped = tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    assert shipped["unsure_below"] == CONFIDENT == Settings().unsure_below
    assert load_settings(home).unsure_below == CONFIDENT


def test_a_kb_and_the_environment_move_the_mark(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_UNSURE_BELOW", raising=False)
    (home / "settings.toml").write_text('model = "fake"\nunsure_below = 0.5\n', encoding="utf-8")
    assert load_settings(home).unsure_below == 0.5
    monkeypatch.setenv("KB_UNSURE_BELOW", "0.95")  # the environment beats the KB's file
    assert load_settings(home).unsure_below == 0.95
    # a TOML integer is a number too
    (home / "settings.toml").write_text("unsure_below = 1\n", encoding="utf-8")
    monkeypatch.delenv("KB_UNSURE_BELOW")
    s = load_settings(home)
    assert s.unsure_below == 1.0 and isinstance(s.unsure_below, float)


@pytest.mark.parametrize(
    "env,toml,shown",
    [
        ("1.5", None, "got 1.5 from KB_UNSURE_BELOW"),
        ("-0.1", None, "got -0.1 from KB_UNSURE_BELOW"),
        ("nan", None, "got nan from KB_UNSURE_BELOW"),
        ("zero point nine", None, "cannot read 'zero point nine' (from KB_UNSURE_BELOW) as a number"),
        (None, "unsure_below = 90", "got 90.0 from"),
        (None, "unsure_below = true", "cannot read True"),
    ],
)
def test_a_bad_mark_is_one_clear_line(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: str | None,
    toml: str | None,
    shown: str,
) -> None:
    if env is not None:
        monkeypatch.setenv("KB_UNSURE_BELOW", env)
    if toml is not None:
        (home / "settings.toml").write_text(f'model = "fake"\n{toml}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="unsure_below"):
        load_settings(home)
    # every command loads the settings first: one line on stderr, exit 1, no traceback
    for args in (["stats"], ["search", "价格战"], ["digest", "--week", "2024-W21"]):
        code, out, err = kb_main([*args, "--home", str(home)], capsys)
        assert code == 1 and out == "", args
        assert err.startswith("kb: setting unsure_below") and shown in err, err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err

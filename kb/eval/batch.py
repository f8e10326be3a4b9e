"""A new blind batch of the statement gold set (data/gold/BLIND.md): draw the articles, check a labeller's
file, merge the checked files into data/gold/statements.jsonl.

    python -m kb.eval.batch draw 42 --seed 42111 --out /tmp/b42       # 3 labellers x 20 articles
    python -m kb.eval.batch check /tmp/b42/l1/labels.jsonl              # anchors found, fields valid
    python -m kb.eval.batch merge 42 /tmp/b42/l*/labels.jsonl           # append, split test, blind

Articles are drawn by a seeded shuffle of the cnBeta articles no batch has taken that hold a reporting
cue. Their texts go to the labellers' folders only, never into the repository: the gold set refers to
them by feed file and guid.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import click

from kb.errors import KbError
from kb.eval.statements import GOLD, anchor_pos, load_articles, load_gold, shared_data

FEED_DIR = "cnbeta-2026"
KINDS = ("direct", "indirect")
SPEAKER_TYPES = ("person", "organization", "media", "unnamed")
FIELDS = ("anchor", "nth", "speaker", "speaker_type", "kind", "title", "organization", "optional")


def _reporting_cues() -> tuple[str, ...]:
    from kb.nlp.lexicon import load_lexicon

    lex = load_lexicon()
    return tuple(lex.speech)


def draw(
    batch: int, seed: int, out: Path, labellers: int = 3, per: int = 20, data: Path | None = None
) -> int:
    """Write `labellers` folders of `per` articles each under `out`; return how many were drawn."""
    data = data or shared_data()
    feeds = sorted((data / "feeds" / FEED_DIR).glob("*.xml"))
    if not feeds:
        raise KbError(f"no feeds under {data / 'feeds' / FEED_DIR}")
    # by guid alone: cnBeta's hourly feed files repeat an article under another file name
    taken = {g["guid"] for g in load_gold()}
    refs = _all_refs([f"{FEED_DIR}/{f.name}" for f in feeds], data)
    cues = _reporting_cues()
    first: dict[str, str] = {}  # guid -> the first feed file that holds it
    for feed, guid in sorted(refs):
        text, url = refs[(feed, guid)]
        if guid not in taken and url not in taken and any(c in text for c in cues):
            first.setdefault(guid, feed)
    pool = sorted((feed, guid) for guid, feed in first.items())
    random.Random(seed).shuffle(pool)
    chosen = pool[: labellers * per]
    for n in range(labellers):
        folder = out / f"l{n + 1}"
        (folder / "articles").mkdir(parents=True, exist_ok=True)
        lines = []
        for k, (feed, guid) in enumerate(chosen[n * per : (n + 1) * per], start=1):
            name = f"{batch}-{n + 1}-{k:02d}.txt"
            (folder / "articles" / name).write_text(refs[(feed, guid)][0], encoding="utf-8")
            lines.append(json.dumps({"file": name, "feed": feed, "guid": guid}, ensure_ascii=False))
        (folder / "refs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(chosen)


def _all_refs(feeds: list[str], data: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Every item of the feeds: (feed, guid) -> (text, url); the gold set may name an item by either."""
    from ingest import expand_sources, read_source
    from kb.config import Settings

    settings = Settings(home=Path("/nonexistent"))
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for feed in feeds:
        for spec in expand_sources([str(data / "feeds" / feed)]):
            for it in read_source(spec, settings, fetch_full_text=False).items:
                out[(feed, it.guid or it.url or "")] = (it.text, it.url or "")
    return out


def check(labels: Path, data: Path | None = None) -> list[str]:
    """Problems in a labeller's file (empty when it is ready to merge): each article must be readable,
    each anchor found (its `nth` occurrence) and each field valid."""
    problems: list[str] = []
    rows = []
    for i, line in enumerate(labels.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((i, json.loads(line)))
        except json.JSONDecodeError as e:
            problems.append(f"line {i}: not JSON ({e.msg})")
    arts = load_articles([(r["feed"], r["guid"]) for _i, r in rows if "feed" in r and "guid" in r], data)
    for i, row in rows:
        key = (row.get("feed"), row.get("guid"))
        if key not in arts:
            problems.append(f"line {i}: article {key[0]}#{key[1]} not found in the feeds")
            continue
        text = arts[key][0]  # type: ignore[index]
        for j, st in enumerate(row.get("statements", []), start=1):
            where = f"line {i} statement {j}"
            missing = [f for f in FIELDS if f not in st]
            if missing:
                problems.append(f"{where}: missing {', '.join(missing)}")
                continue
            if anchor_pos(text, st["anchor"], int(st["nth"])) < 0:
                problems.append(f"{where}: anchor {st['anchor']!r} (nth {st['nth']}) is not in the article")
            if st["kind"] not in KINDS:
                problems.append(f"{where}: kind must be one of {KINDS}")
            if st["speaker_type"] not in SPEAKER_TYPES:
                problems.append(f"{where}: speaker_type must be one of {SPEAKER_TYPES}")
            if st["speaker_type"] == "unnamed" and (st["speaker"] or st["title"] or st["organization"]):
                problems.append(f"{where}: an unnamed source has speaker, title and organization null")
            if not isinstance(st["optional"], bool):
                problems.append(f"{where}: optional must be true or false")
    return problems


def merge(batch: int, files: list[Path], gold: Path = GOLD) -> int:
    """Append the checked labellers' files to the gold set as test batch `batch`, blind; return the
    number of articles added. Refuses an article the gold set already holds."""
    have = {g["guid"] for g in load_gold(gold)}
    new = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["guid"] in have:
                raise KbError(f"{row['guid']} is already in the gold set (under some feed file)")
            have.add(row["guid"])
            st = [{f: s[f] for f in FIELDS} for s in row["statements"]]
            new.append(
                {
                    "feed": row["feed"],
                    "guid": row["guid"],
                    "split": "test",
                    "batch": batch,
                    "blind": True,
                    "statements": st,
                }
            )
    with gold.open("a", encoding="utf-8") as fh:
        for row in new:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(new)


@click.group()
def main() -> None:
    """Draw, check and merge a blind batch of the statement gold set."""


@main.command("draw")
@click.argument("batch", type=int)
@click.option("--seed", type=int, required=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--labellers", type=int, default=3, show_default=True)
@click.option("--per", type=int, default=20, show_default=True)
def draw_cmd(batch: int, seed: int, out: Path, labellers: int, per: int) -> None:
    n = draw(batch, seed, out, labellers, per)
    click.echo(f"batch {batch}: {n} articles drawn into {out}")


@main.command("check")
@click.argument("labels", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def check_cmd(labels: Path) -> None:
    problems = check(labels)
    for p in problems:
        click.echo(p)
    click.echo(f"{labels}: " + ("ready to merge" if not problems else f"{len(problems)} problems"))
    sys.exit(1 if problems else 0)


@main.command("merge")
@click.argument("batch", type=int)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def merge_cmd(batch: int, files: tuple[Path, ...]) -> None:
    for f in files:
        if check(f):
            raise click.ClickException(f"{f} has problems: run check on it first")
    click.echo(f"batch {batch}: {merge(batch, list(files))} articles added to {GOLD}")


if __name__ == "__main__":
    try:
        main()
    except KbError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)

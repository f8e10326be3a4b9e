"""The vector index over real Chroma: an embedded PersistentClient in a temp folder, and a real
`chroma run` server on loopback reached through KB_CHROMA_URL (the same checks run against both)."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kb.config import load_settings
from kb.errors import KbError
from kb.index import VectorIndex, statement_metadata, where_clause
from tests.conftest import free_port

DIM = 16


def unit_vectors(n: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(params=["embedded", "server"])
def make_index(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., VectorIndex]:
    """A factory of VectorIndex on one collection per test, embedded or through KB_CHROMA_URL."""
    home = tmp_path / "kb"
    home.mkdir()
    if request.param == "server":
        monkeypatch.setenv("KB_CHROMA_URL", request.getfixturevalue("chroma_server"))
    else:
        monkeypatch.delenv("KB_CHROMA_URL", raising=False)
    settings = load_settings(home, model="fake")
    assert bool(settings.chroma_url) == (request.param == "server")
    name = f"t{uuid.uuid4().hex[:12]}"

    def make(model_name: str | None = "fake-16", dim: int | None = DIM) -> VectorIndex:
        return VectorIndex(settings, model_name=model_name, dim=dim, collection=name)

    return make


# ------------------------------------------------------------------------------------- behaviour

DAY = 86_400
T0 = int(dt.datetime(2024, 5, 1, tzinfo=dt.UTC).timestamp())


def _fill(ix: VectorIndex) -> np.ndarray:
    vecs = unit_vectors(6)
    metas = [
        statement_metadata("wang-xiaochuan", "baichuan", "person", "indirect", T0, ["pricing"]),
        statement_metadata("kai-fu-lee", "01ai", "person", "direct", T0 + 10 * DAY, ["pricing", "funding"]),
        statement_metadata("jia-yangqing", "lepton", "person", "indirect", T0 + 20 * DAY, []),
        statement_metadata(None, "volcano-engine", "organization", "indirect", T0 + 30 * DAY, ["pricing"]),
        statement_metadata(None, None, "unnamed", "direct", None, ["chips"]),
        statement_metadata("tan-dai", "volcano-engine", "person", "direct", T0 + 40 * DAY, ["cloud"]),
    ]
    ix.upsert([f"s{i}" for i in range(6)], vecs, metas)
    return vecs


def test_upsert_query_count_ids(make_index: Callable[..., VectorIndex]) -> None:
    ix = make_index()
    assert ix.count() == 0
    assert ix.query(unit_vectors(1)[0], 5) == []  # an empty index answers nothing, not an error
    vecs = _fill(ix)
    assert ix.count() == 6
    assert ix.ids() == {f"s{i}" for i in range(6)}
    hits = ix.query(vecs[2], 3)
    assert hits[0][0] == "s2" and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    expected = sorted(range(6), key=lambda i: -float(vecs[i] @ vecs[2]))[:3]
    assert [h[0] for h in hits] == [f"s{i}" for i in expected]
    for i, sim in hits:
        assert sim == pytest.approx(float(vecs[int(i[1:])] @ vecs[2]), abs=1e-4)
    # upsert is idempotent: same ids, new vector replaces the old one
    ix.upsert(["s2"], vecs[3:4], [statement_metadata("jia-yangqing")])
    assert ix.count() == 6
    assert {h[0] for h in ix.query(vecs[3], 2)} == {"s2", "s3"}
    assert ix.query(vecs[0], 100)  # k above the count is fine


def test_filters_apply_inside_the_query(make_index: Callable[..., VectorIndex]) -> None:
    ix = make_index()
    vecs = _fill(ix)
    q = vecs[0]

    def ids(**kw: object) -> set[str]:
        return {i for i, _ in ix.query(q, 10, where_clause(**kw))}  # type: ignore[arg-type]

    assert ids(speaker_ids=["kai-fu-lee"]) == {"s1"}
    assert ids(speaker_ids=["kai-fu-lee", "tan-dai"]) == {"s1", "s5"}
    assert ids(company_ids=["volcano-engine"]) == {"s3", "s5"}
    assert ids(topics=["pricing"]) == {"s0", "s1", "s3"}
    assert ids(topics=["funding", "cloud"]) == {"s1", "s5"}
    assert ids(speaker_types=["organization", "unnamed"]) == {"s3", "s4"}
    assert ids(kinds=["direct"]) == {"s1", "s4", "s5"}
    # dates: since inclusive, until inclusive; unknown dates (0) never match a date filter
    assert ids(since=T0 + 10 * DAY) == {"s1", "s2", "s3", "s5"}
    assert ids(until=T0 + 10 * DAY) == {"s0", "s1"}
    assert ids(since=dt.date(2024, 5, 11), until=dt.date(2024, 5, 21)) == {"s1", "s2"}
    assert ids(company_ids=["volcano-engine"], topics=["pricing"], since=T0) == {"s3"}
    assert ids(speaker_ids=[]) == set()  # an explicit empty choice matches nothing
    assert ids(speaker_ids=["nobody"]) == set()


def test_delete_and_reset(make_index: Callable[..., VectorIndex]) -> None:
    ix = make_index()
    vecs = _fill(ix)
    ix.delete(["s0", "s1", "missing"])
    assert ix.count() == 4 and "s0" not in ix.ids()
    assert "s0" not in {i for i, _ in ix.query(vecs[0], 10)}
    ix.reset()
    assert ix.count() == 0 and ix.ids() == set()
    _fill(ix)
    assert ix.count() == 6


def test_model_mismatch_is_refused(make_index: Callable[..., VectorIndex]) -> None:
    make_index("model-a", DIM).upsert(["x"], unit_vectors(1))
    with pytest.raises(KbError, match=r"index built with model-a; settings use model-b; run `kb reindex`"):
        make_index("model-b", DIM)
    with pytest.raises(KbError, match="kb reindex"):
        make_index("model-a", DIM * 2)
    # opening without naming a model adopts the index's own (counts, ids, doctor)
    ix = make_index(None, None)
    assert (ix.model_name, ix.dim, ix.count()) == ("model-a", DIM, 1)
    with pytest.raises(KbError, match="dimensions"):
        ix.upsert(["y"], np.ones((1, DIM * 2), dtype=np.float32))


def test_batches_under_the_max_batch_size(make_index: Callable[..., VectorIndex]) -> None:
    ix = make_index()
    ix._batch = 7  # what Chroma reports is in the thousands; force several batches here
    n = 50
    ix.upsert([f"b{i}" for i in range(n)], unit_vectors(n, seed=3), [statement_metadata(kind="direct")] * n)
    assert ix.count() == n and len(ix.ids(page=9)) == n
    ix.delete([f"b{i}" for i in range(0, n, 2)])
    assert ix.count() == n // 2


def test_missing_index_needs_a_model(make_index: Callable[..., VectorIndex]) -> None:
    with pytest.raises(KbError, match="kb reindex"):
        make_index(None, None)


# ------------------------------------------------------------------------------- embedded / server


def test_embedded_index_lives_in_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KB_CHROMA_URL", raising=False)
    settings = load_settings(tmp_path / "kb", model="fake")
    VectorIndex(settings, model_name="fake", dim=DIM).upsert(["a"], unit_vectors(1))
    assert settings.chroma_path.is_dir() and any(settings.chroma_path.iterdir())
    # a second client (another process would do the same) sees what was written
    assert VectorIndex(settings).ids() == {"a"}


def test_server_mode_keeps_nothing_in_the_home(
    chroma_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_CHROMA_URL", chroma_server)
    settings = load_settings(tmp_path / "kb", model="fake")
    name = f"t{uuid.uuid4().hex[:12]}"
    VectorIndex(settings, model_name="fake", dim=DIM, collection=name).upsert(["a"], unit_vectors(1))
    assert not settings.chroma_path.exists()
    assert VectorIndex(settings, collection=name).ids() == {"a"}


def test_unreachable_server_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(KbError, match="Chroma server"):
        VectorIndex(load_settings(tmp_path / "kb", model="fake"), model_name="fake", dim=DIM)


# ---------------------------------------------------------------------------------- where_clause


def test_where_clause_shapes() -> None:
    assert where_clause() is None
    assert where_clause(speaker_ids=["a"]) == {"speaker_id": "a"}
    assert where_clause(speaker_ids=["b", "a", "a"]) == {"speaker_id": {"$in": ["a", "b"]}}
    assert where_clause(topics=["pricing"]) == {"topic_pricing": True}
    assert where_clause(since=5, topics=["x", "y"]) == {
        "$and": [{"published": {"$gte": 5}}, {"$or": [{"topic_x": True}, {"topic_y": True}]}]
    }
    assert where_clause(until=dt.datetime(2024, 1, 1)) == {
        "$and": [{"published": {"$lte": 1704067200}}, {"published": {"$gt": 0}}]
    }


def test_statement_metadata_shape() -> None:
    meta = statement_metadata("p", None, "person", "direct", dt.datetime(2024, 1, 1), ["pricing", "topic_x"])
    assert meta == {
        "speaker_id": "p",
        "company_id": "",
        "speaker_type": "person",
        "kind": "direct",
        "published": 1704067200,
        "topic_pricing": True,
        "topic_x": True,
    }


# ------------------------------------------------------------------------ filtered query paths


def test_filtered_query_paths_agree_with_brute_force(
    make_index: Callable[..., VectorIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Post-filtering over-fetched neighbours, exact ranking of few matches and Chroma's own
    filtered search all give the brute-force answer."""
    import kb.index.chroma as chroma_mod

    n = 300
    vecs = unit_vectors(n, seed=7)
    metas = [
        statement_metadata(
            f"p{i % 50}", "c1" if i % 3 else "c2", "person", "direct", T0 + i * DAY, ["t"] if i % 4 else []
        )
        for i in range(n)
    ]
    ix = make_index()
    ix.upsert([f"s{i}" for i in range(n)], vecs, metas)
    wheres = [
        where_clause(speaker_ids=["p3"]),  # 2%: few matches
        where_clause(topics=["t"], company_ids=["c1"]),  # ~50%: broad
        where_clause(since=T0 + 100 * DAY, until=T0 + 140 * DAY, speaker_types=["person"]),
    ]
    q = unit_vectors(1, seed=99)[0]

    def brute(where: dict | None) -> list[str]:
        from kb.index.filters import matches

        keep = [i for i in range(n) if matches(where, metas[i])]
        return [f"s{i}" for i in sorted(keep, key=lambda i: -float(vecs[i] @ q))[:10]]

    expected = [brute(w) for w in wheres]
    assert [[i for i, _ in ix.query(q, 10, w)] for w in wheres] == expected
    monkeypatch.setattr(chroma_mod, "OVERFETCH_MIN", 1)
    monkeypatch.setattr(chroma_mod, "OVERFETCH", 1)  # step 1 finds too few ...
    assert [[i for i, _ in ix.query(q, 10, w)] for w in wheres] == expected  # ... step 2 ranks exactly
    monkeypatch.setattr(chroma_mod, "EXACT_MAX", 0)  # ... and without step 2, Chroma filters
    assert [[i for i, _ in ix.query(q, 10, w)] for w in wheres] == expected


def test_matches_follows_chroma_semantics() -> None:
    from kb.index.filters import matches

    meta = {"speaker_id": "a", "published": 10, "topic_x": True}
    assert matches(None, meta) and matches({}, meta)
    assert matches({"speaker_id": "a"}, meta) and not matches({"speaker_id": "b"}, meta)
    assert matches({"speaker_id": {"$in": ["a", "b"]}}, meta)
    assert matches({"published": {"$gte": 10}}, meta) and not matches({"published": {"$gt": 10}}, meta)
    assert not matches({"topic_y": True}, meta)  # a missing key matches nothing
    assert matches({"topic_y": {"$ne": True}}, meta)
    assert matches({"$or": [{"topic_y": True}, {"topic_x": True}]}, meta)
    assert not matches({"$and": [{"speaker_id": "a"}, {"published": {"$lt": 5}}]}, meta)
    assert not matches({"speaker_id": {"$gt": 3}}, meta)  # str vs int never matches


def test_deleted_index_folder_reads_as_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`kb doctor` after the Chroma folder was deleted, in the same process: a clear 'missing',
    then a rebuild works."""
    monkeypatch.delenv("KB_CHROMA_URL", raising=False)
    settings = load_settings(tmp_path / "kb", model="fake")
    VectorIndex(settings, model_name="fake", dim=DIM).upsert(["a", "b"], unit_vectors(2))
    shutil.rmtree(settings.chroma_path)
    with pytest.raises(KbError, match="does not exist yet; run `kb reindex`"):
        VectorIndex(settings)
    ix = VectorIndex(settings, model_name="fake", dim=DIM)
    assert ix.count() == 0
    ix.upsert(["a"], unit_vectors(1))
    assert VectorIndex(settings).ids() == {"a"}

"""Statement extraction for Chinese tech press: who said what, as spaCy components on one Doc.

`extract(texts, published, registry)` is what the ingest pipeline calls; `get_nlp(registry)` gives the
spaCy pipeline (built once per process and registry). The Doc is built on the length-preserving
simplified text, so every offset is valid in the original; a Statement's text is cut from the
original (the source's own script).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from kb.records import Statement
from kb.textnorm import to_simplified

if TYPE_CHECKING:
    import spacy

    from kb.registry import Registry

# The pipeline, in order. Each stage is a spaCy component (kb/nlp/components.py):
PIPELINE = (
    # entities: people, organisations, media and appositive roles ("小米集团董事长雷军"), from the
    # registry (engineer D's EntityTagger when present) — later stages resolve names against them.
    "kb_entities",
    # quotes: “…”, 「…」, 『…』 and "…" spans, joined across paragraphs when a quote runs on.
    "kb_quotes",
    # reported speech: cue words (data/cues.json) with their subject, frames (在X看来, 据X介绍,
    # X的观点是), block quotes after "X表示：", and quotes whose speaker follows them.
    "kb_speech",
    # coreference: 他/她/其/该人士/上述高管/该公司/title-only mentions → their antecedent, so that an
    # unnamed source stays unnamed and a pronoun gets the right person (the rules' choice, checked by
    # the trained ranker of kb/nlp/antecedents.py when set-up has fitted one).
    "kb_coref",
    # attribution and roles: canonical names from the registry, title/organization from the
    # article's appositive or the registry's role on the publication date; text from the original.
    "kb_attribution",
)

_LOCK = threading.Lock()
_NLP: dict[int, spacy.Language] = {}
_JIEBA_WORDS: set[str] = set()
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,12}$")


def _load_user_words(registry: Registry | None) -> None:
    """Registry names into jieba's dictionary, so that 王小川 stays one token."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    if registry is None:
        return
    try:
        names = registry.names()
    except Exception:
        return
    for name, _kind in names:
        if name not in _JIEBA_WORDS and _HAN_NAME.match(name):
            jieba.add_word(name, freq=2000, tag="nr" if _kind == "person" else "nt")
            _JIEBA_WORDS.add(name)


def get_nlp(registry: Registry | None = None) -> spacy.Language:
    """The spaCy pipeline for this registry (built once per process and registry)."""
    key = id(registry) if registry is not None else 0
    with _LOCK:
        nlp = _NLP.get(key)
        if nlp is not None:
            return nlp
        import spacy

        from kb.nlp import components

        _load_user_words(registry)
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        ctx = components.Context(registry)
        for name in PIPELINE:
            stage = nlp.add_pipe(name)
            stage.ctx = ctx  # type: ignore[attr-defined]
        _NLP[key] = nlp
        return nlp


# ...and one hyphen: "CERT‑EU" (a non-breaking hyphen) is "CERT-EU"
_NAME_DOTS = str.maketrans({"\u30fb": "·", "\uff65": "·", "\u2027": "·", "\u2011": "-", "\u2010": "-"})
# "吉姆．麦戈文": a full-width full stop between two Han characters is a name's middle dot (same length, so
# offsets hold)
_HAN_PERIOD = re.compile(r"(?<=[\u4e00-\u9fff])\uff0e(?=[\u4e00-\u9fff])")


def extract(
    texts: Sequence[str],
    published: Sequence[date | None] | None = None,
    registry: Registry | None = None,
    batch_size: int = 32,
) -> list[list[Statement]]:
    """Statements of each text (same order). `published` gives each article's date for registry roles."""
    nlp = get_nlp(registry)
    pubs = list(published) if published is not None else [None] * len(texts)
    docs = []
    for text, pub in zip(texts, pubs, strict=True):
        text = text or ""
        # one middle dot for every rule: "库什・德赛" (katakana) and "库什·德赛" are the same name
        simp = _HAN_PERIOD.sub("·", to_simplified(text).translate(_NAME_DOTS))
        doc = nlp.make_doc(simp)
        doc.user_data["text"] = simp
        doc.user_data["original"] = text
        doc.user_data["published"] = pub
        docs.append(doc)
    return [list(doc._.statements or []) for doc in nlp.pipe(docs, batch_size=batch_size)]

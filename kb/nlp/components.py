"""The attribution stages as spaCy components on one Doc. Each reads what the stage before it left
on the Doc and adds its own result; `kb.nlp.get_nlp` puts them in order."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from kb.nlp import confidence
from kb.nlp.attribution import Attributor, resolve
from kb.nlp.entities import EntityFinder
from kb.nlp.finder import Finder, quote_spans
from kb.nlp.lexicon import Lexicon, load_lexicon
from kb.nlp.speakers import LOCAL_FULL, LOCAL_NAMES, SpeakerParser, article_people, local_names

if TYPE_CHECKING:
    from kb.registry import Registry

for _name, _default in (
    ("kb_mentions", None),
    ("kb_quotes", None),
    ("kb_candidates", None),
    ("statements", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


class Context:
    """What every stage shares: the cue table, the registry and the parsers built over them."""

    def __init__(self, registry: Registry | None = None, lex: Lexicon | None = None):
        self.lex = lex or load_lexicon()
        self.registry = registry
        self.parser = SpeakerParser(self.lex, registry)
        self.entities = EntityFinder(self.lex, registry)
        self.finder = Finder(self.lex, self.parser)
        self.attributor = Attributor(self.parser, registry)


def doc_text(doc: Doc) -> str:
    """The Doc's text, cached: spaCy rebuilds `doc.text` from every token on each access."""
    t = doc.user_data.get("text")
    if t is None:
        t = doc.user_data["text"] = doc.text
    return t


class _Stage:
    ctx: Context

    def __init__(self) -> None:
        self.ctx = Context()


@Language.factory("kb_entities", assigns=["doc._.kb_mentions"])
def make_entities(nlp: Language, name: str) -> EntitiesStage:
    return EntitiesStage()


class EntitiesStage(_Stage):
    def __call__(self, doc: Doc) -> Doc:
        doc._.kb_mentions = self.ctx.entities.find(doc_text(doc))
        return doc


@Language.factory("kb_quotes", assigns=["doc._.kb_quotes"])
def make_quotes(nlp: Language, name: str) -> QuotesStage:
    return QuotesStage()


class QuotesStage(_Stage):
    def __call__(self, doc: Doc) -> Doc:
        doc._.kb_quotes = quote_spans(doc_text(doc))
        return doc


@Language.factory("kb_speech", requires=["doc._.kb_quotes"], assigns=["doc._.kb_candidates"])
def make_speech(nlp: Language, name: str) -> SpeechStage:
    return SpeechStage()


class SpeechStage(_Stage):
    def __call__(self, doc: Doc) -> Doc:
        names = local_names(doc._.kb_mentions or [], self.ctx.lex.org_suffixes)
        text = doc_text(doc)
        token = LOCAL_NAMES.set(names)
        token_full = LOCAL_FULL.set(article_people(text, self.ctx.lex))
        try:
            doc._.kb_candidates = self.ctx.finder.run(text, doc._.kb_quotes)
        finally:
            LOCAL_FULL.reset(token_full)
            LOCAL_NAMES.reset(token)
        return doc


@Language.factory(
    "kb_coref", requires=["doc._.kb_candidates", "doc._.kb_mentions"], assigns=["doc._.kb_candidates"]
)
def make_coref(nlp: Language, name: str) -> CorefStage:
    return CorefStage()


class CorefStage(_Stage):
    def __call__(self, doc: Doc) -> Doc:
        lex = self.ctx.lex
        refs = tuple(r for r in lex.person_refs if r.startswith(("该", "上述", "这位")))
        doc._.kb_candidates = resolve(doc._.kb_candidates or [], doc._.kb_mentions or [], doc_text(doc), refs)
        return doc


@Language.factory("kb_attribution", requires=["doc._.kb_candidates"], assigns=["doc._.statements"])
def make_attribution(nlp: Language, name: str) -> AttributionStage:
    return AttributionStage()


class AttributionStage(_Stage):
    def __call__(self, doc: Doc) -> Doc:
        original = doc.user_data.get("original", doc_text(doc))
        published: date | None = doc.user_data.get("published")
        cands = doc._.kb_candidates or []
        doc._.statements = self.ctx.attributor.statements(
            original, cands, doc._.kb_mentions or [], published, doc_text(doc)
        )
        confidence.assign(doc_text(doc), doc._.statements, cands)
        return doc

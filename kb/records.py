"""Small named records passed between the stages of the pipeline.

Ingest produces `ParsedItem`s, the NLP pipeline produces `Statement`s, the store turns both into
rows. Keeping them here (and free of any heavy import) lets every stage share one vocabulary.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

SpeakerType = Literal["person", "organization", "media", "unnamed"]
Kind = Literal["direct", "indirect"]
Stance = Literal["for", "against", "neutral", "mixed"]


@dataclass
class ParsedItem:
    """One article as read from a feed or a file, cleaned, before NLP."""

    title: str
    text: str  # clean text; paragraphs separated by a blank line ("\n\n")
    url: str | None = None
    guid: str | None = None
    published: datetime | None = None  # timezone-aware, UTC
    tz: str = "+08:00"  # the source's own UTC offset, kept for display
    source: str = ""  # outlet name, e.g. "36氪"
    source_url: str | None = None  # the feed or file it came from
    author: str | None = None
    summary_only: bool = False  # the feed carried only a summary; full text may be fetched
    demo: bool = False


def confidence_text(value: float) -> str:
    """A statement's confidence as shown to analysts: two decimals, rounded down, so that a score below
    the "unsure speaker" mark never reads as the mark itself (0.897 under 0.9 shows 0.89, not 0.90)."""
    return f"{math.floor(round(value * 100, 6)) / 100:.2f}"  # (round: 0.29 * 100 is 28.999…)


@dataclass
class Statement:
    """Something said in an article, with who said it.

    `text` is the span of what was said, as written in the source (original script); `start` and
    `end` are offsets into the article text. `speaker` is the canonical name (simplified script for
    Chinese names) or None for an unnamed source; `speaker_mention` is the name as written.
    """

    text: str
    start: int
    end: int
    kind: Kind
    cue: str | None
    speaker: str | None
    speaker_mention: str
    speaker_type: SpeakerType
    anonymous: bool = False
    title: str | None = None
    organization: str | None = None
    speaker_id: str | None = None  # registry id of the person/company/outlet, when known
    company_id: str | None = None  # registry id of `organization`, when known
    # probability that the speaker is right (kb/nlp/confidence.py); None where no model was trained
    confidence: float | None = None
    # The evidence for the speaker, as offsets into the article text: where the speaker is written for
    # this statement (`speaker_mention`: a name, or a reference such as 他/该公司), and, for a reference,
    # where the name it stands for was last written before it. None where not known.
    speaker_start: int | None = None
    speaker_end: int | None = None
    named_start: int | None = None
    named_end: int | None = None
    topics: list[str] = field(default_factory=list)
    stance: Stance | None = None  # stance toward the first topic's proposition
    stances: dict[str, Stance] = field(default_factory=dict)  # per topic

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

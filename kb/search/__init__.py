"""Search over statements: query understanding (kb.search.query), filters for both retrievers
(kb.search.filters), hybrid retrieval and fusion (kb.search.engine), hits for display
(kb.search.hits)."""

from kb.search.engine import Fusion, SearchResult, search
from kb.search.query import ParsedQuery, parse_query

__all__ = ["Fusion", "ParsedQuery", "SearchResult", "parse_query", "search"]

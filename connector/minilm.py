"""The all-MiniLM-L6-v2 sentence encoder in NumPy: the same vectors as sentence-transformers, without
importing torch or transformers (about 5 s of a cold start on this machine; see
docs/decisions/embedding-runtime.md).

    encoder = MiniLM.load("/path/to/model/folder")   # config.json, model.safetensors, tokenizer.json
    vectors = encoder.encode(["free courses near Anytown"], batch_size=32)   # (n, 384), unit length

A BERT encoder (post-LayerNorm, GELU) followed by mean pooling over real tokens and L2 normalisation,
as the model's own 1_Pooling and 2_Normalize modules do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer

Array = np.ndarray
_INV_SQRT2 = np.float32(1 / np.sqrt(2.0))


@dataclass(frozen=True)
class Layer:
    query: tuple[Array, Array]
    key: tuple[Array, Array]
    value: tuple[Array, Array]
    attention_out: tuple[Array, Array]
    attention_norm: tuple[Array, Array]
    intermediate: tuple[Array, Array]
    output: tuple[Array, Array]
    output_norm: tuple[Array, Array]


def _linear(x: Array, weights: tuple[Array, Array]) -> Array:
    weight, bias = weights
    # As one 2-D product: a 3-D @ 2-D matmul is not handed to BLAS in one call and ran 3 times slower.
    flat = x.reshape(-1, x.shape[-1]) @ weight
    flat += bias
    return flat.reshape(*x.shape[:-1], weight.shape[1])


def _layer_norm(x: Array, weights: tuple[Array, Array], eps: float) -> Array:
    gain, bias = weights
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + np.float32(eps)) * gain + bias


def _gelu(x: Array) -> Array:
    return 0.5 * x * (1.0 + erf(x * _INV_SQRT2))


class PooledEncoder:
    """What every runtime of the model shares: the word pieces, batches of similar length, and mean pooling
    with normalisation. A runtime supplies `hidden`, the encoder's last hidden states for a batch."""

    def __init__(self, config: dict, tokenizer: Tokenizer, max_tokens: int) -> None:
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens
        self.dimension = int(config["hidden_size"])

    @staticmethod
    def read_config(folder: Path) -> tuple[dict, Tokenizer]:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return config, tokenizer

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids with [CLS] and [SEP], cut to the model's window (as sentence-transformers does)."""
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]
        return [row if len(row) <= self.max_tokens else [*row[: self.max_tokens - 1], row[-1]] for row in ids]

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Array:
        """Unit-length sentence vectors, one row per text, in the order given."""
        ids = self.token_ids(texts)
        out = np.zeros((len(ids), self.dimension), dtype=np.float32)
        # Similar lengths together, so a batch carries little padding.
        order = sorted(range(len(ids)), key=lambda n: len(ids[n]))
        for start in range(0, len(order), batch_size):
            group = order[start : start + batch_size]
            out[group] = self._encode_batch([ids[n] for n in group])
        return out

    def _encode_batch(self, rows: list[list[int]]) -> Array:
        length = max(len(row) for row in rows)
        ids = np.zeros((len(rows), length), dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for n, row in enumerate(rows):
            ids[n, : len(row)] = row
            mask[n, : len(row)] = 1.0
        x = self.hidden(ids, mask)
        pooled = (x * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def hidden(self, ids: Array, mask: Array) -> Array:
        """The last hidden states, (batch, length, dimension), for word-piece ids padded with 0s."""
        raise NotImplementedError


class MiniLM(PooledEncoder):
    """Weights in memory (about 90 MB), a fast tokenizer, and `encode`."""

    def __init__(self, tensors: dict[str, Array], config: dict, tokenizer: Tokenizer, max_tokens: int):
        super().__init__(config, tokenizer, max_tokens)
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.words = tensors["embeddings.word_embeddings.weight"]
        self.positions = tensors["embeddings.position_embeddings.weight"]
        self.token_type = tensors["embeddings.token_type_embeddings.weight"][0]
        self.embedding_norm = self._pair(tensors, "embeddings.LayerNorm")
        self.layers = [self._layer(tensors, n) for n in range(int(config["num_hidden_layers"]))]

    @classmethod
    def load(cls, folder: str | Path, max_tokens: int = 256) -> MiniLM:
        folder = Path(folder)
        config, tokenizer = cls.read_config(folder)
        return cls(load_file(str(folder / "model.safetensors")), config, tokenizer, max_tokens)

    @staticmethod
    def _pair(tensors: dict[str, Array], prefix: str, transpose: bool = False) -> tuple[Array, Array]:
        weight = tensors[f"{prefix}.weight"]
        return (np.ascontiguousarray(weight.T) if transpose else weight), tensors[f"{prefix}.bias"]

    def _layer(self, tensors: dict[str, Array], number: int) -> Layer:
        name = f"encoder.layer.{number}"
        return Layer(
            query=self._pair(tensors, f"{name}.attention.self.query", transpose=True),
            key=self._pair(tensors, f"{name}.attention.self.key", transpose=True),
            value=self._pair(tensors, f"{name}.attention.self.value", transpose=True),
            attention_out=self._pair(tensors, f"{name}.attention.output.dense", transpose=True),
            attention_norm=self._pair(tensors, f"{name}.attention.output.LayerNorm"),
            intermediate=self._pair(tensors, f"{name}.intermediate.dense", transpose=True),
            output=self._pair(tensors, f"{name}.output.dense", transpose=True),
            output_norm=self._pair(tensors, f"{name}.output.LayerNorm"),
        )

    def hidden(self, ids: Array, mask: Array) -> Array:
        length = ids.shape[1]
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = _layer_norm(x, self.embedding_norm, self.eps)
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]  # padding gets no attention
        for layer in self.layers:
            x = self._block(x, bias, layer)
        return x

    def _block(self, x: Array, bias: Array, layer: Layer) -> Array:
        batch, length, width = x.shape
        size = width // self.heads

        def heads(t: Array) -> Array:
            return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        q, k, v = (heads(_linear(x, w)) for w in (layer.query, layer.key, layer.value))
        scores = q @ k.transpose(0, 1, 3, 2) * np.float32(size**-0.5) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = _layer_norm(x + _linear(context, layer.attention_out), layer.attention_norm, self.eps)
        hidden = _gelu(_linear(x, layer.intermediate))
        return _layer_norm(x + _linear(hidden, layer.output), layer.output_norm, self.eps)

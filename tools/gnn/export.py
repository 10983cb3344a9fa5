"""Writes and reads the GNN weights format, version 1 (docs/gnn-weights.md): `<name>.json` +
`<name>.safetensors` (written by hand: the standard layout, no safetensors package needed)."""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import torch

from model import FORMAT, VERSION, GnnModel


def write_safetensors(path: Path, tensors: dict[str, np.ndarray], dtype: str = "F64",
                      metadata: dict[str, str] | None = None) -> None:
    """Tensors in insertion order, little-endian, header padded with spaces to 8 bytes."""
    np_dtype = {"F64": "<f8", "F32": "<f4"}[dtype]
    header: dict = {"__metadata__": metadata} if metadata else {}
    blobs, offset = [], 0
    for name, t in tensors.items():
        b = np.ascontiguousarray(t, dtype=np_dtype).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        dt = {"F64": "<f8", "F32": "<f4"}[e["dtype"]]
        b, f = e["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + b:8 + n + f], dtype=dt).reshape(e["shape"]).astype(np.float64)
    return out


def tensor_order(config: dict) -> list[str]:
    """Tensor names in file order (as expectedTensorShapes in src/io/gnnWeights.ts)."""
    names = ["type_embedding"]
    n_lin = len(config["hidden"]) + 1

    def mlp(prefix):
        for k in range(n_lin):
            names.extend([f"{prefix}.{k}.weight", f"{prefix}.{k}.bias"])

    mlp("edge_embedding")
    for l in range(config["nLayers"]):
        mlp(f"layers.{l}.message")
        mlp(f"layers.{l}.node")
        if l < config["nLayers"] - 1:
            mlp(f"layers.{l}.edge")
    mlp("readout")
    return names


def export_model(model: GnnModel, stem: Path, dtype: str = "F64") -> None:
    """Writes `<stem>.json` and `<stem>.safetensors`."""
    config = dict(model.config, format=FORMAT, version=VERSION)
    stem = Path(stem)
    stem.with_suffix(".json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    t = model.tensors()
    write_safetensors(stem.with_suffix(".safetensors"),
                      {name: t[name].double().numpy() for name in tensor_order(config)}, dtype,
                      {"format": FORMAT, "version": str(VERSION)})


def load_model(stem: Path) -> GnnModel:
    stem = Path(stem)
    config = json.loads(stem.with_suffix(".json").read_text())
    if config.get("format") != FORMAT or config.get("version") != VERSION:
        raise ValueError(f"{stem}.json: not {FORMAT} version {VERSION}")
    model = GnnModel(config).double()
    model.load_tensors({k: torch.tensor(v) for k, v in read_safetensors(stem.with_suffix(".safetensors")).items()})
    return model

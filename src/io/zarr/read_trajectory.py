#!/usr/bin/python3
"""Independent reader of the trajectory layout, for tests: Python's json, gzip, zipfile and numpy
only (Debian's zarr-python is 2.x and cannot read Zarr v3). Reads a directory store or a .zarr.zip
and prints JSON: the root attributes, every array's metadata, and every array's values.

Usage: read_trajectory.py PATH   (a directory, or a file ending in .zip)
"""
import gzip
import json
import sys
import zipfile

import numpy as np

DTYPES = {"bool": "?", "uint8": "u1", "int32": "<i4", "int64": "<i8", "float32": "<f4", "float64": "<f8"}


class Store:
    def __init__(self, path):
        self.zip = zipfile.ZipFile(path) if path.endswith(".zip") else None
        self.path = path

    def get(self, key):
        try:
            if self.zip is not None:
                info = self.zip.getinfo(key)
                assert info.compress_type == zipfile.ZIP_STORED, key
                return self.zip.read(info)
            with open(f"{self.path}/{key}", "rb") as f:
                return f.read()
        except (KeyError, FileNotFoundError):
            return None


def read_array(store, path):
    meta = json.loads(store.get(f"{path}/zarr.json"))
    assert meta["zarr_format"] == 3 and meta["node_type"] == "array", path
    assert meta["chunk_grid"]["name"] == "regular", path
    assert meta["chunk_key_encoding"] == {"name": "default", "configuration": {"separator": "/"}}, path
    names = [c["name"] for c in meta["codecs"]]
    assert names == ["bytes", "gzip"], names
    assert meta["codecs"][0]["configuration"]["endian"] == "little", path
    shape = meta["shape"]
    chunk = meta["chunk_grid"]["configuration"]["chunk_shape"]
    assert shape[1:] == chunk[1:], "chunked along the first axis only"
    dtype = np.dtype(DTYPES[meta["data_type"]])
    out = np.full(shape, meta["fill_value"], dtype=dtype)
    n_chunks = -(-shape[0] // chunk[0])
    for i in range(n_chunks):
        key = f"{path}/c/{i}" + "/0" * (len(shape) - 1)
        raw = store.get(key)
        if raw is None:
            continue
        block = np.frombuffer(gzip.decompress(raw), dtype=dtype).reshape(chunk)
        rows = min(chunk[0], shape[0] - i * chunk[0])
        out[i * chunk[0] : i * chunk[0] + rows] = block[:rows]
    return meta, out


def main(path):
    store = Store(path)
    root = json.loads(store.get("zarr.json"))
    assert root["zarr_format"] == 3 and root["node_type"] == "group"
    for g in ("meta", "core"):
        assert json.loads(store.get(f"{g}/zarr.json"))["node_type"] == "group"
    result = {"attributes": root["attributes"], "arrays": {}}
    paths = ["meta/atoms_ptr", "meta/samples_mask"] + [f"core/{f}" for f in root["attributes"]["fields"]]
    for p in paths:
        meta, values = read_array(store, p)
        result["arrays"][p] = {"metadata": meta, "values": values.tolist()}
    if store.zip is not None:
        result["zip"] = {
            "first": store.zip.infolist()[0].filename,
            "entries": len(store.zip.infolist()),
            "stored": all(i.compress_type == zipfile.ZIP_STORED for i in store.zip.infolist()),
            "crc_ok": store.zip.testzip() is None,
        }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])

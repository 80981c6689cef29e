"""Minimal safetensors reader/writer (the `safetensors` package is not installed here).

Format: 8-byte little-endian unsigned header length n, then n bytes of JSON
{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}},
then the raw little-endian tensor bytes; offsets are relative to the end of the header.
"""
import json
import struct

import numpy as np

_TO_NUMPY = {
    "F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
    "U8": np.dtype("u1"), "BOOL": np.dtype("?"),
}


def _dtype_name(arr):
    dt = arr.dtype.newbyteorder("<") if arr.dtype.byteorder == ">" else arr.dtype
    for name, npdt in _TO_NUMPY.items():
        if npdt == dt:
            return name
    raise ValueError(f"safetensors: unsupported numpy dtype {arr.dtype}")


def save(path, tensors, metadata=None):
    """Write {name: numpy array} to `path`. Tensors are laid out in sorted name order."""
    header = {}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        arr = np.ascontiguousarray(tensors[name])
        dtype = _dtype_name(arr)
        data = arr.astype(_TO_NUMPY[dtype], copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)  # pad so the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def _bf16_to_f32(raw, shape):
    u16 = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
    return u16.view(np.float32).reshape(shape)


def load(path):
    """Read a safetensors file into {name: numpy array} (BF16 is widened to F32)."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", blob[:8])
    if 8 + n > len(blob):
        raise ValueError(f"{path}: header length {n} exceeds file size {len(blob)}")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        dtype = info["dtype"]
        if end > len(data) or begin > end:
            raise ValueError(f"{path}: tensor {name} offsets {begin}..{end} out of range")
        raw = data[begin:end]
        if dtype == "BF16":
            out[name] = _bf16_to_f32(raw, shape)
            continue
        if dtype not in _TO_NUMPY:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {dtype}")
        arr = np.frombuffer(raw, dtype=_TO_NUMPY[dtype])
        expected = int(np.prod(shape)) if shape else 1
        if arr.size != expected:
            raise ValueError(f"{path}: tensor {name} has {arr.size} elements, shape {shape} needs {expected}")
        out[name] = arr.reshape(shape).copy()
    return out

"""One line describing the machine a benchmark ran on, for the tables in docs/benchmarks.md.

The processor matters as much as the core count: the int8 tagger graph runs several times faster on
processors with dot-product instructions for 8-bit integers (AVX-512 VNNI, AVX-VNNI) than on those
without, while spaCy's floating-point layers differ far less, so ratios between the two move with it.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

#: /proc/cpuinfo flags of the integer dot-product instructions onnxruntime's int8 kernels use
INT8_DOT_FLAGS = {"avx512_vnni": "AVX-512 VNNI", "avx_vnni": "AVX-VNNI", "asimddp": "Arm dot product"}


def processor() -> str:
    """The processor's model name, family and model, and which int8 dot-product instructions it has
    (Linux; elsewhere what ``platform`` knows)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    flags = set(fields.get("flags", fields.get("Features", "")).split())
    name = fields.get("model name", platform.machine())
    if "cpu family" in fields:
        name += f" (family {fields['cpu family']}, model {fields.get('model', '?')})"
    dot = [label for flag, label in INT8_DOT_FLAGS.items() if flag in flags]
    return f"{name}, int8 dot products: {', '.join(dot) or 'none'}"


def describe() -> str:
    """CPU count, architecture, processor and Python version."""
    return f"{os.cpu_count()} CPUs, {platform.machine()}, {processor()}, Python {platform.python_version()}"

"""Rewrite the exported fp32 tagger graph into fewer, fused nodes before it is quantised to int8.

    python training/attributions/graph.py TAGGER.fp32.onnx TAGGER.onnx

torch's export spells each layer's self-attention out in about thirty small nodes (three projections,
reshapes, transposes, shape arithmetic, two products and a softmax) and computes the token type ids
from the input's shape on every call. onnxruntime fuses none of that for this graph, and the run time
calls the graph once per sentence window, so those nodes cost a fixed part of every call. Here:

- the query, key and value projections become one product with the three weight matrices side by
  side (one activation quantisation instead of three; per output column int8 weights, so the numbers
  are the same), and the rest of the attention one ``com.microsoft`` ``MultiHeadAttention`` node;
- the token type embedding, always that of type 0 for one-segment windows, becomes a constant row
  (in fp32: the lookup it replaces was quantised with the other embeddings).

``quantize`` then writes the int8 graph as before (dynamic, per-channel weights). Used by
``train.py`` and ``training/tagger/joint.py``; run alone it rewrites and quantises an fp32 graph.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic

PROJECTION = re.compile(r"/layer\.(\d+)/attention/self/(query|key|value)/(MatMul|Add)$")
MICROSOFT = "com.microsoft"


class GraphShapeError(ValueError):
    """The graph is not laid out as torch exports the tagger (another torch or transformers version)."""


def _constant(graph: onnx.GraphProto, name: str) -> np.ndarray:
    for node in graph.node:
        if node.op_type == "Constant" and node.output[0] == name:
            return numpy_helper.to_array(node.attribute[0].t)
    for initializer in graph.initializer:
        if initializer.name == name:
            return numpy_helper.to_array(initializer)
    raise GraphShapeError(f"{name} is not a constant")


def fuse_attention(model: onnx.ModelProto, heads: int) -> int:
    """Replace each layer's self-attention by one fused projection and a MultiHeadAttention node, in
    place; returns the number of layers fused."""
    graph = model.graph
    weights = {initializer.name: initializer for initializer in graph.initializer}
    consumers: dict[str, list[onnx.NodeProto]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)
    layers: dict[int, dict[str, onnx.NodeProto]] = defaultdict(dict)
    for node in graph.node:
        if match := PROJECTION.search(node.name):
            layers[int(match[1])][f"{match[2]}/{match[3]}"] = node
    for number, parts in sorted(layers.items()):
        if len(parts) != 6:
            raise GraphShapeError(f"layer {number}: expected query, key and value MatMul and Add")
        products = [parts[f"{role}/MatMul"] for role in ("query", "key", "value")]
        biases = [parts[f"{role}/Add"] for role in ("query", "key", "value")]
        source = products[0].input[0]
        if any(product.input[0] != source for product in products):
            raise GraphShapeError(f"layer {number}: the projections read different inputs")
        prefix = products[0].name.rsplit("/query/", 1)[0] + "/"
        scale = float(_constant(graph, _only(graph, prefix + "Mul").input[1]))
        out = _attention_output(graph, consumers, prefix)
        matrix = np.concatenate([numpy_helper.to_array(weights[p.input[1]]) for p in products], axis=1)
        bias = np.concatenate(
            [numpy_helper.to_array(weights[next(i for i in b.input if i in weights)]) for b in biases]
        )
        width = matrix.shape[1] // 3
        names = {key: f"{prefix}{key}" for key in ("qkv.weight", "qkv.bias", "qkv.split", "product", "qkv")}
        graph.initializer.extend(
            [
                numpy_helper.from_array(matrix.astype(np.float32), names["qkv.weight"]),
                numpy_helper.from_array(bias.astype(np.float32), names["qkv.bias"]),
                numpy_helper.from_array(np.array([width] * 3, dtype=np.int64), names["qkv.split"]),
            ]
        )
        fused = [
            helper.make_node(
                "MatMul", [source, names["qkv.weight"]], [names["product"]], name=prefix + "qkv/MatMul"
            ),
            helper.make_node(
                "Add", [names["product"], names["qkv.bias"]], [names["qkv"]], name=prefix + "qkv/Add"
            ),
            helper.make_node(
                "Split",
                [names["qkv"], names["qkv.split"]],
                [prefix + "q", prefix + "k", prefix + "v"],
                name=prefix + "qkv/Split",
                axis=2,
            ),
            helper.make_node(
                "MultiHeadAttention",
                [prefix + "q", prefix + "k", prefix + "v"],
                [out.output[0]],
                name=prefix + "MultiHeadAttention",
                domain=MICROSOFT,
                num_heads=heads,
                scale=scale,
            ),
        ]
        at = list(graph.node).index(out)
        graph.node.remove(out)
        for offset, node in enumerate(fused):
            graph.node.insert(at + offset, node)
    if not layers:
        raise GraphShapeError("no self-attention projections found")
    if not any(opset.domain == MICROSOFT for opset in model.opset_import):
        model.opset_import.append(helper.make_opsetid(MICROSOFT, 1))
    _prune(model)
    return len(layers)


def _only(graph: onnx.GraphProto, name: str) -> onnx.NodeProto:
    found = [node for node in graph.node if node.name == name]
    if len(found) != 1:
        raise GraphShapeError(f"expected one node named {name}, found {len(found)}")
    return found[0]


def _attention_output(
    graph: onnx.GraphProto, consumers: dict[str, list[onnx.NodeProto]], prefix: str
) -> onnx.NodeProto:
    """The Reshape that merges the heads back: the self-attention's last node."""
    last = _only(graph, prefix + "Transpose_3")
    reshapes = [node for node in consumers[last.output[0]] if node.op_type == "Reshape"]
    if len(reshapes) != 1:
        raise GraphShapeError(f"{prefix}: no single Reshape after the heads' transpose")
    return reshapes[0]


def constant_token_type(model: onnx.ModelProto) -> bool:
    """Replace the token type embedding lookup by its first row (every window is one segment), in
    place; False when the graph has no such lookup."""
    graph = model.graph
    lookups = [n for n in graph.node if n.op_type == "Gather" and "token_type_embeddings" in n.input[0]]
    if len(lookups) != 1:
        return False
    lookup = lookups[0]
    table = next(i for i in graph.initializer if i.name == lookup.input[0])
    row = numpy_helper.to_array(table)[0].astype(np.float32)
    graph.initializer.append(numpy_helper.from_array(row, lookup.output[0] + ".row"))
    for node in graph.node:
        for index, name in enumerate(node.input):
            if name == lookup.output[0]:
                node.input[index] = lookup.output[0] + ".row"
    graph.node.remove(lookup)
    _prune(model)
    return True


def _prune(model: onnx.ModelProto) -> None:
    """Drop the nodes and initializers that no graph output depends on any more."""
    graph = model.graph
    while True:
        used = {output.name for output in graph.output}
        for node in graph.node:
            used.update(node.input)
        dead = [node for node in graph.node if not any(name in used for name in node.output)]
        if not dead:
            break
        for node in dead:
            graph.node.remove(node)
    for initializer in [i for i in graph.initializer if i.name not in used]:
        graph.initializer.remove(initializer)


def quantize(plain: Path, target: Path, heads: int = 12) -> None:
    """Fuse the fp32 graph ``plain`` and write its int8 graph to ``target`` (dynamic quantisation of
    the products and embeddings, per-channel weights)."""
    model = onnx.load(str(plain))
    fuse_attention(model, heads)
    constant_token_type(model)
    onnx.checker.check_model(model)
    fused = plain.with_suffix(".fused.onnx")
    onnx.save(model, str(fused))
    quantize_dynamic(
        str(fused),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        # the contrib attention node has no type information for the quantiser's shape inference
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    fused.unlink()


QUANTISED = ("_quantized", "_zero_point", "_scale")
LAYER = re.compile(r"/layer\.(\d+)/attention/self/qkv\.bias$")


def weights(path: Path) -> dict[str, np.ndarray]:
    """The fp32 weights of a graph that ``quantize`` wrote, under the names of the torch parameters
    they were exported from, the int8 ones dequantised: the way back from a shipped graph to weights
    that can be trained further (``training/tagger/joint.py --init``)."""
    graph = onnx.load(str(path)).graph
    stored = {initializer.name: numpy_helper.to_array(initializer) for initializer in graph.initializer}

    def dequantised(name: str) -> np.ndarray:
        values = stored[name + "_quantized"].astype(np.float32) - stored[name + "_zero_point"]
        return values * stored[name + "_scale"]  # type: ignore[no-any-return]

    found = {
        name: array
        for name, array in stored.items()
        if not name.startswith(("/", "onnx::")) and not name.endswith(QUANTISED)
    }
    found.update(
        {
            name.removesuffix("_quantized"): dequantised(name.removesuffix("_quantized"))
            for name in stored
            if name.endswith("_quantized") and not name.startswith(("/", "onnx::"))
        }
    )
    consumers: dict[str, list[onnx.NodeProto]] = defaultdict(list)
    for node in graph.node:
        for name in node.input:
            consumers[name].append(node)
    for node in graph.node:
        if node.op_type == "MatMulInteger":
            # MatMulInteger -> Cast -> Mul (the scales) -> Add (the bias, named as its parameter)
            (cast,) = consumers[node.output[0]]
            (scaled,) = consumers[cast.output[0]]
            (add,) = consumers[scaled.output[0]]
            bias = next(name for name in add.input if name in stored)
            matrix = dequantised(node.input[1].removesuffix("_quantized")).T
            if match := LAYER.search(bias):
                # the fused query, key and value projections, side by side
                suffix = f"layer.{match[1]}.attention.output.dense.bias"
                output = next(name for name in found if name.endswith(suffix))
                layer = output.removesuffix("output.dense.bias")
                for role, part, shift in zip(
                    ("query", "key", "value"),
                    np.split(matrix, 3),
                    np.split(stored[bias], 3),
                    strict=True,
                ):
                    found[f"{layer}self.{role}.weight"], found[f"{layer}self.{role}.bias"] = part, shift
            else:
                found[bias.removesuffix(".bias") + ".weight"] = matrix
    for name in [name for name in stored if name.endswith("token_type_embeddings/Gather_output_0.row")]:
        word = next(key for key in found if key.endswith("word_embeddings.weight"))
        # only the first segment's row survives the export; every window is one segment
        found[word.replace("word_embeddings", "token_type_embeddings")] = np.stack([stored[name]] * 2)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plain", type=Path, help="fp32 graph as torch exported it")
    parser.add_argument("target", type=Path, help="int8 graph to write")
    parser.add_argument("--heads", type=int, default=12)
    args = parser.parse_args(argv)
    quantize(args.plain, args.target, args.heads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

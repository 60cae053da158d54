#!/usr/bin/env python3
"""Train the studio's bundled sample models and write them to public/samples/.

What it makes
-------------
Three tiny image classifiers for scikit-learn's bundled "digits" dataset (1,797 grey 8x8 images
of the digits 0-9, the test part of UCI optdigits, shipped inside scikit-learn, so nothing is
downloaded), exported to ONNX:

  digits_cnn.onnx          Conv/BatchNorm/ReLU/MaxPool stack + Linear head           (opset 13)
  digits_transformer.onnx  2x2-patch embedding -> 16 tokens + positional embedding,
                           2 pre-LayerNorm encoder blocks (4-head self-attention + GELU
                           MLP), mean-pooled tokens -> Linear head                   (opset 17)
  digits_mlp.onnx          Flatten -> 64-128-64-10 ReLU MLP                          (opset 13)

plus
  digits_test.json  the labelled test split the app runs the models on:
                    { "source", "shape": [1,8,8], "scale", "x": [[64 floats]...], "y": [...] }
  manifest.json     the list of samples the app shows (id, file, title, description, task,
                    input/output names and shapes, testData, testAccuracy, parameters, opset, ...).

Every model takes `input` float32 [batch,1,8,8] (pixels / 16, i.e. in [0,1]) and returns
`logits` float32 [batch,10] (unnormalised class scores; argmax is the digit). The batch axis is
dynamic and named `batch`.

Why these choices
-----------------
* BatchNorm is kept as its own BatchNormalization node (export with TrainingMode.PRESERVE on an
  eval-mode model) instead of being folded into the Conv by the exporter, so the studio's graph
  view shows the layers the model was built from and a Conv+BN fusion pass has something to do.
* The transformer uses opset 17 because that is the first opset with a LayerNormalization
  operator (ONNX Operators.md, LayerNormalization-17) and the highest torch 1.13 can export;
  with an older opset torch spells LayerNorm out as ReduceMean/Sub/Pow/Sqrt/Div. GELU has no
  ONNX operator before opset 20, so it is exported as its Erf formula.
* Attention is written out (MatMul/Softmax/Transpose/Reshape) instead of nn.MultiheadAttention,
  whose 1.13 export adds shape arithmetic that only clutters a sample graph.
* The test split is exactly the one the corpus' digits models use:
  train_test_split(test_size=0.2, random_state=0, stratify=y) -> 1,437 train / 360 test.
  No model selection looks at the test split; each model trains for a fixed number of epochs
  (the transformer's epochs and learning rate were picked on a validation split carved out of
  the training set, random_state=1, before the final run).

How to run
----------
    npm run samples            # = python3 scripts/samples/train_samples.py
    python3 scripts/samples/train_samples.py [--out public/samples] [--logits-dir DIR]

`--logits-dir` also writes each model's torch logits on the test split (JSON), for comparing a
runtime's outputs with torch's. CPU only; about a minute on 2 cores. This script is NOT run in CI:
its outputs are committed, and the app and tests read those files.

Needs (Debian 12 packages; there is no PyPI here):
    apt-get install python3-torch python3-sklearn python3-onnx
(torch 1.13, scikit-learn 1.2, onnx 1.12; the onnx package writes the model doc strings and
metadata, which torch.onnx.export cannot, and runs onnx.checker on the result). Debian installs
them for /usr/bin/python3; if `python3` on PATH is another interpreter (pyenv) without torch, the
script re-runs itself under /usr/bin/python3.

Determinism: fixed seeds (split random_state=0, torch/numpy seed 0 plus a per-model offset), one
CPU thread and torch.use_deterministic_algorithms(True); two runs on the same machine produce
byte-identical files.
"""

from __future__ import annotations

import os
import sys

DEBIAN_PYTHON = '/usr/bin/python3'

try:
    import torch  # noqa: F401  (probe only; see the re-exec below)
except ModuleNotFoundError:
    # Debian's python3-torch lives in /usr/lib/python3/dist-packages, which only Debian's own
    # interpreter sees. Re-run under it once, rather than fail, when PATH picks another python3.
    if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) and os.path.exists(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, *sys.argv])
    sys.exit('train_samples.py needs torch: apt-get install python3-torch python3-sklearn python3-onnx')

import argparse
import hashlib
import json
import math
import random
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = 0
TEST_FILE = 'digits_test.json'
SPLIT_DOC = 'train_test_split(test_size=0.2, random_state=0, stratify=y)'
SOURCE_DOC = ('sklearn.datasets.load_digits (UCI optdigits test part, 1797 samples); split ' + SPLIT_DOC)
SCALE_DOC = 'pixel/16 -> [0,1] float32'


# ----------------------------------------------------------------------------- data

@dataclass
class Split:
    x_train: torch.Tensor  # [N,1,8,8] float32 in [0,1]
    y_train: torch.Tensor  # [N] int64
    x_test: torch.Tensor
    y_test: torch.Tensor


def load_split() -> Split:
    digits = load_digits()
    # Pixels are integers 0..16 (4x4 blocks of a 32x32 bitmap counted); /16 maps them to [0,1]
    # exactly (k/16 has at most 4 decimals, so the JSON below is lossless).
    x = (digits.data.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=0.2, random_state=SEED, stratify=y)
    return Split(torch.from_numpy(x_tr), torch.from_numpy(y_tr), torch.from_numpy(x_te), torch.from_numpy(y_te))


def random_shift(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Shift each image by -1..1 pixels in x and y (zero fill): the only augmentation.

    Digits are centred but not perfectly; a one-pixel jitter is what keeps 8x8 models from
    memorising the 1,437 training images. Implemented as pad + per-sample crop.
    """
    n = x.shape[0]
    padded = F.pad(x, (1, 1, 1, 1))
    offsets = torch.randint(0, 3, (n, 2), generator=gen)
    out = torch.empty_like(x)
    for i in range(n):
        dy, dx = int(offsets[i, 0]), int(offsets[i, 1])
        out[i] = padded[i, :, dy:dy + 8, dx:dx + 8]
    return out


# ----------------------------------------------------------------------------- models

class DigitsCNN(nn.Module):
    """8x8 -> conv16 -> conv32 -> pool(4x4) -> conv64 -> pool(2x2) -> linear(256 -> 10)."""

    def __init__(self) -> None:
        super().__init__()

        def block(cin: int, cout: int) -> list[nn.Module]:
            # bias=False: the following BatchNorm has its own shift, a Conv bias would be redundant.
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

        self.features = nn.Sequential(
            *block(1, 16), *block(16, 32), nn.MaxPool2d(2),
            *block(32, 64), nn.MaxPool2d(2),
        )
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Linear(64 * 2 * 2, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(torch.flatten(self.features(x), 1)))


class EncoderBlock(nn.Module):
    """Pre-LayerNorm transformer encoder block: x + MHSA(LN(x)), then x + MLP(LN(x))."""

    def __init__(self, dim: int, heads: int, mlp_dim: int, tokens: int) -> None:
        super().__init__()
        self.heads, self.head_dim, self.tokens = heads, dim // heads, tokens
        self.norm1 = nn.LayerNorm(dim)
        # Separate Q, K, V projections (three MatMul+Add), the layout BERT-style exports have; a fused
        # qkv Linear split with chunk() exports as Shape/Slice arithmetic in torch 1.13.
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(), nn.Linear(mlp_dim, dim))

    def attention(self, x: torch.Tensor) -> torch.Tensor:
        t, h, d = self.tokens, self.heads, self.head_dim
        # Reshape with -1 for the batch (not x.shape[0]) so the exported graph needs no Shape/Gather
        # arithmetic for the dynamic batch axis.
        q = self.q(x).reshape(-1, t, h, d).transpose(1, 2)  # [B, H, T, d]
        k = self.k(x).reshape(-1, t, h, d).permute(0, 2, 3, 1)  # [B, H, d, T]: already transposed for q @ k^T
        v = self.v(x).reshape(-1, t, h, d).transpose(1, 2)
        scores = torch.matmul(q, k) * (1.0 / math.sqrt(d))  # [B, H, T, T]
        out = torch.matmul(scores.softmax(dim=-1), v)  # [B, H, T, d]
        return self.proj(out.transpose(1, 2).reshape(-1, t, h * d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class DigitsTransformer(nn.Module):
    """A ViT in miniature: 2x2 patches of the 8x8 image -> 16 tokens of width 32."""

    def __init__(self, dim: int = 32, depth: int = 2, heads: int = 4, mlp_dim: int = 64, patch: int = 2) -> None:
        super().__init__()
        tokens = (8 // patch) ** 2
        self.dim, self.tokens = dim, tokens
        # A strided Conv is the usual patch embedding: one Linear applied to each non-overlapping patch.
        self.patch_embed = nn.Conv2d(1, dim, kernel_size=patch, stride=patch)
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, dim))
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        self.blocks = nn.Sequential(*[EncoderBlock(dim, heads, mlp_dim, tokens) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.patch_embed(x).reshape(-1, self.dim, self.tokens).transpose(1, 2)  # [B, tokens, dim]
        x = self.blocks(x + self.pos_embed)
        return self.head(self.norm(x).mean(dim=1))  # mean over tokens instead of a class token


class DigitsMLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.1),
            nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


@dataclass
class Sample:
    id: str
    title: str
    description: str
    opset: int
    make: Callable[[], nn.Module]
    epochs: int
    lr: float
    weight_decay: float
    augment: bool
    keep_batchnorm: bool = False  # export BatchNormalization nodes instead of folding them into Conv


SAMPLES = [
    Sample(
        id='digits_cnn', title='Digits CNN',
        description=('Small convolutional network: three 3x3 Conv + BatchNorm + ReLU blocks with two 2x2 MaxPools, '
                     'then a Linear classifier. BatchNormalization is kept as separate nodes (not folded into Conv).'),
        opset=13, make=DigitsCNN, epochs=40, lr=3e-3, weight_decay=1e-4, augment=True, keep_batchnorm=True,
    ),
    Sample(
        id='digits_transformer', title='Digits Transformer',
        description=('Vision-transformer in miniature: the 8x8 image is cut into 16 2x2 patches embedded to width 32, '
                     'plus a learned positional embedding; two pre-LayerNorm encoder blocks with 4-head self-attention '
                     'and a GELU MLP; tokens are mean-pooled into a Linear classifier. Opset 17 (LayerNormalization).'),
        opset=17, make=DigitsTransformer, epochs=120, lr=3e-3, weight_decay=5e-2, augment=True,
    ),
    Sample(
        id='digits_mlp', title='Digits MLP',
        description='Multilayer perceptron on the 64 flattened pixels: Linear 64-128-64-10 with ReLU (Gemm nodes).',
        opset=13, make=DigitsMLP, epochs=60, lr=2e-3, weight_decay=1e-4, augment=False,
    ),
]


# ----------------------------------------------------------------------------- training

def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(sample: Sample, split: Split, seed: int) -> tuple[nn.Module, float]:
    seed_everything(seed)
    model = sample.make()
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=sample.lr, weight_decay=sample.weight_decay)
    batch = 64
    steps_per_epoch = math.ceil(len(split.y_train) / batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=sample.lr, epochs=sample.epochs, steps_per_epoch=steps_per_epoch)
    for _ in range(sample.epochs):
        model.train()
        order = torch.randperm(len(split.y_train), generator=gen)
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            xb = split.x_train[idx]
            if sample.augment:
                xb = random_shift(xb, gen)
            loss = F.cross_entropy(model(xb), split.y_train[idx], label_smoothing=0.05)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model, accuracy(model, split)


@torch.no_grad()
def accuracy(model: nn.Module, split: Split) -> float:
    logits = model(split.x_test)
    return float((logits.argmax(dim=1) == split.y_test).float().mean())


# ----------------------------------------------------------------------------- export

def export_onnx(sample: Sample, model: nn.Module, split: Split, test_acc: float, path: Path) -> onnx.ModelProto:
    example = split.x_test[:2]
    assert not model.training, 'export an eval-mode model (Dropout off, BatchNorm running statistics)'
    # TrainingMode.EVAL lets the exporter fold BatchNorm into the preceding Conv; PRESERVE on an
    # eval-mode model exports inference-mode BatchNormalization nodes instead (see the docstring).
    # torch 1.13 warns about constant folding under PRESERVE whatever the model's mode; the warning
    # is about training-mode models only, so it is silenced here.
    mode = torch.onnx.TrainingMode.PRESERVE if sample.keep_batchnorm else torch.onnx.TrainingMode.EVAL
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='It is recommended that constant folding be turned off')
        torch.onnx.export(
            model, (example,), str(path),
            input_names=['input'], output_names=['logits'],
            dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}},
            opset_version=sample.opset,
            do_constant_folding=True,
            training=mode,
        )
    # torch.onnx.export cannot set doc strings or metadata: add them with the onnx package.
    proto = onnx.load(str(path))
    proto.doc_string = f'{sample.title}: {sample.description}'
    proto.graph.name = sample.id
    proto.graph.doc_string = f'Input: float32 [batch,1,8,8], {SCALE_DOC}. Output: logits [batch,10] for digits 0-9.'
    proto.model_version = 1
    meta = {
        'title': sample.title,
        'task': 'image-classification',
        'dataset': SOURCE_DOC,
        'preprocessing': SCALE_DOC,
        'labels': ','.join(str(d) for d in range(10)),
        'test_accuracy': f'{test_acc:.4f}',
        'test_samples': str(len(split.y_test)),
        'trained_with': f'torch {torch.__version__}, scripts/samples/train_samples.py',
    }
    del proto.metadata_props[:]
    for key, value in meta.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(proto, full_check=True)
    onnx.save(proto, str(path))
    return proto


def check_traced_matches_eager(model: nn.Module, split: Split) -> float:
    """Max |eager - TorchScript-traced| logits over the test split, batch size different from export.

    onnxruntime is not available for Python here, so the exported file itself is checked in
    onnxruntime-web separately; this at least proves the traced graph (what torch.onnx.export
    converts) is batch-size independent and equal to the eager model.
    """
    with torch.no_grad():
        traced = torch.jit.trace(model, split.x_test[:2])
        return float((traced(split.x_test) - model(split.x_test)).abs().max())


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def op_histogram(proto: onnx.ModelProto) -> dict[str, int]:
    counts: dict[str, int] = {}
    for node in proto.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return dict(sorted(counts.items()))


def compact_number(v: float) -> float | int:
    r = round(float(v), 4)
    return int(r) if r == int(r) else r


def write_json(path: Path, data: object, compact: bool) -> None:
    text = json.dumps(data, separators=(',', ':')) if compact else json.dumps(data, indent=2)
    path.write_text(text + '\n', encoding='utf-8')


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description='Train and export the studio sample models (see the module docstring).')
    parser.add_argument('--out', type=Path, default=REPO_ROOT / 'public' / 'samples')
    parser.add_argument('--logits-dir', type=Path, default=None, help='also write torch test-split logits here (JSON)')
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    # One thread + deterministic kernels: the run is reproducible to the byte; the models are so
    # small that a second thread would barely help anyway.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    split = load_split()
    print(f'digits: {len(split.y_train)} train / {len(split.y_test)} test, torch {torch.__version__}, onnx {onnx.__version__}')

    write_json(out / TEST_FILE, {
        'source': SOURCE_DOC,
        'shape': [1, 8, 8],
        'scale': SCALE_DOC,
        'x': [[compact_number(v) for v in row] for row in split.x_test.reshape(-1, 64).tolist()],
        'y': [int(v) for v in split.y_test.tolist()],
    }, compact=True)

    manifest = []
    total_start = time.perf_counter()
    for index, sample in enumerate(SAMPLES):
        start = time.perf_counter()
        model, test_acc = train(sample, split, SEED + index)
        seconds = time.perf_counter() - start
        drift = check_traced_matches_eager(model, split)
        file = f'{sample.id}.onnx'
        proto = export_onnx(sample, model, split, test_acc, out / file)
        params = count_parameters(model)
        ops = op_histogram(proto)
        print(f'{sample.id}: test accuracy {test_acc * 100:.2f}%, {params} parameters, trained in {seconds:.1f} s, '
              f'traced-vs-eager max diff {drift:.2e}, {len(proto.graph.node)} nodes {ops}, '
              f'{(out / file).stat().st_size} bytes, sha256 {sha256(out / file)}')
        if args.logits_dir is not None:
            args.logits_dir.mkdir(parents=True, exist_ok=True)
            with torch.no_grad():
                logits = model(split.x_test).tolist()
            write_json(args.logits_dir / f'{sample.id}.logits.json', logits, compact=True)
        manifest.append({
            'id': sample.id,
            'file': file,
            'title': sample.title,
            'description': sample.description,
            'task': 'image-classification',
            'input': {'name': 'input', 'shape': ['batch', 1, 8, 8], 'dtype': 'float32', 'range': [0, 1]},
            'output': {'name': 'logits', 'shape': ['batch', 10], 'dtype': 'float32',
                       'labels': [str(d) for d in range(10)]},
            'testData': TEST_FILE,
            'testAccuracy': round(test_acc, 4),
            'parameters': params,
            'opset': sample.opset,
            'sizeBytes': (out / file).stat().st_size,
            'nodes': len(proto.graph.node),
            'dataset': SOURCE_DOC,
        })
    write_json(out / 'manifest.json', manifest, compact=False)
    print(f'total training + export {time.perf_counter() - total_start:.1f} s; wrote {out}')
    for name in [TEST_FILE, 'manifest.json']:
        print(f'  {name}: {(out / name).stat().st_size} bytes, sha256 {sha256(out / name)}')


if __name__ == '__main__':
    main()

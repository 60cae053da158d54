#!/usr/bin/env python3
"""Write the sample models' calibration set to public/samples/ and list it in the manifest.

What it makes
-------------
  digits_calib.npz   x  float32 [128,1,8,8]  pixels / 16 (in [0,1], the models' input scale)
                     y  int64   [128]        the digit of each sample
  digits_calib.json  the same samples in the digits_test.json layout:
                     { "source", "shape": [1,8,8], "scale", "x": [[64 floats]...], "y": [...] }
  manifest.json      each sample gets "calibrationData": "digits_calib.npz" (placed after
                     "testData"); nothing else in the file changes.

Why
---
Static (QDQ) quantization measures activation ranges on real inputs (issue 4, item 3). The samples
must calibrate on data the models were trained on, never on the test split that accuracy is
reported on: so the 128 samples are drawn, with a fixed seed, from the TRAINING part of the exact
split train_samples.py uses (train_test_split(test_size=0.2, random_state=0, stratify=y)).
128 samples is what ORT's quantization examples typically calibrate with for small models; it is
~9 % of the training split and keeps the files small (npz 5.5 KB, json 32 KB).

The arrays are named `x` (and labels `y`), which the studio's reader accepts for any single-input
model (issue 4: "for a single-input model an array named `x` ... also serves").

Determinism: the npz is written with zipfile directly (the same layout np.savez_compressed writes:
one deflated .npy per array) but with a fixed timestamp, so two runs give byte-identical files;
np.savez_compressed stamps the current time into the zip.

How to run
----------
    /usr/bin/python3 scripts/samples/make_calibration.py [--out public/samples] [--count 128] [--seed 0]

Needs numpy and scikit-learn (Debian: apt-get install python3-sklearn). Run it after
train_samples.py, which rewrites manifest.json without the calibrationData field.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

REPO_ROOT = Path(__file__).resolve().parents[2]
SPLIT_SEED = 0  # train_samples.py's SEED: the split must be the same
NPZ_NAME = 'digits_calib.npz'
JSON_NAME = 'digits_calib.json'
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # earliest time a zip can store


def training_split() -> tuple[np.ndarray, np.ndarray]:
    digits = load_digits()
    x = (digits.data.astype(np.float32) / 16.0).reshape(-1, 1, 8, 8)
    y = digits.target.astype(np.int64)
    x_tr, _x_te, y_tr, _y_te = train_test_split(x, y, test_size=0.2, random_state=SPLIT_SEED, stratify=y)
    return x_tr, y_tr


def npy_bytes(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(path, 'w', compression=zipfile.ZIP_DEFLATED) as zf:
        for name, a in arrays.items():
            info = zipfile.ZipInfo(name + '.npy', date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, npy_bytes(a))


def compact_number(v: float) -> float | int:
    # k/16 has at most 4 decimals: the JSON is lossless.
    r = round(float(v), 4)
    return int(r) if r == int(r) else r


def add_calibration_field(manifest_path: Path, file_name: str) -> bool:
    """Insert "calibrationData" after "testData" in every entry; True when the file changed."""
    text = manifest_path.read_text(encoding='utf-8')
    entries = json.loads(text)
    if json.dumps(entries, indent=2) + '\n' != text:
        sys.exit(f'{manifest_path} is not in json.dumps(indent=2) layout; refusing to rewrite it')
    out = []
    for entry in entries:
        updated: dict[str, object] = {}
        for key, value in entry.items():
            if key == 'calibrationData':
                continue
            updated[key] = value
            if key == 'testData':
                updated['calibrationData'] = file_name
        if 'calibrationData' not in updated:
            updated['calibrationData'] = file_name
        out.append(updated)
    new_text = json.dumps(out, indent=2) + '\n'
    if new_text == text:
        return False
    manifest_path.write_text(new_text, encoding='utf-8')
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description='Write the digits calibration set (see the module docstring).')
    parser.add_argument('--out', type=Path, default=REPO_ROOT / 'public' / 'samples')
    parser.add_argument('--count', type=int, default=128)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    out: Path = args.out

    x_tr, y_tr = training_split()
    rng = np.random.default_rng(args.seed)
    # Sorted indices: the file lists samples in training-split order, which makes it diffable.
    pick = np.sort(rng.choice(len(x_tr), size=args.count, replace=False))
    x = x_tr[pick].astype(np.float32)
    y = y_tr[pick].astype(np.int64)

    write_npz(out / NPZ_NAME, {'x': x, 'y': y})
    doc = {
        'source': ('sklearn.datasets.load_digits; TRAINING part of train_test_split(test_size=0.2, random_state=0, '
                   f'stratify=y); {args.count} samples drawn with numpy default_rng({args.seed}).choice, no replacement'),
        'shape': [1, 8, 8],
        'scale': 'pixel/16 -> [0,1] float32',
        'x': [[compact_number(v) for v in row.reshape(-1)] for row in x],
        'y': [int(v) for v in y],
    }
    (out / JSON_NAME).write_text(json.dumps(doc, separators=(',', ':')) + '\n', encoding='utf-8')
    changed = add_calibration_field(out / 'manifest.json', NPZ_NAME)

    counts = np.bincount(y, minlength=10).tolist()
    print(f'{NPZ_NAME}: x {list(x.shape)} float32, y {list(y.shape)} int64; per class {counts}; '
          f'{(out / NPZ_NAME).stat().st_size} bytes')
    print(f'{JSON_NAME}: {(out / JSON_NAME).stat().st_size} bytes; manifest.json {"updated" if changed else "unchanged"}')


if __name__ == '__main__':
    main()

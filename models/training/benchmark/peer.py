#!/usr/bin/python3
"""The peer of `npm run bench`: the seed-like ensemble as people usually run it — the same models
in PyTorch (rebuilt by make_bench_models.build with the same seeds, so the weights are those of the
ONNX files), a plain eager loop, PIL decode, the same gate and the same post-processing as
Coilscope. Prints one JSON object.

    /usr/bin/python3 models/training/benchmark/peer.py --models DIR --folder DIR --gate gate.json [--threads N]

--models is a model set made by make_bench_models.py (its manifest names the members and the
post-processing); --gate is {"<file name>": true | false} and decides which images go to stage 2,
as `coilscope inspect --gate-override` does.

Per image: PIL decode -> bilinear resize with half-pixel centres and no antialias (the 2x2 mean for
1600x256 -> 800x128, as Coilscope) -> scale/mean/std -> stage 1: mean of the classifiers -> gate
-> stage 2: mean of the segmenters -> q = round(255 p) -> per class: empty if fewer than minArea
pixels have q/255 > upper, else q/255 > lower -> nearest scaling to the image size -> Kaggle RLE.
"""
import argparse
import json
import os
import sys
import time

T_START = time.perf_counter()

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_bench_models import MODELS, build  # noqa: E402


def load_members(models_dir, stage):
    manifest = json.load(open(os.path.join(models_dir, 'manifest.json')))
    members = (manifest.get(stage) or {}).get('members', [])
    nets, weights = [], []
    for member in members:
        name = os.path.splitext(member['file'])[0]
        if name not in MODELS:
            sys.exit(f'peer: {member["file"]} is not a model make_bench_models.py builds')
        nets.append(build(*MODELS[name]))
        weights.append(member.get('weight', 1.0))
    total = sum(weights)
    return manifest, nets, [w / total for w in weights]


def nearest_index(src, dst):
    """Source index of each destination index, half-pixel centres (as scaleMaskNearest)."""
    return np.minimum(src - 1, np.floor((np.arange(dst) + 0.5) * src / dst).astype(np.int64))


def rle(mask):
    """Kaggle RLE of a row-major 0/1 mask: pixels numbered down each column, then across."""
    pixels = np.concatenate([[0], mask.T.reshape(-1), [0]])
    edges = np.flatnonzero(pixels[1:] != pixels[:-1]) + 1
    edges[1::2] -= edges[::2]
    return ' '.join(map(str, edges))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', required=True)
    parser.add_argument('--folder', required=True)
    parser.add_argument('--gate', required=True)
    parser.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    gate = json.load(open(args.gate))
    names = sorted(gate)

    manifest, classifiers, cls_weights = load_members(args.models, 'classifier')
    _, segmenters, seg_weights = load_members(args.models, 'segmenter')
    spec = manifest['input']
    post = manifest['segmenter']['postprocess']
    h, w = spec['height'], spec['width']
    scale = torch.tensor([spec['scale'] / s for s in spec['std']]).view(1, 3, 1, 1)
    offset = torch.tensor([m / s for m, s in zip(spec['mean'], spec['std'])]).view(1, 3, 1, 1)
    loaded = time.perf_counter()

    totals = {'decodeMs': 0.0, 'tensorMs': 0.0, 'stage1RunMs': 0.0, 'stage2RunMs': 0.0, 'postMs': 0.0}
    areas = [0] * len(post['upper'])
    gated_in = 0

    def lap(key, since):
        now = time.perf_counter()
        totals[key] += (now - since) * 1000
        return now

    with torch.inference_mode():
        for name in names:
            t = time.perf_counter()
            pixels = np.array(Image.open(os.path.join(args.folder, name)).convert('RGB'))
            t = lap('decodeMs', t)
            image_h, image_w = pixels.shape[:2]
            x = torch.from_numpy(pixels).permute(2, 0, 1).unsqueeze(0).float()
            x = F.interpolate(x, size=(h, w), mode='bilinear', align_corners=False, antialias=False)
            # NHWC, as the models take, as a view of PyTorch's own NCHW memory: the permute inside
            # the models gives contiguous NCHW back, PyTorch's fast path for convolutions.
            x = (x * scale - offset).permute(0, 2, 3, 1)
            t = lap('tensorMs', t)
            p = sum(wt * float(net(x)[0, 0]) for net, wt in zip(classifiers, cls_weights))
            t = lap('stage1RunMs', t)
            if not gate[name]:
                continue
            gated_in += 1
            probs = sum(wt * net(x) for net, wt in zip(segmenters, seg_weights))[0]  # [h, w, K]
            t = lap('stage2RunMs', t)
            q = torch.floor(probs * 255 + 0.5).clamp(0, 255).to(torch.uint8).numpy()
            rows, cols = nearest_index(h, image_h), nearest_index(w, image_w)
            for c in range(q.shape[2]):
                plane = q[:, :, c].astype(np.float64) / 255
                if np.count_nonzero(plane > post['upper'][c]) < post['minArea'][c]:
                    continue
                mask = (plane > post['lower'][c]).astype(np.uint8)[rows][:, cols]
                rle(mask)
                areas[c] += int(mask.sum())
            lap('postMs', t)
    done = time.perf_counter()
    print(json.dumps({
        'images': len(names), 'gatedIn': gated_in, 'threads': torch.get_num_threads(),
        'torch': torch.__version__, 'startupSeconds': loaded - T_START, 'inspectSeconds': done - loaded,
        'totalMs': totals, 'areaPx': areas,
    }))


if __name__ == '__main__':
    main()

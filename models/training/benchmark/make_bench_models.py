#!/usr/bin/python3
"""Builds architecture-faithful benchmark models (random, seeded weights) and a "seed-like" model set.

Run with Debian's python, which has PyTorch, torchvision and onnx from apt:

    sudo apt-get install python3-torch python3-torchvision python3-onnx
    /usr/bin/python3 models/training/benchmark/make_bench_models.py [--out DIR] [--only NAME ...] [--force]

Every model takes NHWC float32 [batch, 128, 800, 3] in [0, 1] (like the seed's Keras models; the
permute to NCHW is inside the graph) and is exported at opset 17 with a dynamic batch axis:

  cls-b0-{1,2,3}, cls-b3   torchvision EfficientNet-B0/-B3 features (weights=None) -> global average
                           pool -> Linear(->1) -> Sigmoid (no dropout).  Output "probability" [batch, 1].
  unetpp-b0-{1,2,3},       UNet++ (Zhou et al. 2019, nested dense skip pathways X^{i,j}) on the same
  unetpp-b3                encoders, Keras segmentation_models-style skip taps: the expand activations
                           of blocks 2a, 3a, 4a, 6a (strides 2, 4, 8, 16) and the top activation
                           (stride 32).  Each node = nearest 2x upsample of X^{i+1,j-1}, concatenated
                           with X^{i,0..j-1}, then two 3x3 conv + BN + ReLU; filters per level
                           16/32/64/128/256 (stride 1..16); only X^{0,5} at full resolution (no
                           stride-1 tap); final 3x3 conv -> 4 channels -> Sigmoid.
                           Output "probability" [batch, 128, 800, 4] (NHWC, like Keras).

Batch-norm statistics are set from one forward pass in training mode on random images, so that the
activations and the sigmoid outputs stay in a sensible range (plain random init saturates).

Files go to DIR (default .cache/bench-models at the repository root, outside git).  The set
DIR/seed-like/ (3 B0 classifiers + 3 UNet++-B0, manifest per docs/model-sets.md) gets hard links
(copies where linking fails) of its members.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import time
import warnings

import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

H, W, K = 128, 800, 4
# torch 1.13's exporter warns about prim::Constant shape inference on every model; harmless.
warnings.filterwarnings('ignore', message='The shape inference of prim::Constant')
OPSET = 17
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..'))
DEFAULT_OUT = os.path.join(REPO, '.cache', 'bench-models')

# name -> (kind, encoder, seed)
MODELS = {
    'cls-b0-1': ('cls', 'b0', 101),
    'cls-b0-2': ('cls', 'b0', 102),
    'cls-b0-3': ('cls', 'b0', 103),
    'cls-b3': ('cls', 'b3', 301),
    'unetpp-b0-1': ('seg', 'b0', 111),
    'unetpp-b0-2': ('seg', 'b0', 112),
    'unetpp-b0-3': ('seg', 'b0', 113),
    'unetpp-b3': ('seg', 'b3', 311),
}
SEED_LIKE = {
    'classifier': ['cls-b0-1', 'cls-b0-2', 'cls-b0-3'],
    'segmenter': ['unetpp-b0-1', 'unetpp-b0-2', 'unetpp-b0-3'],
}

# Keras EfficientNet layer -> torchvision: blockNa_expand_activation is features[N][0].block[0]
# (expand 1x1 conv + BN + SiLU); top_activation is features[8].
TAP_STAGES = (2, 3, 4, 6)            # blocks 2a, 3a, 4a, 6a: strides 2, 4, 8, 16
DECODER_FILTERS = (16, 32, 64, 128, 256)  # per level, stride 1, 2, 4, 8, 16


def efficientnet_features(encoder):
    build = {'b0': torchvision.models.efficientnet_b0, 'b3': torchvision.models.efficientnet_b3}[encoder]
    net = build(weights=None)
    return net.features, net.classifier[1].in_features


class Classifier(nn.Module):
    """NHWC [N,H,W,3] -> EfficientNet features -> GAP -> Linear(->1) -> Sigmoid: [N,1]."""

    def __init__(self, encoder):
        super().__init__()
        self.features, width = efficientnet_features(encoder)
        self.head = nn.Linear(width, 1)

    def forward(self, x):
        x = self.features(x.permute(0, 3, 1, 2))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return torch.sigmoid(self.head(x))


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class Node(nn.Sequential):
    """X^{i,j}: two 3x3 conv + BN + ReLU over [up(X^{i+1,j-1}), X^{i,0}, ..., X^{i,j-1}]."""

    def __init__(self, cin, cout):
        super().__init__(*conv_bn_relu(cin, cout), *conv_bn_relu(cout, cout))


class UNetPlusPlus(nn.Module):
    """UNet++ with an EfficientNet encoder and Keras-style taps; NHWC in, NHWC sigmoid out."""

    DEPTH = 5  # levels 0 (full resolution) .. 5 (stride 32)

    def __init__(self, encoder, classes=K):
        super().__init__()
        self.features, _ = efficientnet_features(encoder)
        for s in TAP_STAGES:
            assert not self.features[s][0].use_res_connect, 'a tapped block must not be residual'
        # Channels of X^{i,0} for levels 1..5.
        tap_channels = [self.features[s][0].block[0].out_channels for s in TAP_STAGES]
        tap_channels.append(self.features[-1].out_channels)
        ch = {(i, 0): c for i, c in enumerate(tap_channels, start=1)}
        self.nodes = nn.ModuleDict()
        for i, j in self.node_order():
            cin = ch[(i + 1, j - 1)] + sum(ch[(i, c)] for c in range(j) if (i, c) in ch)
            ch[(i, j)] = DECODER_FILTERS[i]
            self.nodes[f'x{i}_{j}'] = Node(cin, DECODER_FILTERS[i])
        self.final = nn.Conv2d(DECODER_FILTERS[0], classes, 3, padding=1)

    @classmethod
    def node_order(cls):
        """Nodes (i, j), j >= 1, i + j <= 5, in dependency order; level 0 only X^{0,5}."""
        order = []
        for s in range(1, cls.DEPTH + 1):
            for j in range(1, s + 1):
                i = s - j
                if i == 0 and j < cls.DEPTH:
                    continue  # no stride-1 tap, so no X^{0,1..4}
                order.append((i, j))
        return order

    def encode(self, x):
        taps = []
        for idx, stage in enumerate(self.features):
            if idx in TAP_STAGES:
                first = stage[0]
                e = first.block[0](x)      # blockNa_expand_activation
                taps.append(e)
                x = first.block[1:](e)     # depthwise, SE, project (no residual: stride 2)
                x = stage[1:](x)
            else:
                x = stage(x)
        taps.append(x)                     # top_activation
        return taps

    def forward(self, x):
        taps = self.encode(x.permute(0, 3, 1, 2))
        X = {(i, 0): t for i, t in enumerate(taps, start=1)}
        for i, j in self.node_order():
            up = F.interpolate(X[(i + 1, j - 1)], scale_factor=2.0, mode='nearest')
            skips = [X[(i, c)] for c in range(j) if (i, c) in X]
            X[(i, j)] = self.nodes[f'x{i}_{j}'](torch.cat([up] + skips, 1) if skips else up)
        y = torch.sigmoid(self.final(X[(0, self.DEPTH)]))
        return y.permute(0, 2, 3, 1)


def build(kind, encoder, seed):
    torch.manual_seed(seed)
    model = Classifier(encoder) if kind == 'cls' else UNetPlusPlus(encoder)
    # Batch-norm statistics from one training-mode pass (cumulative average over that batch).
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        model(torch.rand(4 if kind == 'cls' else 2, H, W, 3))
    return model.eval()


def count_flops(model):
    """GFLOP per image at HxW: 2 x multiply-adds of every Conv2d and Linear (nothing else)."""
    macs = [0]

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            kh, kw = module.kernel_size
            macs[0] += output.numel() * (module.in_channels // module.groups) * kh * kw
        else:
            macs[0] += output.numel() * module.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model(torch.rand(1, H, W, 3))
    for h in handles:
        h.remove()
    return 2 * macs[0] / 1e9


def export(model, path):
    dummy = torch.rand(1, H, W, 3)
    tmp = path + '.part'
    torch.onnx.export(
        model, dummy, tmp, opset_version=OPSET, do_constant_folding=True,
        input_names=['image'], output_names=['probability'],
        dynamic_axes={'image': {0: 'batch'}, 'probability': {0: 'batch'}})
    onnx.checker.check_model(tmp)
    graph = onnx.load(tmp, load_external_data=False).graph
    shapes = [[d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim] for v in (graph.input[0], graph.output[0])]
    os.replace(tmp, path)
    return shapes


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def link_or_copy(src, dst):
    if os.path.exists(dst):
        if os.path.samefile(src, dst):
            return
        os.remove(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def write_seed_like(out):
    folder = os.path.join(out, 'seed-like')
    os.makedirs(folder, exist_ok=True)
    stages = {}
    for stage, names in SEED_LIKE.items():
        members = []
        for name in names:
            src = os.path.join(out, f'{name}.onnx')
            if not os.path.exists(src):
                print(f'seed-like: {src} is missing, manifest not written', file=sys.stderr)
                return None
            link_or_copy(src, os.path.join(folder, f'{name}.onnx'))
            members.append({'file': f'{name}.onnx', 'sha256': sha256(src)})
        stages[stage] = members
    colours = ['#e6b800', '#00b3e6', '#e6006b', '#33cc33']
    manifest = {
        'id': 'seed-like',
        'version': '1.0.0',
        'name': 'Seed-like benchmark ensemble (random weights)',
        'description': ('3 EfficientNet-B0 classifiers + 3 UNet++ (EfficientNet-B0 encoder, Keras-style skip taps) '
                        'with random seeded weights, built by models/training/benchmark/make_bench_models.py. '
                        'For speed measurements only: its masks mean nothing.'),
        'classes': [{'id': c, 'name': f'defect {c}', 'color': colours[c - 1]} for c in range(1, K + 1)],
        'input': {'height': H, 'width': W, 'layout': 'NHWC', 'channels': 3,
                  'scale': 1 / 255, 'mean': [0, 0, 0], 'std': [1, 1, 1]},
        'classifier': {'members': stages['classifier'], 'output': 'probability', 'threshold': 0.8},
        'segmenter': {'members': stages['segmenter'], 'output': 'probability',
                      'postprocess': {'upper': [0.7, 0.7, 0.7, 0.7], 'lower': [0.4, 0.5, 0.4, 0.5],
                                      'minArea': [180, 260, 200, 500]}},
        'tta': ['none'],
        'imageSize': {'height': 256, 'width': 1600},
    }
    path = os.path.join(folder, 'manifest.json')
    with open(path, 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT, help=f'output folder (default {DEFAULT_OUT})')
    parser.add_argument('--only', nargs='+', metavar='NAME', choices=sorted(MODELS), help='build only these models')
    parser.add_argument('--force', action='store_true', help='rebuild models whose file already exists')
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    rows = []
    for name in args.only or list(MODELS):
        kind, encoder, seed = MODELS[name]
        path = os.path.join(out, f'{name}.onnx')
        if os.path.exists(path) and not args.force:
            print(f'{name}: {path} exists, skipped (--force rebuilds)')
            continue
        t0 = time.perf_counter()
        model = build(kind, encoder, seed)
        params = sum(p.numel() for p in model.parameters())
        gflop = count_flops(model)
        t1 = time.perf_counter()
        shapes = export(model, path)
        t2 = time.perf_counter()
        print(f'{name}: input {shapes[0]} output {shapes[1]}, onnx.checker ok, built in {t1 - t0:.1f} s')
        rows.append((name, params / 1e6, gflop, os.path.getsize(path) / 1e6, t2 - t1))

    if rows:
        print()
        print(f'| {"model":12s} | params (M) | GFLOP/image | file (MB) | export (s) |')
        print(f'|{"-" * 14}|-----------:|------------:|----------:|-----------:|')
        for name, params, gflop, mb, secs in rows:
            print(f'| {name:12s} | {params:10.2f} | {gflop:11.2f} | {mb:9.1f} | {secs:10.1f} |')
        print()

    manifest = write_seed_like(out)
    if manifest:
        print(f'seed-like set: {manifest}')


if __name__ == '__main__':
    main()

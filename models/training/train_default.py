#!/usr/bin/python3
"""Reproduces models/default in one command: data -> classifiers and segmenters -> validation
probabilities -> thresholds -> ONNX export -> manifest.

    /usr/bin/python3 models/training/train_default.py                             # synthetic coils
    /usr/bin/python3 models/training/train_default.py --data DIR --truth CSV --out models/mine   # your folder
    /usr/bin/python3 models/training/train_default.py --fingerprint-only --out DIR   # only the last step

Members train in two worker processes of one thread each (one classifier and one segmenter per
worker): on a 2-core CPU that is faster than one process with two threads, and far faster when
the CPU is shared. Needs Debian's PyTorch (apt-get install python3-torch python3-torchvision
python3-onnx). See models/training/README.md.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import data as D  # noqa: E402
from nets import Classifier, UNetPP, gflops  # noqa: E402

# Fixed seeds of the synthetic splits. Never test on these; the documented test seed is 777.
TRAIN_SEED, VAL_SEED = 1001, 2002

# Ensemble members, two of each with different seeds and widths. Worker k trains CLASSIFIERS[k]
# and SEGMENTERS[k].
CLASSIFIERS = [
    ('cls-a', lambda: Classifier((16, 24, 32, 48, 64)), 11),
    ('cls-b', lambda: Classifier((12, 24, 40, 56, 72)), 12),
]
SEGMENTERS = [
    ('unetpp-a', lambda: UNetPP((8, 16, 24, 32, 48)), 21),
    ('unetpp-b', lambda: UNetPP((8, 16, 32, 40, 56)), 22),
]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--out', default=os.path.join(REPO, 'models', 'default'), help='model-set folder to write (default models/default)')
    p.add_argument('--work', default=os.path.join(REPO, '.cache', 'training'), help='scratch folder: data, arrays, checkpoints (default .cache/training)')
    p.add_argument('--data', help='your own image folder (skips synth); needs --truth')
    p.add_argument('--truth', help='Severstal-format CSV for --data (current or 2019 form)')
    p.add_argument('--val-fraction', type=float, default=0.2, help='share of --data held out for tuning (default 0.2)')
    p.add_argument('--train-count', type=int, default=3000, help='synthetic training images (default 3000)')
    p.add_argument('--train-defect-rate', type=float, default=0.75, help='share of defective synthetic training images (default 0.75)')
    p.add_argument('--val-count', type=int, default=1000, help='synthetic validation images, defect rate 0.5 (default 1000)')
    p.add_argument('--reuse-data', action='store_true', help='keep the synthetic folders already in --work')
    p.add_argument('--cls-steps', type=int, default=400, help='classifier steps of 16 images (default 400)')
    p.add_argument('--seg-steps', type=int, default=2000, help='segmenter steps of 8 crops (default 2000)')
    p.add_argument('--crop', type=int, default=384, help='segmenter training crop width at model resolution (default 384)')
    p.add_argument('--min-recall', type=float, default=0.92, help='detection recall per class the tuning must keep on validation (default 0.92)')
    p.add_argument('--id', default='default', help='model-set id for the manifest')
    p.add_argument('--version', default='1.0.0')
    p.add_argument('--fingerprint-only', action='store_true', help='run only the last step: write the fit fingerprint of the set in --out')
    p.add_argument('--worker', type=int, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def worker(args):
    """Trains CLASSIFIERS[k] and SEGMENTERS[k] on one thread and writes their validation outputs."""
    import train as T

    torch.set_num_threads(1)
    k = args.worker
    cache = os.path.join(args.work, 'arrays')
    with open(os.path.join(cache, 'norm.json')) as f:
        norm = json.load(f)
    mean, std = norm['mean'], norm['std']
    train, val = D.load_cache(os.path.join(cache, 'train')), D.load_cache(os.path.join(cache, 'val'))
    times = {}
    name, make, seed = CLASSIFIERS[k]
    t0 = time.time()
    torch.manual_seed(seed)
    model = T.train_classifier(make(), train, mean, std, steps=args.cls_steps, seed=seed, log_prefix=name)
    torch.save(model.state_dict(), os.path.join(args.work, f'{name}.pt'))
    np.save(os.path.join(args.work, f'{name}.val.npy'), T.predict_classifier(model, val, mean, std))
    times[f'train {name}'] = time.time() - t0
    name, make, seed = SEGMENTERS[k]
    t0 = time.time()
    torch.manual_seed(seed)
    model = T.train_segmenter(make(), train, mean, std, steps=args.seg_steps, crop=args.crop, seed=seed, log_prefix=name)
    torch.save(model.state_dict(), os.path.join(args.work, f'{name}.pt'))
    times[f'train {name}'] = time.time() - t0
    t0 = time.time()
    maps = np.lib.format.open_memmap(os.path.join(args.work, f'{name}.val.npy'), mode='w+', dtype=np.float32, shape=val.covers.shape)
    T.predict_segmenter(model, val, mean, std, maps)
    maps.flush()
    times[f'validation maps {name}'] = time.time() - t0
    with open(os.path.join(args.work, f'worker{k}.times.json'), 'w') as f:
        json.dump(times, f)


def main():
    args = parse_args()
    if args.worker is not None:
        return worker(args)
    if args.fingerprint_only:
        return write_fingerprint(args)
    import export as E
    import train as T
    import tune as U

    torch.set_num_threads(2)
    os.makedirs(args.work, exist_ok=True)
    phases = []
    t_all = time.time()

    def phase(name, seconds):
        phases.append((name, seconds))
        print(f'== {name}: {seconds:.0f} s (elapsed {time.time() - t_all:.0f} s)', flush=True)

    # 1. Data: synthetic folders (train and validation generated in parallel) or the user's folder.
    t0 = time.time()
    if args.data:
        if not args.truth:
            sys.exit('--data needs --truth <csv>')
        full = D.load_folder(args.data, args.truth)
        order = np.random.RandomState(0).permutation(len(full))
        n_val = max(1, int(round(len(full) * args.val_fraction)))
        val, train = full.subset(np.sort(order[:n_val])), full.subset(np.sort(order[n_val:]))
        source = f'a labelled folder ({len(train)} training / {len(val)} validation images, seeded split)'
        phase('load data', time.time() - t0)
    else:
        train_dir, val_dir = os.path.join(args.work, 'train'), os.path.join(args.work, 'val')
        jobs = []
        for folder, count, seed, rate in ((train_dir, args.train_count, TRAIN_SEED, args.train_defect_rate), (val_dir, args.val_count, VAL_SEED, 0.5)):
            if args.reuse_data and os.path.exists(os.path.join(folder, 'truth.csv')):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            jobs.append(D.synth(folder, count, seed, rate, REPO))
        for job in jobs:
            out, _ = job.communicate()
            summary = [line for line in out.splitlines() if line.startswith('wrote')]
            print('  ' + (summary[0] if summary else out[-800:]), flush=True)
            if job.returncode != 0:
                sys.exit('npx coilscope synth failed')
        phase('synth', time.time() - t0)
        t0 = time.time()
        train = D.load_folder(train_dir, os.path.join(train_dir, 'truth.csv'))
        val = D.load_folder(val_dir, os.path.join(val_dir, 'truth.csv'))
        source = (f'synthetic coils (coilscope synth): {args.train_count} training images (seed {TRAIN_SEED}, defect rate '
                  f'{args.train_defect_rate}) and {args.val_count} validation images (seed {VAL_SEED}, defect rate 0.5)')
    print(f'  train {len(train)} images, per class {train.has_class.sum(0).tolist()}; '
          f'validation {len(val)}, per class {val.has_class.sum(0).tolist()}', flush=True)
    sample = train.images[np.linspace(0, len(train) - 1, min(len(train), 500)).astype(int)].astype(np.float32)
    mean, std = round(float(sample.mean()), 4), round(float(sample.std()), 4)
    print(f'  grey mean {mean} std {std}')
    cache = os.path.join(args.work, 'arrays')
    shutil.rmtree(cache, ignore_errors=True)
    D.save_cache(train, os.path.join(cache, 'train'))
    D.save_cache(val, os.path.join(cache, 'val'))
    with open(os.path.join(cache, 'norm.json'), 'w') as f:
        json.dump({'mean': mean, 'std': std}, f)
    image_size = most_common_size(args, val)
    del train
    if not args.data:
        phase('load data', time.time() - t0)

    # 2. Members, two workers of one thread each.
    t0 = time.time()
    argv = [sys.executable, os.path.abspath(__file__)] + sys.argv[1:]
    workers = [subprocess.Popen(argv + ['--worker', str(k)]) for k in range(len(SEGMENTERS))]
    codes = [w.wait() for w in workers]
    if any(codes):
        sys.exit(f'a training worker failed (exit codes {codes})')
    phase('train members (2 workers)', time.time() - t0)
    for k in range(len(SEGMENTERS)):
        with open(os.path.join(args.work, f'worker{k}.times.json')) as f:
            for name, seconds in json.load(f).items():
                print(f'   worker {k}: {name} {seconds:.0f} s')
                phases.append(('  ' + name, seconds))

    # 3. Thresholds on the validation split.
    t0 = time.time()
    val = D.load_cache(os.path.join(cache, 'val'))
    gate = sum(np.load(os.path.join(args.work, f'{n}.val.npy')) for n, _, _ in CLASSIFIERS) / np.float32(len(CLASSIFIERS))
    maps = [np.load(os.path.join(args.work, f'{n}.val.npy'), mmap_mode='r') for n, _, _ in SEGMENTERS]
    hists = T.ensemble_hist(maps, val)
    np.savez_compressed(os.path.join(args.work, 'val_predictions.npz'), gate=gate, h_all=hists[0], h_inter=hists[1],
                        full_sizes=val.full_sizes, scales=val.scales)
    del maps
    for n, _, _ in SEGMENTERS:  # 4 bytes x 4 classes x 102,400 px per image: drop once summarised
        os.remove(os.path.join(args.work, f'{n}.val.npy'))
    tuned = U.tune(gate, hists, val.full_sizes, scale=val.scales, min_recall=args.min_recall)
    U.report(tuned)
    phase('tune thresholds', time.time() - t0)

    # 4. Export and manifest.
    t0 = time.time()
    os.makedirs(args.out, exist_ok=True)
    for f in os.listdir(args.out):
        if f.endswith('.onnx'):
            os.remove(os.path.join(args.out, f))
    members = {'classifier': [], 'segmenter': []}
    arch = []
    for stage, specs in (('classifier', CLASSIFIERS), ('segmenter', SEGMENTERS)):
        for name, make, _ in specs:
            model = make()
            model.load_state_dict(torch.load(os.path.join(args.work, f'{name}.pt')))
            path = os.path.join(args.out, f'{name}.onnx')
            members[stage].append(E.export(model, path, stage))
            arch.append((stage, name, sum(p.numel() for p in model.parameters()), gflops(model), os.path.getsize(path)))
    manifest = E.write_manifest(args.out, args.id, args.version, members['classifier'], members['segmenter'], tuned,
                                mean, std, source, image_size)
    phase('export', time.time() - t0)
    t0 = time.time()
    write_fingerprint(args)
    phase('fingerprint', time.time() - t0)

    print('\nmembers:')
    for stage, name, params, g, size in arch:
        print(f'  {stage:10s} {name:9s} {params / 1e6:.3f} M params  {g:.3f} GFLOP/image  {size / 1e6:.2f} MB')
    print('\nphases:')
    for name, seconds in phases:
        print(f'  {name:34s} {seconds:6.0f} s')
    print(f'  {"total":34s} {time.time() - t_all:6.0f} s')
    post = manifest['segmenter']['postprocess']
    print(f'\nwrote {args.out}/manifest.json: threshold {manifest["classifier"]["threshold"]}, upper {post["upper"]}, '
          f'lower {post["lower"]}, minArea {post["minArea"]}')
    print(f'check it with: npx coilscope models --root {os.path.dirname(os.path.abspath(args.out))}')


# The fit check samples the first FINGERPRINT_IMAGES images of the synthetic training split.
FINGERPRINT_IMAGES = 200


def write_fingerprint(args):
    """The last step: the fit check's summary of the training images (brightness, contrast,
    texture) into --out/fingerprint.json; the app warns when a folder's images fall outside it.
    On synthetic data it re-synthesises the first FINGERPRINT_IMAGES training images (synth is
    deterministic per index, so they are the training split's first images) and needs nothing
    else from the run: `--fingerprint-only` runs just this step on a set already trained."""
    if args.data:
        images_dir, source = args.data, f'{args.data}: the labelled folder the set was trained on'
    else:
        images_dir = os.path.join(args.work, 'fingerprint')
        shutil.rmtree(images_dir, ignore_errors=True)
        out, _ = D.synth(images_dir, FINGERPRINT_IMAGES, TRAIN_SEED, args.train_defect_rate, REPO).communicate()
        if not os.path.isdir(images_dir):
            sys.exit(f'npx coilscope synth failed:\n{out}')
        source = (f'coilscope synth: {FINGERPRINT_IMAGES} images, seed {TRAIN_SEED}, defect rate {args.train_defect_rate} '
                  f'(the first {FINGERPRINT_IMAGES} of the training split)')
    if subprocess.call(['npx', 'coilscope', 'models', 'fingerprint', args.out, '--images', images_dir, '--source', source], cwd=REPO) != 0:
        sys.exit('npx coilscope models fingerprint failed')


def most_common_size(args, val):
    """The source image size for the manifest: 256x1600 for synthetic data, else the folder's usual size."""
    if not args.data:
        return {'height': 256, 'width': 1600}
    from collections import Counter
    from PIL import Image
    sizes = Counter()
    for name in val.ids[:200]:
        with Image.open(os.path.join(args.data, name)) as im:
            sizes[(im.height, im.width)] += 1
    (h, w), _ = sizes.most_common(1)[0]
    return {'height': h, 'width': w}


if __name__ == '__main__':
    main()

"""Data for the default model set: synthetic folders from `npx coilscope synth`, or a user's own
labelled folder (images + a Severstal-format CSV), loaded into arrays at model resolution.

Images are brought to the model size exactly as the app does (decode to RGB, bilinear resize with
half-pixel centres and no antialias, which for 256x1600 -> 128x800 is the 2x2 mean) and averaged to
one grey channel (the exported graphs average the three input channels the same way).

Masks are kept at model resolution as the number of truth pixels each model pixel covers at image
resolution, 0..4 for a 2x reduction: /4 is the soft training target, and it gives the exact
full-resolution Dice of a model mask upscaled by pixel replication (the app's rule) in tuning.
"""
import csv
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

MODEL_H, MODEL_W = 128, 800
CLASSES = 4
IMAGE_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def synth(out_dir, count, seed, defect_rate, repo_root):
    """Starts `npx coilscope synth` (returns the process; wait on it)."""
    cmd = ['npx', 'coilscope', 'synth', out_dir, '--count', str(count), '--seed', str(seed), '--defect-rate', str(defect_rate)]
    return subprocess.Popen(cmd, cwd=repo_root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def read_truth(csv_path):
    """{image id: {class id: rle}} from either Severstal CSV form (current or 2019)."""
    truth = {}
    with open(csv_path, newline='') as f:
        reader = csv.reader(f)
        header = next(reader)
        two_col = header[0] == 'ImageId_ClassId'
        for row in reader:
            if not row:
                continue
            if two_col:
                image_id, class_id = row[0].rsplit('_', 1)
                rle = row[1] if len(row) > 1 else ''
            else:
                image_id, class_id, rle = row[0], row[1], row[2] if len(row) > 2 else ''
            entry = truth.setdefault(image_id, {})
            if rle.strip():
                entry[int(class_id)] = rle
    return truth


def decode_rle(rle, height, width):
    """Kaggle RLE (1-based, column-major) -> bool mask [height, width]."""
    flat = np.zeros(height * width, dtype=bool)
    values = np.array(rle.split(), dtype=np.int64)
    for start, length in zip(values[0::2] - 1, values[1::2]):
        flat[start:start + length] = True
    return flat.reshape(width, height).T


def list_images(folder, truth, all_images):
    """Image files of the folder: every image when `all_images` (defect-free images are absent from
    a current-form CSV), else only those named in the truth."""
    names = sorted(n for n in os.listdir(folder) if n.lower().endswith(IMAGE_EXTS))
    if not all_images:
        names = [n for n in names if n in truth]
    return names


def resize_like_app(pixels_hw3):
    """uint8 [H, W, 3] -> float32 grey [MODEL_H, MODEL_W] in 0..1, as the app's bilinear resize."""
    h, w = pixels_hw3.shape[:2]
    if (h, w) == (2 * MODEL_H, 2 * MODEL_W):  # exact 2x: half-pixel bilinear is the 2x2 mean
        grey = pixels_hw3.astype(np.float32).mean(axis=2)
        return grey.reshape(MODEL_H, 2, MODEL_W, 2).mean(axis=(1, 3)) / 255.0
    x = torch.from_numpy(np.array(pixels_hw3)).permute(2, 0, 1)[None].float()
    if x.shape[2:] != (MODEL_H, MODEL_W):
        x = F.interpolate(x, size=(MODEL_H, MODEL_W), mode='bilinear', align_corners=False)
    return (x.mean(1)[0] / 255.0).numpy()


def mask_cover(mask_hw):
    """bool [H, W] at image size -> float32 [MODEL_H, MODEL_W]: truth pixels each model pixel covers."""
    h, w = mask_hw.shape
    if h == 2 * MODEL_H and w == 2 * MODEL_W:
        return mask_hw.reshape(MODEL_H, 2, MODEL_W, 2).sum(axis=(1, 3)).astype(np.float32)
    m = torch.from_numpy(mask_hw.astype(np.float32))[None, None]
    frac = F.adaptive_avg_pool2d(m, (MODEL_H, MODEL_W))[0, 0].numpy()
    return frac * (h * w) / (MODEL_H * MODEL_W)


class Dataset:
    """In-memory images [N, H, W] float16 and masks [N, 4, H, W] uint8 (truth pixels covered)."""

    def __init__(self, images, covers, ids, full_sizes, scales):
        self.images = images
        self.covers = covers
        self.ids = ids
        self.full_sizes = full_sizes  # truth pixels per class at image size, [N, 4]
        self.scales = scales  # image pixels per model pixel, [N] (4 for 256x1600)

    def __len__(self):
        return len(self.ids)

    @property
    def has_class(self):
        return self.full_sizes > 0

    def subset(self, index):
        index = np.asarray(index)
        return Dataset(self.images[index], self.covers[index], [self.ids[i] for i in index], self.full_sizes[index], self.scales[index])


def load_folder(folder, truth_csv, all_images=True, log=print):
    truth = read_truth(truth_csv)
    names = list_images(folder, truth, all_images)
    if not names:
        sys.exit(f'no images found in {folder}')
    n = len(names)
    images = np.zeros((n, MODEL_H, MODEL_W), np.float16)
    covers = np.zeros((n, CLASSES, MODEL_H, MODEL_W), np.uint8)
    full_sizes = np.zeros((n, CLASSES), np.int64)
    scales = np.zeros(n, np.float64)
    started = time.time()
    for i, name in enumerate(names):
        with Image.open(os.path.join(folder, name)) as im:
            pixels = np.asarray(im.convert('RGB'))
        images[i] = resize_like_app(pixels)
        h, w = pixels.shape[:2]
        scales[i] = h * w / (MODEL_H * MODEL_W)
        for class_id, rle in truth.get(name, {}).items():
            if not 1 <= class_id <= CLASSES:
                continue
            mask = decode_rle(rle, h, w)
            full_sizes[i, class_id - 1] = int(mask.sum())
            covers[i, class_id - 1] = np.round(mask_cover(mask)).clip(0, 255).astype(np.uint8)
        if (i + 1) % 500 == 0:
            log(f'  loaded {i + 1}/{n} images ({time.time() - started:.0f} s)')
    return Dataset(images, covers, names, full_sizes, scales)


def save_cache(ds, folder):
    """Writes the arrays for the training workers (which map them read-only)."""
    os.makedirs(folder, exist_ok=True)
    for key in ('images', 'covers', 'full_sizes', 'scales'):
        np.save(os.path.join(folder, key + '.npy'), getattr(ds, key))
    with open(os.path.join(folder, 'ids.txt'), 'w') as f:
        f.write('\n'.join(ds.ids) + '\n')


def load_cache(folder):
    arrays = {key: np.load(os.path.join(folder, key + '.npy'), mmap_mode='r') for key in ('images', 'covers', 'full_sizes', 'scales')}
    with open(os.path.join(folder, 'ids.txt')) as f:
        ids = f.read().split('\n')[:-1]
    return Dataset(arrays['images'], arrays['covers'], ids, np.asarray(arrays['full_sizes']), np.asarray(arrays['scales']))

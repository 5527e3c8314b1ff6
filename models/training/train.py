"""Training loops and validation inference for the default model set (CPU-friendly, seeded)."""
import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from data import CLASSES, MODEL_H, MODEL_W


def _augment(x, y, rng):
    """Random flips (every class keeps its orientation under both) and a small gain/offset."""
    if rng.rand() < 0.5:
        x, y = x[..., ::-1], (y[..., ::-1] if y is not None else None)
    if rng.rand() < 0.5:
        x, y = x[..., ::-1, :], (y[..., ::-1, :] if y is not None else None)
    x = x * rng.uniform(0.85, 1.15) + rng.uniform(-0.06, 0.06)
    return x, y


def _schedule(optimizer, step, steps, base_lr, warmup=100):
    lr = base_lr * min(1.0, (step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * step / steps))
    for group in optimizer.param_groups:
        group['lr'] = lr


def _class_index(ds):
    """Images holding each class, and the defect-free images."""
    has = ds.has_class
    by_class = [np.flatnonzero(has[:, c]) for c in range(CLASSES)]
    clean = np.flatnonzero(~has.any(1))
    return by_class, clean


def _step(opt, loss, running, step, steps, started, log_prefix):
    """One optimiser step; returns the running loss, printed every 100 steps and at the end."""
    opt.zero_grad()
    loss.backward()
    opt.step()
    running = 0.98 * running + 0.02 * loss.item() if step else loss.item()
    if (step + 1) % 100 == 0 or step + 1 == steps:
        print(f'  {log_prefix} step {step + 1}/{steps} loss {running:.4f} ({time.time() - started:.0f} s)', flush=True)
    return running


def train_classifier(model, ds, mean, std, steps, seed, batch=16, lr=3e-3, log_prefix=''):
    """Binary 'any defect' on whole 128x800 images. Half of each batch is defect-free; the other half
    picks a class uniformly, then an image holding it, so rare classes are seen as often as common ones."""
    rng = np.random.RandomState(seed)
    by_class, clean = _class_index(ds)
    if len(clean) == 0:
        clean = np.arange(len(ds))
    model.train().to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    started, running = time.time(), 0.0
    present = [c for c in range(CLASSES) if len(by_class[c])]
    for step in range(steps):
        _schedule(opt, step, steps, lr)
        xs, ys = [], []
        for b in range(batch):
            if b % 2 == 0 or not present:
                i, label = clean[rng.randint(len(clean))], 0.0
            else:
                c = present[rng.randint(len(present))]
                i = by_class[c][rng.randint(len(by_class[c]))]
                label = 1.0
            x, _ = _augment(ds.images[i].astype(np.float32), None, rng)
            xs.append(np.ascontiguousarray(x))
            ys.append(label)
        x = (torch.from_numpy(np.stack(xs))[:, None] - mean) / std
        y = torch.tensor(ys)[:, None]
        logit = model(x.contiguous(memory_format=torch.channels_last))
        loss = F.binary_cross_entropy_with_logits(logit, y)
        running = _step(opt, loss, running, step, steps, started, log_prefix)
    model.eval()
    return model


def _seg_loss(logits, target):
    """BCE against the soft (area-fraction) target + soft Dice per class over the batch."""
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    dims = (0, 2, 3)
    inter = (p * target).sum(dims)
    dice = 1 - (2 * inter + 1) / (p.sum(dims) + target.sum(dims) + 1)
    return bce + dice.mean()


def train_segmenter(model, ds, mean, std, steps, crop, seed, batch=8, lr=3e-3, log_prefix=''):
    """Full-height crops `crop` wide. Each sample draws a stratum (class 1..4 or 'any image') uniformly;
    a class stratum picks an image holding that class and a crop over one of its columns, so the rare
    class 2 (thin vertical cracks) gets as many crops as the common class 3."""
    rng = np.random.RandomState(seed)
    by_class, _ = _class_index(ds)
    cols = ds.covers.any(axis=2)  # [N, 4, W]
    model.train().to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    started, running = time.time(), 0.0
    strata = [c for c in range(CLASSES) if len(by_class[c])] + [None]
    for step in range(steps):
        _schedule(opt, step, steps, lr)
        xs, ys = [], []
        for _ in range(batch):
            c = strata[rng.randint(len(strata))]
            if c is None:
                i = rng.randint(len(ds))
                x0 = rng.randint(0, MODEL_W - crop + 1)
            else:
                i = by_class[c][rng.randint(len(by_class[c]))]
                where = np.flatnonzero(cols[i, c])
                centre = where[rng.randint(len(where))]
                x0 = int(np.clip(centre - rng.randint(crop), 0, MODEL_W - crop))
            x = ds.images[i, :, x0:x0 + crop].astype(np.float32)
            y = ds.covers[i, :, :, x0:x0 + crop].astype(np.float32) / np.float32(ds.scales[i])
            x, y = _augment(x, y, rng)
            xs.append(np.ascontiguousarray(x))
            ys.append(np.ascontiguousarray(y))
        x = (torch.from_numpy(np.stack(xs))[:, None] - mean) / std
        y = torch.from_numpy(np.stack(ys)).clamp_(0, 1)
        logits = model(x.contiguous(memory_format=torch.channels_last))
        loss = _seg_loss(logits, y)
        running = _step(opt, loss, running, step, steps, started, log_prefix)
    model.eval()
    return model


def _batches(ds, mean, std, batch):
    for s in range(0, len(ds), batch):
        x = (torch.from_numpy(ds.images[s:s + batch].astype(np.float32))[:, None] - mean) / std
        yield s, x.contiguous(memory_format=torch.channels_last)


@torch.no_grad()
def predict_classifier(model, ds, mean, std, batch=16):
    """One member's sigmoid output per image (float32)."""
    out = np.zeros(len(ds), np.float32)
    for s, x in _batches(ds, mean, std, batch):
        out[s:s + x.shape[0]] = torch.sigmoid(model.eval()(x))[:, 0].numpy()
    return out


@torch.no_grad()
def predict_segmenter(model, ds, mean, std, out, batch=4):
    """Sigmoid maps of one member into `out` [N, 4, H, W] (float16 is enough for the ensemble mean)."""
    for s, x in _batches(ds, mean, std, batch):
        out[s:s + x.shape[0]] = torch.sigmoid(model.eval()(x)).numpy()
    return out


def ensemble_hist(member_maps, ds, batch=16):
    """Per image and class, histograms of the quantised ensemble mean (q = round(255 p), the app's
    stored form): `all[i, c, q]` pixels with value q and `inter[i, c, q]` truth pixels (at image
    resolution) under them. Everything the app's post-processing needs to score any thresholds."""
    n = len(ds)
    h_all = np.zeros((n, CLASSES, 256), np.int64)
    h_inter = np.zeros((n, CLASSES, 256), np.float64)
    for s in range(0, n, batch):
        p = sum(np.asarray(m[s:s + batch], np.float32) for m in member_maps) / np.float32(len(member_maps))
        q = np.floor(p * 255 + 0.5).clip(0, 255).astype(np.int64)
        for b in range(q.shape[0]):
            for c in range(CLASSES):
                qq = q[b, c].ravel()
                h_all[s + b, c] = np.bincount(qq, minlength=256)
                cover = ds.covers[s + b, c].ravel()
                if cover.any():
                    h_inter[s + b, c] = np.bincount(qq, weights=cover, minlength=256)
    return h_all, h_inter

"""Threshold tuning on the validation split with the app's exact rule.

The app, per image: gated in iff mean classifier p >= threshold; per class c on the stored maps
q = round(255 p): empty if count(q/255 > upper) < minArea (model pixels), else mask = q/255 > lower,
upscaled to the image by pixel replication. `q/255 > t` is `q > k` with k = floor(255 t), so the
search runs over integer k and writes t = (k + 0.5) / 255, which selects exactly the same pixels.

From per-image histograms of q (all pixels, and truth pixels under each), every candidate's Kaggle
Dice is exact. Objective: Kaggle mean Dice over every (image, class) pair of the validation split,
subject to each class's detection recall >= min_recall (the highest reachable recall when that
bound cannot be met).
"""
import numpy as np

from data import CLASSES

K_GRID = np.arange(0, 255, 3)  # candidate k for upper and lower
AREA_GRID = np.unique(np.concatenate([[0, 1, 2, 5], np.round(np.geomspace(10, 4000, 60))]).astype(np.int64))


def k_to_threshold(k):
    return round((int(k) + 0.5) / 255, 4)


def _class_tables(h_all, h_inter, truth_px, scale):
    """For one class: A[i, k] = count(q > k), I[i, k] = truth px under q > k, for k in K_GRID."""
    above_all = np.cumsum(h_all[:, ::-1], axis=1)[:, ::-1]  # [:, k] = count(q >= k)
    above_int = np.cumsum(h_inter[:, ::-1], axis=1)[:, ::-1]
    pad = lambda a: np.concatenate([a[:, 1:], np.zeros((a.shape[0], 1))], 1)  # count(q > k) = count(q >= k+1)
    A = pad(above_all)[:, K_GRID]
    inter = pad(above_int)[:, K_GRID]
    denom = scale[:, None] * A + truth_px[:, None]
    dice_nonempty = np.where(denom > 0, 2 * inter / np.maximum(denom, 1e-9), 1.0)  # [N, K]
    dice_empty = (truth_px == 0).astype(np.float64)  # [N]
    return A, dice_nonempty, dice_empty


def tune(gate, hists, full_sizes, scale, min_recall=0.92, gate_grid=None):
    h_all, h_inter = hists
    n = len(gate)
    scale = np.asarray(scale, np.float64)
    if gate_grid is None:
        gate_grid = np.unique(np.round(np.concatenate([np.linspace(0.02, 0.98, 49), [0.0]]), 4))
    gate_grid = np.sort(np.asarray(gate_grid, np.float64))[::-1]  # high -> low: gated sets grow
    # group[g] = images first gated in at gate_grid[g] (p >= t, float32 p as the app); -1 = never
    group = np.full(n, -1)
    for g in range(len(gate_grid) - 1, -1, -1):
        group[gate >= gate_grid[g]] = g
    G, U, Aa, L = len(gate_grid), len(K_GRID), len(AREA_GRID), len(K_GRID)
    lower_ok = (K_GRID[None, :] <= K_GRID[:, None])[:, None, :]  # [U, 1, L]: lower <= upper
    per_class = []
    for c in range(CLASSES):
        A, dn, de = _class_tables(h_all[:, c], h_inter[:, c], full_sizes[:, c].astype(np.float64), scale)
        has = full_sizes[:, c] > 0
        gain = np.zeros((G, U * Aa, L), np.float64)
        hits = np.zeros((G, U * Aa), np.float64)
        for g in range(G):
            idx = np.flatnonzero(group == g)
            if len(idx) == 0:
                continue
            ne = (A[idx][:, :, None] >= AREA_GRID[None, None, :]).reshape(len(idx), -1).astype(np.float64)
            gain[g] = ne.T @ (dn[idx] - de[idx, None])
            hits[g] = ne[has[idx]].sum(0)
        gain = np.cumsum(gain, 0).reshape(G, U, Aa, L)  # gated set of gate_grid[g] = groups 0..g
        recall = (np.cumsum(hits, 0) / max(has.sum(), 1)).reshape(G, U, Aa) if has.any() else np.ones((G, U, Aa))
        score = np.where(lower_ok[None], de.sum() + gain, -np.inf)
        need = min(min_recall, recall.max())  # the bound, or the best recall any gate threshold reaches
        score = np.where((recall >= need - 1e-12)[..., None], score, -np.inf)
        per_class.append((A, dn, de, has, score, recall))
    totals = sum(pc[4].reshape(G, -1).max(1) for pc in per_class)
    g = int(np.argmax(totals))
    t = float(gate_grid[g])
    gated = gate >= t
    choice = []
    for A, dn, de, has, score, recall in per_class:
        u, a, l = np.unravel_index(np.argmax(score[g]), score[g].shape)
        nd = gated & (A[:, u] >= AREA_GRID[a])
        dice_i = np.where(nd, dn[:, l], de)
        choice.append(dict(upper_k=int(K_GRID[u]), lower_k=int(K_GRID[l]), min_area=int(AREA_GRID[a]),
                           recall=float(recall[g, u, a]), dice_defects=float(dice_i[has].mean()) if has.any() else None,
                           fp_rate=float(nd[~has].mean()) if (~has).any() else None,
                           mean_dice=float(dice_i.mean()), defect_images=int(has.sum())))
    defective = full_sizes.sum(1) > 0
    best = dict(threshold=t, mean_dice=float(totals[g] / (n * CLASSES)), classes=choice, images=n,
                gate_recall=float(gated[defective].mean()) if defective.any() else None,
                gate_fp=float(gated[~defective].mean()) if (~defective).any() else None)
    best['upper'] = [k_to_threshold(c['upper_k']) for c in choice]
    best['lower'] = [k_to_threshold(c['lower_k']) for c in choice]
    best['minArea'] = [c['min_area'] for c in choice]
    return best


def report(t):
    print(f'  gate threshold {t["threshold"]} (defective images gated in {t["gate_recall"]:.3f}, clean images gated in {t["gate_fp"]})')
    print(f'  validation Kaggle mean Dice {t["mean_dice"]:.4f} over {t["images"]} images')
    for c, (ch, u, l, a) in enumerate(zip(t['classes'], t['upper'], t['lower'], t['minArea'])):
        dd = 'n/a' if ch['dice_defects'] is None else f'{ch["dice_defects"]:.3f}'
        fp = 'n/a' if ch['fp_rate'] is None else f'{ch["fp_rate"]:.3f}'
        print(f'  class {c + 1}: upper {u} lower {l} minArea {a} | Dice on defects {dd} recall {ch["recall"]:.3f} '
              f'false-positive rate {fp} ({ch["defect_images"]} defect images)')

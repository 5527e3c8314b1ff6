"""Networks of the default model set: a small UNet++ segmenter and a small binary defect classifier.

Both take one grey channel at 128x800 during training. The exported graphs (export.py) wrap them
so that they take NCHW [batch, 3, 128, 800] in the manifest's normalisation and end in a sigmoid.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, stride=1, k=3):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class Block(nn.Module):
    """Two 3x3 conv + BN + ReLU; the first may stride 2."""

    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.a = conv_bn(cin, cout, stride)
        self.b = conv_bn(cout, cout)

    def forward(self, x):
        return self.b(self.a(x))


class UNetPP(nn.Module):
    """UNet++ (Zhou et al. 2019): encoder nodes X^{i,0}; decoder nodes
    X^{i,j} = Block([X^{i,0}, ..., X^{i,j-1}, up(X^{i+1,j-1})]) for j >= 1, i + j <= depth.

    The encoder starts with a stride-2 stem, so X^{0,*} lives at 64x400 for a 128x800 input; a
    full-resolution head fuses the upsampled X^{0,depth} with a shallow full-resolution branch and
    returns one logit map per class at the input size.
    """

    def __init__(self, widths=(16, 24, 32, 48, 64), classes=4, full=8):
        super().__init__()
        self.depth = len(widths) - 1
        w = widths
        self.enc = nn.ModuleList([Block(1, w[0], stride=2)] + [Block(w[i - 1], w[i], stride=2) for i in range(1, len(w))])
        self.dec = nn.ModuleDict()
        for j in range(1, self.depth + 1):
            for i in range(0, self.depth + 1 - j):
                self.dec[f'{i}_{j}'] = Block(w[i] * j + w[i + 1], w[i])
        self.shallow = conv_bn(1, full)
        self.head = nn.Sequential(conv_bn(w[0] + full, full), nn.Conv2d(full, classes, 1))

    def forward(self, x):
        X = {}
        h = x
        for i, block in enumerate(self.enc):
            h = block(h)
            X[(i, 0)] = h
        for j in range(1, self.depth + 1):
            for i in range(0, self.depth + 1 - j):
                up = F.interpolate(X[(i + 1, j - 1)], scale_factor=2, mode='nearest')
                X[(i, j)] = self.dec[f'{i}_{j}'](torch.cat([X[(i, k)] for k in range(j)] + [up], 1))
        top = F.interpolate(X[(0, self.depth)], scale_factor=2, mode='bilinear', align_corners=False)
        return self.head(torch.cat([top, self.shallow(x)], 1))


class Classifier(nn.Module):
    """Binary 'image has any defect': strided conv stages, then global max and mean pooling -> logit."""

    def __init__(self, widths=(16, 24, 32, 48, 64)):
        super().__init__()
        layers = [conv_bn(1, widths[0], stride=2)]
        for i in range(1, len(widths)):
            layers += [conv_bn(widths[i - 1], widths[i], stride=2), conv_bn(widths[i], widths[i])]
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(2 * widths[-1], 1)

    def forward(self, x):
        h = self.features(x)
        pooled = torch.cat([h.amax(dim=(2, 3)), h.mean(dim=(2, 3))], 1)
        return self.fc(pooled)


def gflops(model, h=128, w=800):
    """2 x multiply-adds of every Conv2d and Linear for one image."""
    total = 0

    def hook(m, inp, out):
        nonlocal total
        if isinstance(m, nn.Conv2d):
            k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
            total += 2 * out.numel() * k
        elif isinstance(m, nn.Linear):
            total += 2 * m.in_features * m.out_features

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 1, h, w))
    model.train(was)
    for x in hs:
        x.remove()
    return total / 1e9

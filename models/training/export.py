"""ONNX export (opset 17, dynamic batch, sigmoid inside) and the model-set manifest (docs/model-sets.md)."""
import copy
import hashlib
import json
import os
import warnings

import onnx
import torch
import torch.nn as nn

from data import MODEL_H, MODEL_W

CLASS_INFO = [
    (1, 'Pits and spots', '#e6b800'),
    (2, 'Vertical cracks', '#00c8d7'),
    (3, 'Scratches and streaks', '#e0338f'),
    (4, 'Rolled-in scale', '#3cb043'),
]


class Exported(nn.Module):
    """NCHW [batch, 3, 128, 800], already (x/255 - mean)/std per channel by the app -> the grey
    channel the nets were trained on (mean of the three) -> net -> sigmoid."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.sigmoid(self.net(x.mean(dim=1, keepdim=True)))


def export(model, path, stage):
    net = copy.deepcopy(model).eval().to(memory_format=torch.contiguous_format)
    wrapped = Exported(net).eval()
    dummy = torch.zeros(1, 3, MODEL_H, MODEL_W)
    output = 'probability' if stage == 'classifier' else 'probabilities'
    with warnings.catch_warnings():  # torch 1.13 warns about prim::Constant shape inference; harmless
        warnings.simplefilter('ignore', UserWarning)
        torch.onnx.export(wrapped, dummy, path, opset_version=17, input_names=['image'], output_names=[output],
                          dynamic_axes={'image': {0: 'batch'}, output: {0: 'batch'}}, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    with open(path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return {'file': os.path.basename(path), 'sha256': digest}


def write_manifest(out_dir, set_id, version, cls_members, seg_members, tuned, mean, std, source, image_size):
    manifest = {
        'schemaVersion': 2,
        'id': set_id,
        'version': version,
        'name': 'Coilscope default (synthetic coils)' if source.startswith('synthetic') else f'Coilscope {set_id}',
        'description': ('Two-stage ensemble trained by models/training/train_default.py on ' + source +
                        '. Small-encoder UNet++ segmenters gated by binary defect classifiers; thresholds '
                        'tuned on the validation split with the app\'s post-processing rule.'),
        # What the set was trained on, printed in every report (and plainly when it is synthetic).
        'provenance': {'trainedOn': source, 'synthetic': source.startswith('synthetic')},
        'classes': [{'id': i, 'name': n, 'color': c} for i, n, c in CLASS_INFO],
        'input': {'height': MODEL_H, 'width': MODEL_W, 'layout': 'NCHW', 'channels': 3,
                  'scale': 1 / 255, 'mean': [round(mean, 6)] * 3, 'std': [round(std, 6)] * 3},
        'classifier': {'members': cls_members, 'output': 'probability', 'threshold': round(tuned['threshold'], 4)},
        'segmenter': {'members': seg_members, 'output': 'probability',
                      'postprocess': {'upper': tuned['upper'], 'lower': tuned['lower'], 'minArea': tuned['minArea']}},
        'tta': ['none'],
        'imageSize': image_size,
    }
    with open(os.path.join(out_dir, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=2)
        f.write('\n')
    return manifest

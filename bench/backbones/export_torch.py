"""Exports torchvision models with random weights to safetensors for bench/backbones/torch-parity.ts.

Usage: python3 export_torch.py OUT_DIR [MODEL ...]

For each model writes OUT_DIR/MODEL.safetensors (the full state dict, num_batches_tracked included, so the
loader's skipping is exercised) and OUT_DIR/MODEL.io.safetensors (a fixed NCHW input and torchvision's
eval-mode logits). Batch-norm statistics and affine parameters are randomised: with the defaults (mean 0,
var 1, gamma 1, beta 0) a wrong mapping of BN tensors would go unnoticed. Written without the safetensors
package (not installed everywhere): the format is an 8-byte length, a JSON header and raw little-endian data.
"""

import json
import struct
import sys

import torch
import torchvision

SIZES = {"resnet18": 224, "resnet34": 224, "resnet50": 224, "efficientnet_b0": 224, "efficientnet_b1": 240}
DTYPES = {torch.float32: "F32", torch.int64: "I64"}


def save(path, tensors):
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for c in chunks:
            f.write(c)


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or ["resnet18", "resnet50", "efficientnet_b0"]
    for i, name in enumerate(names):
        torch.manual_seed(i)
        model = getattr(torchvision.models, name)(weights=None)
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.normal_(0, 0.1)
                    m.running_mean.normal_(0, 0.1)
                    m.running_var.uniform_(0.5, 1.5)
        model.eval()
        size = SIZES[name]
        x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(1234))
        with torch.no_grad():
            logits = model(x)
        save(f"{out}/{name}.safetensors", model.state_dict())
        save(f"{out}/{name}.io.safetensors", {"input": x, "logits": logits})
        print(f"exported {name}: {sum(p.numel() for p in model.parameters())} parameters, input {size}")


if __name__ == "__main__":
    main()

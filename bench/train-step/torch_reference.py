"""PyTorch reference for bench/train-step: train and inference images/s of the same models, same input
size and batch, on this machine's CPU (channels_last, OMP threads as set by the caller).

Fair timing, as bench/train-step.ts does for tfjs: `warmup` untimed steps first (oneDNN creates and
caches its primitives, the allocator settles), then every step is timed on its own and the median step
gives images/s. `zero_grad(set_to_none=True)`, torch.optim.Adam and cross-entropy, as ours.

usage: torch_reference.py SIZE BATCH STEPS MODEL[,MODEL…] [WARMUP=2]
Prints one JSON line per model: {"model", "train_img_s", "infer_img_s", "train_ms", "infer_ms"}."""
import json
import statistics
import sys
import time

import torch
import torchvision

size, batch, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
models = sys.argv[4].split(",")
warmup = int(sys.argv[5]) if len(sys.argv) > 5 else 2
torch.manual_seed(0)
builders = {
    "resnet18": lambda: torchvision.models.resnet18(num_classes=2),
    "resnet50": lambda: torchvision.models.resnet50(num_classes=2),
    "efficientnet_b0": lambda: torchvision.models.efficientnet_b0(num_classes=2),
}


def median_ms(step, n):
    times = []
    for _ in range(n):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


for name in models:
    model = builders[name]().to(memory_format=torch.channels_last)
    x = torch.randn(batch, 3, size, size).to(memory_format=torch.channels_last)
    y = torch.randint(0, 2, (batch,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = torch.nn.CrossEntropyLoss()

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    def infer_step():
        with torch.no_grad():
            model(x)

    model.train()
    for _ in range(warmup):
        train_step()
    train_ms = median_ms(train_step, steps)
    model.eval()
    for _ in range(warmup):
        infer_step()
    infer_ms = median_ms(infer_step, steps)
    print(
        json.dumps(
            {
                "model": name,
                "train_img_s": 1000 * batch / train_ms,
                "infer_img_s": 1000 * batch / infer_ms,
                "train_ms": train_ms,
                "infer_ms": infer_ms,
            }
        ),
        flush=True,
    )

"""PyTorch reference for bench/train-step: train and inference images/s of the same models, same input
size and batch, on this machine's CPU (channels_last, OMP threads as set by the caller).
Prints one JSON line per model: {"model", "train_img_s", "infer_img_s"}."""
import json
import sys
import time

import torch
import torchvision

size, batch, steps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
models = sys.argv[4].split(",")
torch.manual_seed(0)
builders = {
    "resnet18": lambda: torchvision.models.resnet18(num_classes=2),
    "resnet50": lambda: torchvision.models.resnet50(num_classes=2),
    "efficientnet_b0": lambda: torchvision.models.efficientnet_b0(num_classes=2),
}
for name in models:
    model = builders[name]().to(memory_format=torch.channels_last)
    x = torch.randn(batch, 3, size, size).to(memory_format=torch.channels_last)
    y = torch.randint(0, 2, (batch,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    loss_fn = torch.nn.CrossEntropyLoss()

    def train_step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    model.train()
    train_step()
    start = time.perf_counter()
    for _ in range(steps):
        train_step()
    train = steps * batch / (time.perf_counter() - start)
    model.eval()
    with torch.no_grad():
        model(x)
        start = time.perf_counter()
        for _ in range(steps):
            model(x)
        infer = steps * batch / (time.perf_counter() - start)
    print(json.dumps({"model": name, "train_img_s": train, "infer_img_s": infer}), flush=True)

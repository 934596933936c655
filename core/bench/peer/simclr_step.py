#!/usr/bin/python3
"""PyTorch peer of core/bench/model-step.ts for `npm run bench -- peer`: the same SimCLR step.

ResNet-18 with the CIFAR stem (3x3 conv, stride 1, no max-pool) at a given base width, the SimCLR
projector (Linear+bias, BatchNorm1d, ReLU, Linear without bias, BatchNorm1d), two random views of
`batch` 32x32x3 images concatenated, NT-Xent (temperature 0.2), SGD (lr 0.1, momentum 0.9,
weight decay 5e-4), and one host read of the loss. No torchvision needed.

Protocol (so the Node side can interleave its steps with these, under the same machine load):
prints `ready` once the model is built; then for each stdin line `step <threads>` runs one step
with torch.set_num_threads(threads) and prints the step's wall time in ms; `quit` exits. With
`--device cuda` the model and images live on the GPU, and `step <threads> <tf32>` sets whether
matmuls and cuDNN convolutions may use TF32 (0: strict fp32, 1: TF32); the loss read (`.item()`)
synchronises, so the wall time covers the whole step.
Run with Debian's /usr/bin/python3 and python3-torch; it is never an npm dependency.
"""
import argparse
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or cin != planes:
            self.downsample = nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class ResNet18Cifar(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        blocks, cin = [], width
        for stage in range(4):
            planes = width * 2 ** stage
            for index in range(2):
                blocks.append(BasicBlock(cin, planes, 2 if stage > 0 and index == 0 else 1))
                cin = planes
        self.blocks = nn.Sequential(*blocks)
        self.feature_dim = cin

    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)


def nt_xent(z1, z2, temperature):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = z @ z.t() / temperature
    logits.fill_diagonal_(-1e9)
    n = z1.shape[0]
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(z.device)
    return F.cross_entropy(logits, targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--width', type=int, default=8)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--size', type=int, default=32)
    parser.add_argument('--device', choices=['cpu', 'cuda'], default='cpu')
    args = parser.parse_args()
    if args.device == 'cuda' and not torch.cuda.is_available():
        print('error: torch.cuda.is_available() is False', flush=True)
        sys.exit(2)
    device = torch.device(args.device)
    torch.manual_seed(0)
    backbone = ResNet18Cifar(args.width)
    d = backbone.feature_dim
    projector = nn.Sequential(nn.Linear(d, d), nn.BatchNorm1d(d), nn.ReLU(), nn.Linear(d, 128, bias=False), nn.BatchNorm1d(128))
    params = list(backbone.parameters()) + list(projector.parameters())
    optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=5e-4)
    # channels_last matches tfjs's NHWC and is what oneDNN prefers on CPU.
    images = torch.randn(2 * args.batch, 3, args.size, args.size).contiguous(memory_format=torch.channels_last).to(device)
    backbone = backbone.to(device=device, memory_format=torch.channels_last)
    projector = projector.to(device)

    def step():
        z = projector(backbone(images))
        z1, z2 = z.chunk(2)
        loss = nt_xent(z1, z2, 0.2)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    print(f'ready torch {torch.__version__}', flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == 'quit':
            break
        torch.set_num_threads(int(words[1]))
        if args.device == 'cuda':
            tf32 = len(words) > 2 and words[2] == '1'
            torch.backends.cuda.matmul.allow_tf32 = tf32
            torch.backends.cudnn.allow_tf32 = tf32
            torch.cuda.synchronize()
        start = time.perf_counter()
        step()
        print(f'{(time.perf_counter() - start) * 1000:.3f}', flush=True)


if __name__ == '__main__':
    main()

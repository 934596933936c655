#!/usr/bin/python3
"""Loads a backbone exported by `bcl export --format safetensors` into a torchvision-style ResNet
built here (Debian's python3-torch; torchvision is not needed) and prints its features.

The model follows torchvision.models.resnet (BasicBlock, Bottleneck v1.5, `_make_layer`,
`downsample` = conv1x1 + BN) with the exported architecture's width and stem: every stage's
`planes` from the JSON instead of 64/128/256/512, and for the CIFAR stem a 3x3 stride-1 conv1
with no max-pool. `fc` is nn.Identity(). The weights are read with a small safetensors reader
written here (8-byte header length, JSON header, raw bytes; numpy only) and loaded with
`load_state_dict(strict=True)`, so a missing, extra or misshapen tensor fails.

Usage: torchvision-resnet.py WEIGHTS.safetensors ARCHITECTURE.json IMAGES.npy
IMAGES.npy: uint8 [N, H, W, C] (as stored, before normalisation). Prints one JSON object:
{"float32": [[...]], "float64": [[...]], "keys": n, "parameters": n, "batches_tracked": [...]}, features of the
images in eval mode, normalised as the JSON says: (pixel / 255 - mean[c]) / std[c].
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    body = data[8 + header_len :]
    metadata = header.pop("__metadata__", {})
    tensors, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = info["data_offsets"]
        if begin != end:
            raise ValueError(f"{name}: data starts at {begin}, expected {end} (gaps or overlaps are invalid)")
        array = np.frombuffer(body[begin:stop], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
        end = stop
    if end != len(body):
        raise ValueError(f"the tensors cover {end} bytes of a {len(body)}-byte body")
    return tensors, metadata


def conv3x3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride, downsample, norm):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = norm(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = norm(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride, downsample, norm):
        super().__init__()
        self.conv1 = conv1x1(inplanes, planes)
        self.bn1 = norm(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = norm(planes)
        self.conv3 = conv1x1(planes, planes * 4)
        self.bn3 = norm(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    def __init__(self, arch):
        super().__init__()
        block = {"BasicBlock": BasicBlock, "Bottleneck": Bottleneck}[arch["block"]]
        eps, momentum = arch["batchNorm"]["eps"], arch["batchNorm"]["momentum"]
        norm = lambda c: nn.BatchNorm2d(c, eps=eps, momentum=momentum)  # noqa: E731
        c1 = arch["conv1"]
        self.inplanes = arch["baseWidth"]
        self.conv1 = nn.Conv2d(arch["inputChannels"], self.inplanes, kernel_size=c1["kernelSize"], stride=c1["stride"], padding=c1["padding"], bias=False)
        self.bn1 = norm(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        mp = arch["maxPool"]
        self.maxpool = nn.MaxPool2d(kernel_size=mp["kernelSize"], stride=mp["stride"], padding=mp["padding"]) if mp else nn.Identity()
        for i, (planes, blocks) in enumerate(zip(arch["planes"], arch["layers"])):
            setattr(self, f"layer{i + 1}", self._make_layer(block, planes, blocks, 1 if i == 0 else 2, norm))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Identity()

    def _make_layer(self, block, planes, blocks, stride, norm):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride), norm(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample, norm)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, 1, None, norm) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def main(argv):
    weights, arch_file, images_file = argv[1:4]
    with open(arch_file) as f:
        arch = json.load(f)
    state, metadata = read_safetensors(weights)
    if json.loads(metadata["bcl-ssl"]) != arch:
        raise ValueError("the safetensors metadata and the architecture JSON differ")
    model = ResNet(arch)
    model.load_state_dict(state, strict=True)
    model.eval()
    images = np.load(images_file)
    mean = np.array(arch["input"]["mean"]).reshape(1, -1, 1, 1)
    std = np.array(arch["input"]["std"]).reshape(1, -1, 1, 1)
    x = (images.transpose(0, 3, 1, 2).astype(np.float64) / 255 - mean) / std
    with torch.no_grad():
        f32 = model(torch.from_numpy(x.astype(np.float32))).numpy()
        f64 = model.double()(torch.from_numpy(x)).numpy()
    if not (np.all(np.isfinite(f32)) and np.all(np.isfinite(f64))):
        raise ValueError(f"non-finite features (float32 max {np.abs(f32).max()}, float64 max {np.abs(f64).max()}): the BatchNorm running statistics are far from the batch statistics")
    tracked = sorted({int(v) for k, v in state.items() if k.endswith("num_batches_tracked")})
    print(json.dumps({"float32": f32.astype(np.float64).tolist(), "float64": f64.tolist(), "keys": len(state), "parameters": sum(p.numel() for p in model.parameters()), "batches_tracked": tracked}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

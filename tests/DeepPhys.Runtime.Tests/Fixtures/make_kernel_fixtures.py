#!/usr/bin/env python3
"""Writes kernels_torch.json: PyTorch's outputs and gradients for the image and signal kernels' geometries.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Runtime.Tests/Fixtures && /usr/bin/python3 make_kernel_fixtures.py

Every case feeds a module seeded inputs (and parameters) in float64 and back-propagates a seeded
upstream gradient dy, the gradient of the loss sum(y * dy). Arrays are flattened row-major (NCHW,
NCL) and written with their shapes; parameters keep PyTorch's layouts, which are the kernels' own:
Conv2d.weight [out, in, kh, kw], ConvTranspose2d.weight [in, out, kh, kw].

- conv2d_*: nn.Conv2d with rectangular kernels, a stride per axis and (for one) padding per axis.
- maxpool2d_rect, avgpool2d_rect: nn.MaxPool2d((1, 4), stride=(1, 2)), nn.AvgPool2d((2, 3), stride=(1, 2)),
  no padding; the max pool's inputs are multiples of 0.5, so windows hold ties.
- globalmax2d, globalmax1d: nn.AdaptiveMaxPool2d(1) on [N, C, H, W] and F.max_pool1d over the whole length on
  [N, C, L], on small integers: most channels hold their maximum more than once, and PyTorch routes the gradient
  to the first of them (torch.amax would split it).
- upsample2d, upsample1d: nn.Upsample(scale_factor=(2, 3)) and nn.Upsample(scale_factor=3), mode 'nearest'.
- convtranspose2d_*: nn.ConvTranspose2d(3, 2, ...) with kernel 3, stride 2, padding 1 (with and without
  output_padding 1), kernel 2, stride 2, and a rectangular kernel (2, 3) with stride (2, 1) and padding (0, 1).
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20260517)


def normal(*shape):
    return torch.tensor(rng.normal(size=shape))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).numpy()]


def run(name, module, x, **geometry):
    """Forward and backward of module on x; records the inputs, parameters, outputs and all gradients."""
    x = x.clone().requires_grad_(True)
    y = module(x)
    dy = normal(*y.shape)
    (y * dy).sum().backward()
    case = {"name": name, **geometry, "xShape": list(x.shape), "yShape": list(y.shape),
            "x": flat(x), "dy": flat(dy), "y": flat(y), "dx": flat(x.grad)}
    for key, parameter in getattr(module, "named_parameters", lambda: [])():
        case[key] = flat(parameter)
        case["d" + key.capitalize()] = flat(parameter.grad)
    return case


def seeded(module):
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(normal(*parameter.shape))
    return module


cases = [
    run("conv2d_rect_padded", seeded(torch.nn.Conv2d(2, 3, (3, 5), stride=(1, 2), padding=(1, 2))), normal(2, 2, 6, 11),
        kernel=[3, 5], stride=[1, 2], padding=[1, 2]),
    run("conv2d_rect_valid", seeded(torch.nn.Conv2d(3, 2, (4, 2), stride=(3, 1))), normal(2, 3, 11, 6),
        kernel=[4, 2], stride=[3, 1], padding=[0, 0]),
    run("maxpool2d_rect", torch.nn.MaxPool2d((1, 4), stride=(1, 2)), torch.round(normal(2, 3, 5, 11) * 2) / 2,
        kernel=[1, 4], stride=[1, 2], padding=[0, 0]),
    run("avgpool2d_rect", torch.nn.AvgPool2d((2, 3), stride=(1, 2)), normal(2, 3, 5, 11),
        kernel=[2, 3], stride=[1, 2], padding=[0, 0]),
    run("globalmax2d", torch.nn.AdaptiveMaxPool2d(1), torch.tensor(rng.integers(-2, 3, size=(2, 3, 4, 5)).astype(float))),
    run("globalmax1d", lambda x: F.max_pool1d(x, x.shape[-1]), torch.tensor(rng.integers(-1, 2, size=(2, 3, 7)).astype(float))),
    run("upsample2d", torch.nn.Upsample(scale_factor=(2, 3), mode="nearest"), normal(2, 3, 4, 5), scale=[2, 3]),
    run("upsample1d", torch.nn.Upsample(scale_factor=3, mode="nearest"), normal(2, 3, 7), scale=[1, 3]),
]

for name, kernel, stride, padding, output_padding in [
    ("convtranspose2d_k3_s2_p1", (3, 3), (2, 2), (1, 1), (0, 0)),
    ("convtranspose2d_k3_s2_p1_op1", (3, 3), (2, 2), (1, 1), (1, 1)),
    ("convtranspose2d_k2_s2", (2, 2), (2, 2), (0, 0), (0, 0)),
    ("convtranspose2d_rect", (2, 3), (2, 1), (0, 1), (0, 0)),
]:
    module = seeded(torch.nn.ConvTranspose2d(3, 2, kernel, stride=stride, padding=padding, output_padding=output_padding))
    cases.append(run(name, module, normal(2, 3, 4, 5),
                     kernel=list(kernel), stride=list(stride), padding=list(padding), outputPadding=list(output_padding)))

# The fixtures are meant to hold ties where the pools route gradients: check that they do.
for case in cases:
    if case["name"] == "maxpool2d_rect":
        windows = torch.tensor(case["x"]).reshape(case["xShape"]).unfold(3, 4, 2)
        assert ((windows == windows.amax(-1, keepdim=True)).sum(-1) > 1).sum() >= 10, case["name"]
    if case["name"].startswith("globalmax"):
        plane = int(np.prod(case["xShape"][2:]))
        x = np.array(case["x"]).reshape(-1, plane)
        assert sum((row == row.max()).sum() > 1 for row in x) >= 3, case["name"]

with open("kernels_torch.json", "w") as f:
    json.dump({"source": "make_kernel_fixtures.py, torch " + torch.__version__, "cases": cases}, f, indent=1)
print("wrote kernels_torch.json with", len(cases), "cases")

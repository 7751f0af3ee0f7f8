#!/usr/bin/python3
"""PyTorch's side of RecurrentBenchmarks: one training pass of an LSTM and a GRU layer (forward, the
parameter gradients and the input gradient) on batch 32, 20 time steps of 8 features, 32 units, the
last state out, on one thread.

Usage (from the repository root): /usr/bin/python3 tests/DeepPhys.Benchmarks/peers/torch_rnn.py
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import measure, setup_threads  # noqa: E402

setup_threads(1)
import torch  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(32, 20, 8, requires_grad=True)
dy = torch.randn(32, 32)

for name, cell in (("LSTM", torch.nn.LSTM), ("GRU", torch.nn.GRU)):
    layer = cell(8, 32, batch_first=True)

    def training_pass():
        layer.zero_grad(set_to_none=True)
        x.grad = None
        out, _ = layer(x)
        (out[:, -1, :] * dy).sum().backward()

    measure(f"{name} forward + backward, batch 32, 20 x 8 -> 32", training_pass, inner=200)

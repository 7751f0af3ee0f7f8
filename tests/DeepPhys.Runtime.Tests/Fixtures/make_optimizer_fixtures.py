#!/usr/bin/env python3
"""Writes optimizers_torch.json: 20 steps of each PyTorch optimizer fed the same gradients.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Runtime.Tests/Fixtures && /usr/bin/python3 make_optimizer_fixtures.py

Every case starts from the same 7 parameters and is fed the same 20 gradient vectors (normal,
from a seeded NumPy generator) in float64; the parameters after every step are recorded.
The gradients do not depend on the parameters, so the file tests the update rule alone.

NAdam: torch 1.13's NAdam multiplies the momentum product by mu twice in mu_product_next, a bug
fixed in PyTorch 2.0 (pytorch/pytorch#92699). DeepPhys implements the fixed formula, so this
script steps NAdam with the 2.0 formula written out below instead of torch.optim.NAdam.
"""
import json

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
STEPS, SIZE, SEED = 20, 7, 20261123
rng = np.random.default_rng(SEED)
initial = rng.normal(size=SIZE)
gradients = rng.normal(size=(STEPS, SIZE))

CASES = [
    ("sgd", {"optimizer": "Sgd", "learningRate": 0.1}),
    ("sgd_momentum", {"optimizer": "Sgd", "learningRate": 0.05, "momentum": 0.9}),
    ("sgd_momentum_dampening", {"optimizer": "Sgd", "learningRate": 0.05, "momentum": 0.9, "dampening": 0.3}),
    ("sgd_nesterov", {"optimizer": "Sgd", "learningRate": 0.05, "momentum": 0.9, "nesterov": True}),
    ("adagrad", {"optimizer": "AdaGrad", "learningRate": 0.1}),
    ("rmsprop", {"optimizer": "RmsProp", "learningRate": 0.01}),
    ("rmsprop_momentum", {"optimizer": "RmsProp", "learningRate": 0.01, "momentum": 0.9}),
    ("rmsprop_centered", {"optimizer": "RmsProp", "learningRate": 0.01, "alpha": 0.9, "centered": True}),
    ("rmsprop_centered_momentum", {"optimizer": "RmsProp", "learningRate": 0.01, "momentum": 0.5, "centered": True}),
    ("adam", {"optimizer": "Adam", "learningRate": 0.01}),
    ("adamw", {"optimizer": "AdamW", "learningRate": 0.01, "weightDecay": 0.1}),
    ("nadam", {"optimizer": "NAdam", "learningRate": 0.01}),
]


def torch_optimizer(options, params):
    kind, lr = options["optimizer"], options["learningRate"]
    if kind == "Sgd":
        return torch.optim.SGD(params, lr=lr, momentum=options.get("momentum", 0),
                               dampening=options.get("dampening", 0), nesterov=options.get("nesterov", False))
    if kind == "AdaGrad":
        return torch.optim.Adagrad(params, lr=lr)
    if kind == "RmsProp":
        return torch.optim.RMSprop(params, lr=lr, alpha=options.get("alpha", 0.99),
                                   momentum=options.get("momentum", 0), centered=options.get("centered", False))
    if kind == "Adam":
        return torch.optim.Adam(params, lr=lr)
    if kind == "AdamW":
        return torch.optim.AdamW(params, lr=lr, weight_decay=options["weightDecay"])
    raise ValueError(kind)


def nadam_pytorch2(param, lr, beta1=0.9, beta2=0.999, eps=1e-8, momentum_decay=4e-3):
    """torch.optim.nadam._single_tensor_nadam of PyTorch 2.0, weight decay 0, as a step function."""
    exp_avg, exp_avg_sq, state = torch.zeros_like(param), torch.zeros_like(param), {"step": 0, "mu_product": 1.0}

    def step(grad):
        state["step"] += 1
        t = state["step"]
        bias_correction2 = 1 - beta2 ** t
        mu = beta1 * (1. - 0.5 * (0.96 ** (t * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((t + 1) * momentum_decay)))
        state["mu_product"] *= mu
        mu_product_next = state["mu_product"] * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        with torch.no_grad():
            param.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - state["mu_product"]))
            param.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1. - mu_product_next))

    return step


cases = []
for name, options in CASES:
    param = torch.nn.Parameter(torch.tensor(initial))
    if options["optimizer"] == "NAdam":
        nadam_step = nadam_pytorch2(param, options["learningRate"])
    else:
        optimizer = torch_optimizer(options, [param])
    after = []
    for g in gradients:
        if options["optimizer"] == "NAdam":
            nadam_step(torch.tensor(g))
        else:
            param.grad = torch.tensor(g)
            optimizer.step()
        after.append([float(v) for v in param.detach().numpy()])
    cases.append({"name": name, "options": options, "parameters": after})

with open("optimizers_torch.json", "w") as f:
    json.dump({
        "source": "make_optimizer_fixtures.py, torch " + torch.__version__,
        "initial": [float(v) for v in initial],
        "gradients": [[float(v) for v in g] for g in gradients],
        "cases": cases,
    }, f, indent=1)
print("wrote optimizers_torch.json with", len(cases), "cases")

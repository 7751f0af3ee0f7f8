#!/usr/bin/env python3
"""Writes schedules_torch.json: the learning rate PyTorch's lr_scheduler gives at each of 40 steps.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Runtime.Tests/Fixtures && /usr/bin/python3 make_schedule_fixtures.py

Each case records the rate in force for scheduler steps t = 0 … 39 (read before scheduler.step()),
from a base rate of 0.1. ReduceLROnPlateau is fed a fixed sequence of monitored values (threshold
mode 'abs', as Keras's min_delta) and records the rate after each.
"""
import json
import math

import torch
from torch.optim import lr_scheduler as S

BASE, STEPS = 0.1, 40


def rates(make):
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE)
    scheduler = make(optimizer)
    out = []
    for _ in range(STEPS):
        out.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return out


CASES = {
    "step": lambda o: S.StepLR(o, step_size=7, gamma=0.5),
    "multistep": lambda o: S.MultiStepLR(o, milestones=[5, 12, 30], gamma=0.3),
    "exponential": lambda o: S.ExponentialLR(o, gamma=0.9),
    "cosine_restarts": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=1, eta_min=0.001),
    "cosine_restarts_doubling": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.0),
    "linear_warmup": lambda o: S.LinearLR(o, start_factor=0.1, total_iters=8),
    "one_cycle": lambda o: S.OneCycleLR(o, max_lr=BASE, total_steps=STEPS),
    "warmup_then_cosine": lambda o: S.SequentialLR(o, [
        S.LinearLR(o, start_factor=0.01, total_iters=5),
        S.CosineAnnealingWarmRestarts(o, T_0=35, eta_min=1e-4)], milestones=[5]),
}

# One-cycle sets the rate at construction; PyTorch's max_lr is DeepPhys's base rate.
cases = [{"name": name, "rates": rates(make)} for name, make in CASES.items()]

metrics = [1.0, 0.9, 0.85, 0.86, 0.849, 0.85, 0.851, 0.852, 0.7, 0.71, 0.72, 0.73,
           0.74, 0.75, 0.76, 0.69, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE)
plateau = S.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2, threshold=0.005,
                              threshold_mode="abs", cooldown=1, min_lr=0.01)
plateau_rates = []
for value in metrics:
    plateau.step(value)
    plateau_rates.append(optimizer.param_groups[0]["lr"])

with open("schedules_torch.json", "w") as f:
    json.dump({
        "source": "make_schedule_fixtures.py, torch " + torch.__version__,
        "baseRate": BASE,
        "cases": cases,
        "plateau": {"factor": 0.5, "patience": 2, "minDelta": 0.005, "cooldown": 1, "minimumRate": 0.01,
                    "metrics": metrics, "rates": plateau_rates},
    }, f, indent=1)
print("wrote schedules_torch.json with", len(cases), "cases")

#!/usr/bin/env python3
"""Writes BakedNet.weights.json: a checkpoint of BakedNet written without DeepPhys, for BakedWeightsTests.

Run by hand, not by CI (the standard library is enough; use /usr/bin/python3):
    cd tests/DeepPhys.Tests/Fixtures && /usr/bin/python3 make_baked_weights.py

BakedNet (tests/DeepPhys.Tests/BakedWeightsTests.cs) is Input(3) -> Dense(4, tanh) -> BatchNorm -> Dense(2),
in double: 34 parameters (dense 3x4 weights and 4 biases, batch norm's 4 scales and 4 offsets,
dense 4x2 weights and 2 biases) and 8 state values (batch norm's 4 running means, then 4 running variances).

The values are chosen so the tests can know them without this script or DeepPhys:
    parameter i     = (-1)**i * (i + 1) / 37     (full mantissas, both signs)
    running mean j  = (2 * j - 3) / 10
    running var j   = (j + 3) / 3
Each is one division of two integers, which Python and C# both round correctly to the nearest double,
and json writes each double's shortest round-trip digits, so the file holds exactly those doubles.
The fields are those of DeepPhys's checkpoint format, version 1 (docs/interop.md).
"""
import json

PARAMETERS = 34
FEATURES = 4

checkpoint = {
    "Format": "deepphys-checkpoint",
    "Version": 1,
    "Network": "BakedNet",
    "Precision": "Double",
    "Parameters": [(-1) ** i * (i + 1) / 37 for i in range(PARAMETERS)],
    "Optimizer": None,
    "Scaler": None,
    "Preprocessor": None,
    "State": [(2 * j - 3) / 10 for j in range(FEATURES)] + [(j + 3) / 3 for j in range(FEATURES)],
}

with open("BakedNet.weights.json", "w") as f:
    json.dump(checkpoint, f, indent=2)
    f.write("\n")

#!/usr/bin/env python3
"""Writes gan_step_torch.json: PyTorch runs three alternating GAN steps on tiny networks; GanStepTests must reproduce them.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Tests/Fixtures && /usr/bin/python3 make_gan_step_torch.py

The step is samples/ShowerGan/GanStep.cs's, written as PyTorch's DCGAN loop, in float64 on one thread:
    fake = G(z)
    D step: binary_cross_entropy_with_logits(D(cat(real, fake.detach())), cat(ones, zeros)), Adam
    G step: binary_cross_entropy_with_logits(D(fake), ones) (non-saturating), through the updated D, Adam
G = Linear(2,3)-LeakyReLU(0.2)-Linear(3,4), D = Linear(4,3)-LeakyReLU(0.2)-Linear(3,1), batches of 3, Adam(lr 0.01,
betas (0.5, 0.999)) for each, PyTorch's default initialisation. DeepPhys keeps a dense layer as weights [inputs, units]
row-major then the bias, so its parameters are linear.weight.T flattened, then linear.bias.
"""
import json

import numpy as np
import torch

STEPS, BATCH, LEARNING_RATE, SEED = 3, 3, 0.01, 20261208

torch.manual_seed(SEED)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

g_layers = [torch.nn.Linear(2, 3), torch.nn.Linear(3, 4)]
d_layers = [torch.nn.Linear(4, 3), torch.nn.Linear(3, 1)]
G = torch.nn.Sequential(g_layers[0], torch.nn.LeakyReLU(0.2), g_layers[1])
D = torch.nn.Sequential(d_layers[0], torch.nn.LeakyReLU(0.2), d_layers[1])


def flat(layers):
    return [float(v) for l in layers
            for v in np.concatenate([l.weight.detach().numpy().T.ravel(), l.bias.detach().numpy()])]


initial_g, initial_d = flat(g_layers), flat(d_layers)
g_opt = torch.optim.Adam(G.parameters(), lr=LEARNING_RATE, betas=(0.5, 0.999))
d_opt = torch.optim.Adam(D.parameters(), lr=LEARNING_RATE, betas=(0.5, 0.999))
bce = torch.nn.functional.binary_cross_entropy_with_logits
reals, noises, d_losses, g_losses = [], [], [], []
for step in range(STEPS):
    real = torch.randn(BATCH, 4) * 0.5 + 1
    z = torch.randn(BATCH, 2)
    fake = G(z)
    d_opt.zero_grad()
    d_loss = bce(D(torch.cat([real, fake.detach()])), torch.cat([torch.ones(BATCH, 1), torch.zeros(BATCH, 1)]))
    d_loss.backward()
    d_opt.step()
    g_opt.zero_grad()
    g_loss = bce(D(fake), torch.ones(BATCH, 1))
    g_loss.backward()
    g_opt.step()
    reals.append([float(v) for v in real.numpy().ravel()])
    noises.append([float(v) for v in z.numpy().ravel()])
    d_losses.append(d_loss.item())
    g_losses.append(g_loss.item())

with open("gan_step_torch.json", "w") as f:
    json.dump({
        "source": "make_gan_step_torch.py, torch " + torch.__version__,
        "batch": BATCH, "learningRate": LEARNING_RATE,
        "initialGenerator": initial_g, "initialDiscriminator": initial_d,
        "reals": reals, "noises": noises,
        "discriminatorLosses": d_losses, "generatorLosses": g_losses,
        "finalGenerator": flat(g_layers), "finalDiscriminator": flat(d_layers),
    }, f, indent=1)
print("wrote gan_step_torch.json; losses", d_losses, g_losses)

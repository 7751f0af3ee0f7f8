#!/usr/bin/env python3
"""Writes vae_torch.json: PyTorch's values for the sample layer, the KL term and a small VAE's training step.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Tests/Fixtures && /usr/bin/python3 make_vae_fixtures.py

In float64:
- "sample": z = mu + exp(0.5 * logvar) * eps for a given eps, and the gradients of sum(z * upstream) to mu and logvar;
- "kl": KL(N(mu, exp(logvar)) || N(0, 1)) as PyTorch VAE code writes it,
  torch.mean(-0.5 * torch.sum(1 + logvar - mu**2 - logvar.exp(), dim=1)), with its gradients;
- "vae": the Vae test network (tests/DeepPhys.Tests/GraphNetworks.cs: 5 -> 6 tanh -> mu 2, logvar 2 -> sample ->
  6 tanh -> 5, loss mse + 0.5 kl) from PyTorch's default initialisation: the composite loss and its parts, the
  gradient, the parameters after one SGD step (lr 0.1) and the inference output (z = mu).
  Its eps is the network's own random stream after Reseed(EPS_SEED): DeepPhys's RandomStream (xoshiro256**
  seeded by SplitMix64, Box-Muller one value per call) is written out below from its definition, so the test
  needs no value from DeepPhys.

Weight layout: DeepPhys keeps each dense layer as weights [inputs, units] row-major followed by the bias
(Keras's kernel); torch.nn.Linear.weight is [units, inputs], so the DeepPhys weights are weight.T flattened.
"""
import json
import math

import torch

torch.manual_seed(20261208)
torch.set_default_dtype(torch.float64)
MASK = (1 << 64) - 1
EPS_SEED = 5


class RandomStream:
    """DeepPhys.RandomStream: xoshiro256** seeded by SplitMix64; NextNormal is Box-Muller's cosine branch."""

    def __init__(self, seed):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    def next_uint64(self):
        s0, s1, s2, s3 = self.s
        rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & MASK
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def next_double(self):
        return (self.next_uint64() >> 11) * (1.0 / (1 << 53))

    def next_normal(self):
        u1 = 1.0 - self.next_double()
        u2 = self.next_double()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def kl_term(mu, logvar):
    return torch.mean(-0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp(), dim=1))


# The sample layer with a given eps.
mu = torch.tensor([[0.3, -1.2], [2.0, 0.1], [-0.4, 0.7]], requires_grad=True)
logvar = torch.tensor([[-0.5, 0.8], [0.0, -2.0], [1.5, -0.1]], requires_grad=True)
eps = torch.tensor([[1.1, -0.3], [0.4, 2.2], [-1.7, 0.05]])
upstream = torch.tensor([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])
z = mu + torch.exp(0.5 * logvar) * eps
(z * upstream).sum().backward()
sample = {"mu": flat(mu), "logvar": flat(logvar), "eps": flat(eps), "upstream": flat(upstream), "z": flat(z),
          "mu_grad": flat(mu.grad), "logvar_grad": flat(logvar.grad)}

# The KL term.
mu.grad, logvar.grad = None, None
kl = kl_term(mu, logvar)
kl.backward()
kl_fixture = {"mu": flat(mu), "logvar": flat(logvar), "kl": kl.item(), "mu_grad": flat(mu.grad), "logvar_grad": flat(logvar.grad)}

# One training step of the Vae test network.
BATCH, BETA, LR = 4, 0.5, 0.1
h, mu_layer, logvar_layer = torch.nn.Linear(5, 6), torch.nn.Linear(6, 2), torch.nn.Linear(6, 2)
d, out = torch.nn.Linear(2, 6), torch.nn.Linear(6, 5)
layers = [h, mu_layer, logvar_layer, d, out]  # DeepPhys's order: the graph's topological order


def parameters():
    return [v for l in layers for v in flat(l.weight.t()) + flat(l.bias)]


def gradients():
    return [v for l in layers for v in flat(l.weight.grad.t()) + flat(l.bias.grad)]


x = torch.randn(BATCH, 5)
target = torch.randn(BATCH, 5)
stream = RandomStream(EPS_SEED)
vae_eps = torch.tensor([stream.next_normal() for _ in range(BATCH * 2)]).reshape(BATCH, 2)
initial = parameters()
hidden = torch.tanh(h(x))
m, lv = mu_layer(hidden), logvar_layer(hidden)
reconstruction = out(torch.tanh(d(m + torch.exp(0.5 * lv) * vae_eps)))
mse = torch.nn.functional.mse_loss(reconstruction, target)
kl = kl_term(m, lv)
loss = mse + BETA * kl
loss.backward()
gradient = gradients()
with torch.no_grad():
    for p in (p for l in layers for p in (l.weight, l.bias)):
        p -= LR * p.grad
    prediction = out(torch.tanh(d(mu_layer(torch.tanh(h(x))))))
vae = {"inputs": flat(x), "targets": flat(target), "eps_seed": EPS_SEED, "eps": flat(vae_eps), "initial": initial,
       "loss": loss.item(), "loss_mse": mse.item(), "loss_kl": kl.item(), "gradient": gradient, "learning_rate": LR,
       "after_step": parameters(), "prediction_after_step": flat(prediction)}

with open("vae_torch.json", "w") as f:
    json.dump({"generator": "make_vae_fixtures.py", "torch": torch.__version__, "sample": sample, "kl": kl_fixture, "vae": vae}, f, indent=1)

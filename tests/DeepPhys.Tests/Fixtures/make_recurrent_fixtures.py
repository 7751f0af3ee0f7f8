#!/usr/bin/env python3
"""Writes recurrent_torch.json: PyTorch's nn.RNN, nn.LSTM and nn.GRU forward and backward passes, in float64.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Tests/Fixtures && /usr/bin/python3 make_recurrent_fixtures.py

Layers: for each cell (RNN with tanh, RNN with ReLU, LSTM, GRU) and both return modes, one batch_first layer
of batch 3, time 4, features 3, units 5 from a zero state, with weights, biases and inputs drawn uniformly in
[-0.8, 0.8]. The output is the last state h_n[0] ([batch, units], return_sequences false) or the whole output
([batch, time, units], return_sequences true); the loss is sum(output * seed) for a fixed random seed tensor,
so the output gradient is the seed. Recorded: x, the four parameter tensors, the seed, the output, and the
gradients of the loss with respect to x and every parameter.

Network: the generated StackedRecurrentNet (tests/DeepPhys.Tests/RecurrentNetworks.cs: [Input(5, 2)],
[LSTM(4, ReturnSequences = true)], [GRU(3)], [Dense(2)], mean squared error, double) as
LSTM(2, 4) -> GRU(4, 3) -> last state -> Linear(3, 2), on a batch of 3, with its loss and every parameter's gradient.

Weight layouts: DeepPhys stores a recurrent layer exactly as PyTorch's state dict, one tensor after the other:
weight_ih_l0 [gates*units, features], weight_hh_l0 [gates*units, units], bias_ih_l0 [gates*units],
bias_hh_l0 [gates*units], each flattened row-major; gate blocks in PyTorch's order (LSTM i, f, g, o; GRU r, z, n).
So the mapping is the identity: DeepPhys parameters = concat(weight_ih.flatten(), weight_hh.flatten(), bias_ih, bias_hh).
(Keras's LSTM keeps one bias, b_ih + b_hh, and its kernels transposed, [features, 4*units] in gate order i, f, c, o.)
A dense layer is weights [inputs, units] row-major then the bias: linear.weight.T flattened, then linear.bias.
Inputs are [batch, time, features] row-major, PyTorch's batch_first layout.
"""
import json

import torch

SEED = 20261123
BATCH, TIME, FEATURES, UNITS = 3, 4, 3, 5

torch.manual_seed(SEED)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def flat(tensor):
    return [float(v) for v in tensor.detach().reshape(-1)]


def uniform(*shape):
    return (torch.rand(*shape) * 1.6 - 0.8).requires_grad_(True)


def parameters(module):
    """The module's tensors in DeepPhys's order, with uniform values so every gate matters."""
    tensors = [module.weight_ih_l0, module.weight_hh_l0, module.bias_ih_l0, module.bias_hh_l0]
    with torch.no_grad():
        for tensor in tensors:
            tensor.copy_(torch.rand_like(tensor) * 1.6 - 0.8)
    return tensors


def layer_case(name, cell, module, return_sequences):
    tensors = parameters(module)
    x = uniform(BATCH, TIME, FEATURES)
    output, state = module(x)
    h_n = state[0] if isinstance(state, tuple) else state
    y = output if return_sequences else h_n[0]
    seed = torch.rand(*y.shape) * 2 - 1
    (y * seed).sum().backward()
    return {
        "name": name,
        "cell": cell,
        "activation": "ReLU" if getattr(module, "nonlinearity", "tanh") == "relu" else "Tanh",
        "returnSequences": return_sequences,
        "batch": BATCH, "time": TIME, "features": FEATURES, "units": UNITS,
        "x": flat(x),
        "weights": flat(torch.cat([tensors[0].reshape(-1), tensors[1].reshape(-1)])),
        "biases": flat(torch.cat([tensors[2], tensors[3]])),
        "seed": flat(seed),
        "y": flat(y),
        "dx": flat(x.grad),
        "dWeights": flat(torch.cat([tensors[0].grad.reshape(-1), tensors[1].grad.reshape(-1)])),
        "dBiases": flat(torch.cat([tensors[2].grad, tensors[3].grad])),
    }


layers = []
for return_sequences in (False, True):
    suffix = "sequence" if return_sequences else "last"
    layers.append(layer_case(f"rnn_tanh_{suffix}", "SimpleRnn", torch.nn.RNN(FEATURES, UNITS, batch_first=True), return_sequences))
    layers.append(layer_case(f"rnn_relu_{suffix}", "SimpleRnn", torch.nn.RNN(FEATURES, UNITS, nonlinearity="relu", batch_first=True), return_sequences))
    layers.append(layer_case(f"lstm_{suffix}", "Lstm", torch.nn.LSTM(FEATURES, UNITS, batch_first=True), return_sequences))
    layers.append(layer_case(f"gru_{suffix}", "Gru", torch.nn.GRU(FEATURES, UNITS, batch_first=True), return_sequences))

# The whole StackedRecurrentNet.
lstm, gru, linear = torch.nn.LSTM(2, 4, batch_first=True), torch.nn.GRU(4, 3, batch_first=True), torch.nn.Linear(3, 2)
recurrent = parameters(lstm) + parameters(gru)
x = torch.rand(3, 5, 2) * 2 - 1
targets = torch.rand(3, 2) * 2 - 1
sequence, _ = lstm(x)
_, h_n = gru(sequence)
prediction = linear(h_n[0])
loss = torch.nn.functional.mse_loss(prediction, targets)
loss.backward()


def network_vector(tensors, dense_weight, dense_bias):
    return flat(torch.cat([t.reshape(-1) for t in tensors] + [dense_weight.t().reshape(-1), dense_bias]))


network = {
    "inputs": flat(x),
    "targets": flat(targets),
    "parameters": network_vector(recurrent, linear.weight, linear.bias),
    "loss": float(loss),
    "outputs": flat(prediction),
    "gradients": network_vector([t.grad for t in recurrent], linear.weight.grad, linear.bias.grad),
}

with open("recurrent_torch.json", "w") as f:
    json.dump({"torch": torch.__version__, "layers": layers, "network": network}, f)
    f.write("\n")
print(f"wrote {len(layers)} layer cases and the network (loss {float(loss):.6f})")

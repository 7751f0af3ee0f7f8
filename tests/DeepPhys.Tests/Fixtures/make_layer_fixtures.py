#!/usr/bin/env python3
"""Writes layer_fixtures.json: PyTorch computes every non-recurrent layer's outputs and gradients.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Tests/Fixtures && /usr/bin/python3 make_layer_fixtures.py

Each case holds, in float64: the inputs, the parameters in DeepPhys's layout, the outputs, a fixed
upstream gradient dy (normal, seeded), and the gradients autograd gives for the inputs and every
parameter under the loss sum(dy * y). LayerFixtureTests (DeepPhys.Tests) feeds the same numbers to
the DeepPhys kernels and asks for agreement within 1e-6 relative.

Layouts (DeepPhys on the left, PyTorch on the right):
- Tensors are batch first and row-major: vectors [batch, features]; signals [batch, channels, length]
  (Conv1d's NCL); images [batch, channels, height, width] (NCHW). Keras is channels-last; PyTorch is not,
  so no transposition of activations is needed.
- Dense: weights [inputs, units] row-major (Keras's kernel) = Linear.weight.T; bias = Linear.bias.
- Conv2D: weights [filters, channels, kernel, kernel] = Conv2d.weight as is; bias = Conv2d.bias.
  (Keras's Conv2D kernel would be [kernel, kernel, channels, filters].)
- Conv1D: weights [filters, channels, kernel] = Conv1d.weight as is; bias = Conv1d.bias.
- BatchNorm: γ (the layer's ...Weights) = BatchNorm.weight, β (...Bias) = BatchNorm.bias; the running
  means and variances are DeepPhys's State. Keras's momentum 0.99 is PyTorch's momentum 0.01
  (PyTorch weighs the new batch by momentum, Keras the old average). PyTorch moves running_var by the
  UNBIASED batch variance, Keras and DeepPhys by the biased one: the expected running variance below
  is Keras's rule computed from torch.var(unbiased=False); PyTorch's running_mean is used as is.
- 'same' padding: PyTorch's padding='same' (stride 1) pads total = kernel − 1, the odd one after, as
  TensorFlow; for stride 2 the TensorFlow rule is applied with F.pad: total = max((out − 1)·stride +
  kernel − size, 0), ⌊total / 2⌋ before. Each case records the window geometry the kernels receive.
- Dropout is random: only its inverted scaling is recorded (PyTorch's kept values divided by the inputs).
- Upsampling: F.interpolate(mode="nearest") by whole factors (output i repeats input floor(i / factor)), Keras's
  UpSampling; global max pooling: adaptive_max_pool(x, 1), whose gradient goes to the first maximum as DeepPhys's
  (torch.amax would split it between ties).
- Whole networks (kind "network") are C# test networks fed PyTorch's parameters: Predict's outputs, a training step's
  loss and the whole gradient buffer.
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(20261123)
torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

cases = []


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def normal(*shape):
    return torch.randn(*shape, dtype=torch.float64)


def record(name, kind, config, inputs, outputs, parameters=None, extra=None):
    """Runs backward with a fixed upstream gradient and stores inputs, parameters, outputs and all gradients."""
    parameters = parameters or {}
    dy = normal(*outputs.shape)
    (outputs * dy).sum().backward()
    tensors = {"y": flat(outputs), "dy": flat(dy)}
    for key, value in inputs.items():
        tensors[key] = flat(value)
        tensors["d" + key] = flat(value.grad)
    for key, (value, to_layout) in parameters.items():
        tensors[key] = flat(to_layout(value))
        tensors["d" + key] = flat(to_layout(value.grad))
    tensors.update({key: flat(value) for key, value in (extra or {}).items()})
    cases.append({"name": name, "kind": kind, "config": config, "tensors": tensors})


def leaf(*shape):
    return normal(*shape).requires_grad_()


def same_pad(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2, out


as_is = lambda t: t  # noqa: E731
transposed = lambda t: t.T  # noqa: E731

# Dense with each activation: x [3, 5] → [3, 4].
activations = {
    "linear": lambda z: z, "relu": torch.relu, "leaky_relu": lambda z: F.leaky_relu(z, 0.2),
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "softmax": lambda z: torch.softmax(z, dim=1),
}
for activation, function in activations.items():
    linear = torch.nn.Linear(5, 4)
    x = leaf(3, 5)
    record(f"dense_{activation}", "dense", {"batch": 3, "inputs": 5, "units": 4, "activation": activation, "slope": 0.2},
           {"x": x}, function(linear(x)), {"weights": (linear.weight, transposed), "bias": (linear.bias, as_is)})

# Conv2D on [2, 2, 7, 6] with 3 filters: valid; 'same' odd and even kernels; stride 2 with explicit and 'same' padding; no bias.
conv2d_cases = [
    ("conv2d_valid", 3, 1, "valid", True),
    ("conv2d_same", 3, 1, "same", True),
    ("conv2d_same_even_kernel", 4, 1, "same", True),
    ("conv2d_stride2_padding1", 3, 2, 1, True),
    ("conv2d_same_stride2", 4, 2, "same", True),
    ("conv2d_no_bias", 3, 1, "valid", False),
]
for name, kernel, stride, padding, bias in conv2d_cases:
    channels, height, width, filters = 2, 7, 6, 3
    conv = torch.nn.Conv2d(channels, filters, kernel, stride=stride, bias=bias)
    x = leaf(2, channels, height, width)
    if padding == "same":
        top, bottom, _ = same_pad(height, kernel, stride)
        left, right, _ = same_pad(width, kernel, stride)
        y = (F.conv2d(x, conv.weight, conv.bias, padding="same") if stride == 1
             else F.conv2d(F.pad(x, (left, right, top, bottom)), conv.weight, conv.bias, stride=stride))
    else:
        top = left = 0 if padding == "valid" else padding
        y = F.conv2d(x, conv.weight, conv.bias, stride=stride, padding=top)
    window = [channels, height, width, kernel, stride, top, left, y.shape[2], y.shape[3]]
    parameters = {"weights": (conv.weight, as_is)}
    if bias:
        parameters["bias"] = (conv.bias, as_is)
    record(name, "conv2d", {"batch": 2, "filters": filters, "window": window}, {"x": x}, y, parameters)

# Conv1D on [3, 2, 11] with 3 filters, the same variations.
conv1d_cases = [
    ("conv1d_valid", 3, 1, "valid", True),
    ("conv1d_same_even_kernel", 4, 1, "same", True),
    ("conv1d_stride2_padding1", 3, 2, 1, True),
    ("conv1d_same_stride3", 5, 3, "same", True),
    ("conv1d_no_bias", 2, 1, "valid", False),
]
for name, kernel, stride, padding, bias in conv1d_cases:
    channels, length, filters = 2, 11, 3
    conv = torch.nn.Conv1d(channels, filters, kernel, stride=stride, bias=bias)
    x = leaf(3, channels, length)
    if padding == "same":
        left, right, _ = same_pad(length, kernel, stride)
        y = (F.conv1d(x, conv.weight, conv.bias, padding="same") if stride == 1
             else F.conv1d(F.pad(x, (left, right)), conv.weight, conv.bias, stride=stride))
    else:
        left = 0 if padding == "valid" else padding
        y = F.conv1d(x, conv.weight, conv.bias, stride=stride, padding=left)
    window = [channels, length, kernel, stride, left, y.shape[2]]
    parameters = {"weights": (conv.weight, as_is)}
    if bias:
        parameters["bias"] = (conv.bias, as_is)
    record(name, "conv1d", {"batch": 3, "filters": filters, "window": window}, {"x": x}, y, parameters)

# Pooling ('valid'): non-overlapping with a floor, and overlapping windows; global averages.
for name, window, stride in [("pool2d_2x2", 2, 2), ("pool2d_3x3_stride1", 3, 1)]:
    for kind, pool in [("maxpool2d", F.max_pool2d), ("avgpool2d", F.avg_pool2d)]:
        x = leaf(2, 3, 7, 6)
        y = pool(x, window, stride)
        geometry = [3, 7, 6, window, stride, 0, 0, y.shape[2], y.shape[3]]
        record(name.replace("pool2d", kind), kind, {"batch": 2, "window": geometry}, {"x": x}, y)
for name, window, stride in [("pool1d_2", 2, 2), ("pool1d_3_stride1", 3, 1)]:
    for kind, pool in [("maxpool1d", F.max_pool1d), ("avgpool1d", F.avg_pool1d)]:
        x = leaf(3, 2, 11)
        y = pool(x, window, stride)
        record(name.replace("pool1d", kind), kind, {"batch": 3, "window": [2, 11, window, stride, 0, y.shape[2]]}, {"x": x}, y)
x = leaf(2, 3, 5, 4)
record("globalavgpool2d", "globalavgpool", {"batch": 2, "plane": 20}, {"x": x}, x.mean(dim=(2, 3)))
x = leaf(3, 2, 9)
record("globalavgpool1d", "globalavgpool", {"batch": 3, "plane": 9}, {"x": x}, x.mean(dim=2))

# Batch norm over features [6, 4], over image channels [4, 3, 3, 2] and over signal channels [5, 2, 7].
for name, shape in [("batchnorm_features", (6, 4)), ("batchnorm_channels", (4, 3, 3, 2)), ("batchnorm_signal", (5, 2, 7))]:
    channels = shape[1]
    norm = (torch.nn.BatchNorm1d if len(shape) < 4 else torch.nn.BatchNorm2d)(channels, eps=1e-3, momentum=0.01)
    with torch.no_grad():
        norm.weight.copy_(1 + 0.3 * normal(channels))
        norm.bias.copy_(0.5 * normal(channels))
        norm.running_mean.copy_(0.2 * normal(channels))
        norm.running_var.copy_(1 + 0.5 * torch.rand(channels))
    mean0, var0 = norm.running_mean.clone(), norm.running_var.clone()

    # Inference with the running averages first (the training step below moves them).
    norm.eval()
    x_eval = 2 + 1.5 * normal(*shape)
    y_eval = norm(x_eval)

    norm.train()
    x = (2 + 1.5 * normal(*shape)).requires_grad_()
    y = norm(x)
    axes = [0] + list(range(2, len(shape)))
    batch_var = x.detach().var(dim=axes, unbiased=False)
    keras_running_var = 0.99 * var0 + 0.01 * batch_var
    plane = 1
    for size in shape[2:]:
        plane *= size
    record(name, "batchnorm", {"batch": shape[0], "plane": plane, "momentum": 0.99, "epsilon": 1e-3},
           {"x": x}, y, {"gamma": (norm.weight, as_is), "beta": (norm.bias, as_is)},
           {"running_mean0": mean0, "running_var0": var0, "running_mean": norm.running_mean,
            "running_var": keras_running_var, "torch_running_var": norm.running_var,
            "x_eval": x_eval, "y_eval": y_eval})

# Merges of two [3, 2, 3, 2] tensors, concatenations along each axis, flatten.
for kind, merge in [("add", torch.add), ("subtract", torch.sub), ("multiply", torch.mul)]:
    a, b = leaf(3, 2, 3, 2), leaf(3, 2, 3, 2)
    record(kind, kind, {"batch": 3}, {"a": a, "b": b}, merge(a, b))
for name, a_shape, b_shape, axis in [
    ("concatenate_features", (3, 4), (3, 2), 0),
    ("concatenate_channels", (3, 2, 3, 2), (3, 1, 3, 2), 0),
    ("concatenate_rows", (3, 2, 3, 2), (3, 2, 1, 2), 1),
    ("concatenate_columns", (3, 2, 3, 2), (3, 2, 3, 4), 2),
    ("concatenate_steps", (3, 2, 5), (3, 2, 3), 1),
]:
    a, b = leaf(*a_shape), leaf(*b_shape)
    record(name, "concatenate", {"batch": 3, "a": list(a_shape[1:]), "b": list(b_shape[1:]), "axis": axis},
           {"a": a, "b": b}, torch.cat([a, b], dim=axis + 1))
x = leaf(3, 2, 3, 2)
record("flatten", "flatten", {"batch": 3}, {"x": x}, torch.flatten(x, 1))

# Dropout: only the inverted scaling is comparable; PyTorch's kept outputs over their inputs.
x = 1 + torch.rand(2000)
y = F.dropout(x, p=0.3, training=True)
kept = y != 0
cases.append({"name": "dropout", "kind": "dropout", "config": {"rate": 0.3},
              "tensors": {"scales": flat((y[kept] / x[kept])[:20])}})

def packed(gradients):
    return flat(torch.cat([t.reshape(-1) for t in gradients]))


def record_network(name, parameters, x, targets, predict, training_loss):
    """A whole C# test network: Predict's outputs on x (inference mode), then one training step's loss and the gradient of
    every parameter, packed as DeepPhys's parameter buffer: `parameters` are (tensor, to_layout) pairs in the network's node
    order, each layer's weights in the layouts above, then its bias."""
    with torch.no_grad():
        outputs = predict(x)
    loss = training_loss(x, targets)
    loss.backward()
    cases.append({"name": name, "kind": "network", "config": {"batch": x.shape[0], "loss": float(loss)}, "tensors": {
        "x": flat(x), "targets": flat(targets), "y": flat(outputs),
        "parameters": packed([to_layout(p) for p, to_layout in parameters]),
        "gradients": packed([to_layout(p.grad) for p, to_layout in parameters])}})


# AttributeSignalCnn of SignalNetworks.cs, trained one step with mean squared error (Keras's mean over samples and outputs;
# conv1d's LeakyReLU slope is 0.01).
conv, mix, dense = torch.nn.Conv1d(3, 4, 3, stride=2, padding=1), torch.nn.Conv1d(4, 2, 2, bias=False), torch.nn.Linear(2, 2)
x, targets = normal(4, 3, 9), normal(4, 2)


def attribute_signal_cnn(x):
    h = F.avg_pool1d(F.leaky_relu(conv(x), 0.01), 2, 1)
    return dense(F.max_pool1d(mix(h), 2, 1).mean(dim=2))


record_network("attribute_signal_cnn", [(conv.weight, as_is), (conv.bias, as_is), (mix.weight, as_is), (dense.weight, transposed), (dense.bias, as_is)],
               x, targets, attribute_signal_cnn, lambda x, targets: F.mse_loss(attribute_signal_cnn(x), targets))

# AttributeUpSamplingCnn of CnnNetworks.cs: conv 'same' -> batch norm -> ReLU (an [Activation] layer) -> nearest upsampling by
# (2, 3) -> conv stride 2 -> global max (AdaptiveMaxPool2d(1): the first maximum's gradient) -> dense, mean squared error.
# Predict normalises with the running averages (0 and 1 at the start), training with the batch's statistics.
conv, norm, conv_1, dense = (torch.nn.Conv2d(2, 3, 3, padding=1), torch.nn.BatchNorm2d(3, eps=1e-3, momentum=0.01),
                             torch.nn.Conv2d(3, 2, 2, stride=2), torch.nn.Linear(2, 2))
with torch.no_grad():
    norm.weight.copy_(1 + 0.3 * normal(3))
    norm.bias.copy_(0.5 * normal(3))
x, targets = normal(4, 2, 4, 3), normal(4, 2)


def attribute_upsampling_cnn(x, training):
    norm.train(training)
    h = F.interpolate(torch.relu(norm(conv(x))), scale_factor=(2, 3), mode="nearest")
    return dense(F.adaptive_max_pool2d(conv_1(h), 1).flatten(1))


record_network("attribute_upsampling_cnn",
               [(conv.weight, as_is), (conv.bias, as_is), (norm.weight, as_is), (norm.bias, as_is), (conv_1.weight, as_is), (conv_1.bias, as_is),
                (dense.weight, transposed), (dense.bias, as_is)],
               x, targets, lambda x: attribute_upsampling_cnn(x, False), lambda x, targets: F.mse_loss(attribute_upsampling_cnn(x, True), targets))

# UpSamplingSignalCnn of SignalNetworks.cs: conv1d -> LeakyReLU -> nearest upsampling by 3, which feeds a conv1d stride 2 ->
# tanh -> global max and a global average; both pooled vectors concatenated -> dense -> sigmoid, binary cross-entropy from
# the logits (Predict returns the probabilities).
conv, conv_1, dense = torch.nn.Conv1d(2, 3, 2), torch.nn.Conv1d(3, 2, 3, stride=2), torch.nn.Linear(5, 1)
x, targets = normal(4, 2, 5), torch.randint(0, 2, (4, 1)).double()


def upsampling_signal_cnn(x):
    u = F.interpolate(F.leaky_relu(conv(x), 0.01), scale_factor=3, mode="nearest")
    g = F.adaptive_max_pool1d(torch.tanh(conv_1(u)), 1).flatten(1)
    return dense(torch.cat([g, u.mean(dim=2)], dim=1))


record_network("upsampling_signal_cnn", [(conv.weight, as_is), (conv.bias, as_is), (conv_1.weight, as_is), (conv_1.bias, as_is), (dense.weight, transposed), (dense.bias, as_is)],
               x, targets, lambda x: torch.sigmoid(upsampling_signal_cnn(x)),
               lambda x, targets: F.binary_cross_entropy_with_logits(upsampling_signal_cnn(x), targets))



def window_networks():
    """Whole networks of WindowNetworks.cs (DeepPhys.Tests): rectangular kernels, pool windows and strides per axis, and
    transposed convolutions, each trained one step as attribute_signal_cnn above: the loss, Predict's outputs (the output
    activation applied) and the gradient of every parameter, packed as DeepPhys's buffer (each node's weights, then its
    bias, in declaration order). Drawn from a generator of their own, so the cases above do not move them.

    Layouts: Conv2D weights [filters, channels, kh, kw] = Conv2d.weight; Conv2DTranspose weights [channels, filters, kh, kw]
    = ConvTranspose2d.weight. Keras's 'same' for a transposed convolution (out = in · stride per axis) is the full
    F.conv_transpose2d output, zero-extended at the end when the kernel is below the stride, cropped from
    ⌊max(kernel − stride, 0) / 2⌋ (TensorFlow's 'same' padding of the convolution it is the gradient of), then the bias;
    padding p is PyTorch's own."""
    g = torch.Generator().manual_seed(20260214)

    def randn(*shape):
        return torch.randn(*shape, generator=g, dtype=torch.float64)

    def weights(*shape):
        return (0.5 * randn(*shape)).requires_grad_()

    def conv2d_same(x, w, b, stride):
        (top, bottom, _), (left, right, _) = [same_pad(x.shape[2 + a], w.shape[2 + a], stride[a]) for a in range(2)]
        return F.conv2d(F.pad(x, (left, right, top, bottom)), w, b, stride=stride)

    def conv_transpose2d_same(x, w, b, stride):
        y = F.conv_transpose2d(x, w, None, stride=stride)
        crops = [(max(w.shape[2 + a] - stride[a], 0) // 2, x.shape[2 + a] * stride[a]) for a in range(2)]
        short = [max(start + size - y.shape[2 + a], 0) for a, (start, size) in enumerate(crops)]
        y = F.pad(y, (0, short[1], 0, short[0]))
        (top, height), (left, width) = crops
        y = y[:, :, top:top + height, left:left + width]
        return y if b is None else y + b.view(1, -1, 1, 1)

    def record_network(name, x, targets, parameters, forward, loss_of):
        logits = forward(x)
        loss = loss_of(logits, targets)
        loss.backward()
        outputs = torch.softmax(logits, dim=1) if loss_of is cce else logits
        cases.append({"name": name, "kind": "network", "config": {"batch": x.shape[0], "loss": float(loss)}, "tensors": {
            "x": flat(x), "targets": flat(targets), "y": flat(outputs),
            "parameters": packed(parameters), "gradients": packed([p.grad for p in parameters])}})

    def cce(logits, targets):
        return -(targets * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()

    def one_hot(batch, classes):
        return F.one_hot(torch.randint(classes, (batch,), generator=g), classes).to(torch.float64)

    # RectangularCnn: [2, 6, 9] → conv 3 × 5 'same' stride (1, 2), tanh → max 1 × 2 → conv 2 × 1 stride (2, 1), relu
    # → average 1 × 2 stride 1 → flatten → dense 3, softmax; categorical cross-entropy.
    c1w, c1b, c2w, c2b, dw, db = weights(3, 2, 3, 5), weights(3), weights(2, 3, 2, 1), weights(2), weights(6, 3), weights(3)
    record_network("RectangularCnn", randn(3, 2, 6, 9), one_hot(3, 3), [c1w, c1b, c2w, c2b, dw, db], lambda x: F.linear(torch.flatten(
        F.avg_pool2d(torch.relu(F.conv2d(F.max_pool2d(torch.tanh(conv2d_same(x, c1w, c1b, (1, 2))), (1, 2)), c2w, c2b, stride=(2, 1))), (1, 2), 1), 1), dw.T, db), cce)

    # AttributeRectangularCnn: [1, 5, 8] → conv 1 × 3 'same' stride (1, 2), leaky relu 0.01 → max 2 × 1 → average 1 × 2
    # stride 1 → conv 2 × 2 without bias → flatten → dense 2; mean squared error.
    c1w, c1b, c2w, dw, db = weights(2, 1, 1, 3), weights(2), weights(3, 2, 2, 2), weights(6, 2), weights(2)
    record_network("AttributeRectangularCnn", randn(3, 1, 5, 8), randn(3, 2), [c1w, c1b, c2w, dw, db], lambda x: F.linear(torch.flatten(F.conv2d(
        F.avg_pool2d(F.max_pool2d(F.leaky_relu(conv2d_same(x, c1w, c1b, (1, 2)), 0.01), (2, 1)), (1, 2), 1), c2w), 1), dw.T, db), F.mse_loss)

    # ConvAutoencoder: [1, 6, 6] → conv 3 × 3 'same', relu → max 2 → the sum of three transposed convolutions at stride 2:
    # 3 × 3 'same', 1 × 1 'same' without bias, 4 × 4 with padding 1 then tanh; mean squared error against the targets.
    ew, eb, t1w, t1b, t2w, t3w, t3b = weights(3, 1, 3, 3), weights(3), weights(3, 1, 3, 3), weights(1), weights(3, 1, 1, 1), weights(3, 1, 4, 4), weights(1)

    def autoencoder(x):
        p = F.max_pool2d(torch.relu(F.conv2d(x, ew, eb, padding=1)), 2)
        return (conv_transpose2d_same(p, t1w, t1b, (2, 2)) + conv_transpose2d_same(p, t2w, None, (2, 2))
                + torch.tanh(F.conv_transpose2d(p, t3w, t3b, stride=2, padding=1)))

    record_network("ConvAutoencoder", randn(3, 1, 6, 6), randn(3, 1, 6, 6), [ew, eb, t1w, t1b, t2w, t3w, t3b], autoencoder, F.mse_loss)

    # AttributeConvAutoencoder: [2, 4, 6] → conv 2 × 3 stride (1, 3), tanh → transposed conv 2 × 3 'valid' stride (1, 3),
    # leaky relu 0.1 → [2, 4, 6]; mean squared error.
    cw, cb, tw, tb = weights(3, 2, 2, 3), weights(3), weights(3, 2, 2, 3), weights(2)
    record_network("AttributeConvAutoencoder", randn(3, 2, 4, 6), randn(3, 2, 4, 6), [cw, cb, tw, tb], lambda x: F.leaky_relu(
        F.conv_transpose2d(torch.tanh(F.conv2d(x, cw, cb, stride=(1, 3))), tw, tb, stride=(1, 3)), 0.1), F.mse_loss)


window_networks()

with open("layer_fixtures.json", "w") as f:
    # One case per line: diffs stay readable when the script changes.
    f.write('{"generator": ' + json.dumps(f"make_layer_fixtures.py, torch {torch.__version__}") + ', "cases": [\n')
    f.write(",\n".join(json.dumps(case) for case in cases))
    f.write("\n]}\n")
print(f"{len(cases)} cases")

"""Writes torch_mlp.onnx and torch_mlp_onnx_outputs.json, torch_cnn.onnx, torch_cnn.safetensors and
torch_cnn_outputs.json, the recurrent and the upsampling models for OnnxTests.

The PyTorch float32 stack of make_safetensors_fixture.py (Linear(4,8) -> Tanh -> Linear(8,6) ->
LeakyReLU(0.1) -> Linear(6,3) -> Softmax), seeded differently, exported with torch.onnx.export at
opset 17 (each Linear becomes a Gemm with transB=1), and its outputs on fixed inputs.

The CNN is the C# test network TorchCnn (Serialization/InteropNetworks.cs): Conv2d(1,4,3,padding=1) -> ReLU ->
BatchNorm2d(4) -> MaxPool2d(2) -> Conv2d(4,6,2,stride=2,bias=False) -> Tanh -> Flatten -> Linear(24,8) ->
BatchNorm1d(8) -> Linear(8,3) -> Softmax, its modules named as DeepPhys names the layers. A few training steps
move the running statistics away from 0 and 1 first. It is exported in PRESERVE mode of an eval-mode model, so
BatchNormalization nodes stay in the graph with the running statistics (EVAL mode would fold a batch norm that
follows a convolution into it); its state_dict (without num_batches_tracked) is saved as safetensors.

The recurrent models are the C# test networks TorchStackedRecurrent (LSTM(2, 4) returning every step -> GRU(4, 3)'s
last state -> Linear(3, 2)) and TorchStackedRnn (RNN(3, 5, tanh) returning every step -> RNN(5, 4, relu)'s last state ->
Linear(4, 2) -> Softmax), batch first, trained a few steps on random targets. The first is exported with a dynamic
batch (PyTorch builds the zero initial states with Shape, Gather, Unsqueeze, Concat and ConstantOfShape), the second
with a fixed batch of 1 (the zeros come from a constant and Expand, and the second cell reads the first one's Squeeze
without the Transpose pair). TorchTwoLayerLstm is one nn.LSTM with num_layers=2 (each layer's zero state sliced out of
one ConstantOfShape) returning every step, flattened into Linear(20, 1) -> Sigmoid. torch_rnn_h0.onnx is torch_rnn.onnx with its first cell's initial state set to 0.5,
which the import must reject. torch_rnn_zero_initializer.onnx has that state as a zero initializer instead of PyTorch's
Expand (it imports), and torch_rnn_lengths.onnx also gives the cell sequence lengths (rejected).

TorchUpSamplingCnn (torch_upsampling.onnx) is Conv2d(1,3,3,padding=1) -> ReLU -> Upsample(scale_factor=(2, 3), nearest) ->
Conv2d(3,4,2,stride=2) -> Tanh -> AdaptiveMaxPool2d(1) -> Flatten -> Linear(4,2), untrained; torch_upsampling_half_pixel.onnx
has its Resize on ONNX's default coordinates (imports, and runs alike), torch_upsampling_linear.onnx interpolates linearly
(rejected). TorchUpSamplingSignalCnn (torch_upsampling_signal.onnx) is Conv1d(2,3,2) -> ReLU -> Upsample(scale_factor=3) ->
Conv1d(3,2,3,stride=2) -> amax over the length (ReduceMax) -> Linear(2,1).

Run by hand: /usr/bin/python3 make_onnx_fixture.py (in this folder).
"""
import numpy
import onnx
import onnx.numpy_helper
import torch

from make_safetensors_fixture import build_model, record_outputs, save_safetensors


class TorchCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv2d = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm2d(4)
        self.conv2d_1 = torch.nn.Conv2d(4, 6, 2, stride=2, bias=False)
        self.dense = torch.nn.Linear(24, 8)
        self.bn_1 = torch.nn.BatchNorm1d(8)
        self.dense_1 = torch.nn.Linear(8, 3)

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(self.bn(torch.relu(self.conv2d(x))), 2)
        x = torch.flatten(torch.tanh(self.conv2d_1(x)), 1)
        return torch.softmax(self.dense_1(self.bn_1(self.dense(x))), dim=-1)


def export_cnn():
    torch.manual_seed(5)
    model = TorchCnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(5):
        images = torch.randn(16, 1, 8, 8) * 2 + 0.5
        loss = -torch.log(model(images)[:, 0]).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    inputs = torch.randn(4, 1, 8, 8)
    torch.onnx.export(model, inputs[:1], "torch_cnn.onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, training=torch.onnx.TrainingMode.PRESERVE)
    state = {name: value for name, value in model.state_dict().items() if not name.endswith("num_batches_tracked")}
    save_safetensors(state, "torch_cnn.safetensors", {"source": "make_onnx_fixture.py"})
    record_outputs(model, inputs, "torch_cnn_outputs.json")


class TorchStackedRecurrent(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(2, 4, batch_first=True)
        self.gru = torch.nn.GRU(4, 3, batch_first=True)
        self.dense = torch.nn.Linear(3, 2)

    def forward(self, x):
        steps, _ = self.lstm(x)
        _, last = self.gru(steps)
        return self.dense(last[0])


class TorchStackedRnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.RNN(3, 5, batch_first=True)
        self.rnn_1 = torch.nn.RNN(5, 4, nonlinearity="relu", batch_first=True)
        self.dense = torch.nn.Linear(4, 2)

    def forward(self, x):
        steps, _ = self.rnn(x)
        _, last = self.rnn_1(steps)
        return torch.softmax(self.dense(last.squeeze(0)), dim=-1)


class TorchTwoLayerLstm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(2, 4, num_layers=2, batch_first=True)
        self.dense = torch.nn.Linear(20, 1)

    def forward(self, x):
        steps, _ = self.lstm(x)
        return torch.sigmoid(self.dense(torch.flatten(steps, 1)))


class TorchConvLstm(torch.nn.Module):
    """A 1-D convolution's signal [channels, length], transposed into the [time, features] an LSTM reads."""

    def __init__(self):
        super().__init__()
        self.conv1d = torch.nn.Conv1d(2, 3, 3)
        self.lstm = torch.nn.LSTM(3, 4, batch_first=True)
        self.dense = torch.nn.Linear(4, 2)

    def forward(self, x):
        steps = torch.relu(self.conv1d(x)).transpose(1, 2)
        _, (last, _) = self.lstm(steps)
        return self.dense(last[0])


class TorchUpSamplingCnn(torch.nn.Module):
    """Nearest upsampling by (2, 3) between two convolutions, then global max pooling (PyTorch exports AdaptiveMaxPool2d(1) as a
    MaxPool over the whole plane, and Upsample as a Resize by constant scales with asymmetric coordinates and floor)."""

    def __init__(self):
        super().__init__()
        self.conv2d = torch.nn.Conv2d(1, 3, 3, padding=1)
        self.up_sampling2d = torch.nn.Upsample(scale_factor=(2, 3), mode="nearest")
        self.conv2d_1 = torch.nn.Conv2d(3, 4, 2, stride=2)
        self.global_max_pooling2d = torch.nn.AdaptiveMaxPool2d(1)
        self.dense = torch.nn.Linear(4, 2)

    def forward(self, x):
        x = self.up_sampling2d(torch.relu(self.conv2d(x)))
        return self.dense(torch.flatten(self.global_max_pooling2d(torch.tanh(self.conv2d_1(x))), 1))


class TorchUpSamplingSignalCnn(torch.nn.Module):
    """The 1-D counterpart: a signal upsampled by 3 between two Conv1d, then its maximum per channel (amax: a ReduceMax)."""

    def __init__(self):
        super().__init__()
        self.conv1d = torch.nn.Conv1d(2, 3, 2)
        self.up_sampling1d = torch.nn.Upsample(scale_factor=3, mode="nearest")
        self.conv1d_1 = torch.nn.Conv1d(3, 2, 3, stride=2)
        self.dense = torch.nn.Linear(2, 1)

    def forward(self, x):
        x = self.conv1d_1(self.up_sampling1d(torch.relu(self.conv1d(x))))
        return self.dense(x.amax(dim=2))


def export_untrained(model, inputs, name):
    model.eval()
    torch.onnx.export(model, inputs[:1], name + ".onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    record_outputs(model, inputs, name + "_outputs.json")


def export_upsampling():
    """torch_upsampling.onnx and its variants: ONNX's default coordinates (half_pixel, round_prefer_floor), which pick the same
    inputs for whole factors, and linear interpolation, which the import must reject; torch_upsampling_signal.onnx."""
    torch.manual_seed(15)
    export_untrained(TorchUpSamplingCnn(), torch.randn(4, 1, 4, 4), "torch_upsampling")
    torch.manual_seed(16)
    export_untrained(TorchUpSamplingSignalCnn(), torch.randn(4, 2, 5), "torch_upsampling_signal")
    for name, attributes in [("torch_upsampling_half_pixel.onnx", {"mode": "nearest"}), ("torch_upsampling_linear.onnx", {"mode": "linear"})]:
        variant = onnx.load("torch_upsampling.onnx")
        resize = next(node for node in variant.graph.node if node.op_type == "Resize")
        del resize.attribute[:]
        resize.attribute.extend(onnx.helper.make_attribute(key, value) for key, value in attributes.items())
        onnx.save(variant, name)


def export_recurrent(model, steps, features, name, dynamic_batch):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(5):
        sequences = torch.randn(8, steps, features)
        loss = ((model(sequences) - 0.5) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    inputs = torch.randn(4, steps, features)
    dynamic_axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(model, inputs[:1], name + ".onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes=dynamic_axes)
    record_outputs(model, inputs, name + "_outputs.json")


def set_first_initial_state(source, target, value):
    """Rewrites the zero constant that the first recurrent cell's initial state is expanded from."""
    model = onnx.load(source)
    expand = next(node for node in model.graph.node if node.name == "/rnn/Expand")
    constant = next(node for node in model.graph.node if node.op_type == "Constant" and node.output[0] == expand.input[0])
    zeros = onnx.numpy_helper.to_array(constant.attribute[0].t)
    constant.attribute[0].t.CopyFrom(onnx.numpy_helper.from_array(zeros + value))
    onnx.save(model, target)


def vary_first_cell(source):
    """Variants of the first recurrent cell: its zero state as an initializer (imports), and sequence lengths (rejected)."""
    model = onnx.load(source)
    cell = next(node for node in model.graph.node if node.name == "/rnn/RNN")
    producers = {output: node for node in model.graph.node for output in node.output}
    computed, pending = set(), [cell.input[5]]
    while pending:
        node = producers.get(pending.pop())
        if node is not None and node.op_type != "Transpose" and id(node) not in computed:
            computed.add(id(node))
            pending.extend(node.input)
    for node in [node for node in model.graph.node if id(node) in computed]:
        model.graph.node.remove(node)
    model.graph.initializer.append(onnx.numpy_helper.from_array(numpy.zeros((1, 1, 5), numpy.float32), "h0"))
    cell.input[5] = "h0"
    onnx.save(model, "torch_rnn_zero_initializer.onnx")
    model.graph.initializer.append(onnx.numpy_helper.from_array(numpy.array([4], numpy.int32), "lengths"))
    cell.input[4] = "lengths"
    onnx.save(model, "torch_rnn_lengths.onnx")


def main():
    model = build_model(17)
    model.eval()
    inputs = torch.randn(5, 4)
    torch.onnx.export(model, inputs[:1], "torch_mlp.onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    record_outputs(model, inputs, "torch_mlp_onnx_outputs.json")
    export_cnn()
    torch.manual_seed(11)
    export_recurrent(TorchStackedRecurrent(), 5, 2, "torch_lstm_gru", dynamic_batch=True)
    torch.manual_seed(12)
    export_recurrent(TorchStackedRnn(), 4, 3, "torch_rnn", dynamic_batch=False)
    torch.manual_seed(13)
    export_recurrent(TorchTwoLayerLstm(), 5, 2, "torch_lstm2", dynamic_batch=True)
    torch.manual_seed(14)
    export_recurrent(TorchConvLstm(), 2, 9, "torch_conv_lstm", dynamic_batch=True)
    set_first_initial_state("torch_rnn.onnx", "torch_rnn_h0.onnx", 0.5)
    vary_first_cell("torch_rnn.onnx")
    export_upsampling()


if __name__ == "__main__":
    main()

"""Writes torch_mlp.onnx and torch_mlp_onnx_outputs.json, torch_cnn.onnx, torch_cnn.safetensors and
torch_cnn_outputs.json for OnnxTests.

The PyTorch float32 stack of make_safetensors_fixture.py (Linear(4,8) -> Tanh -> Linear(8,6) ->
LeakyReLU(0.1) -> Linear(6,3) -> Softmax), seeded differently, exported with torch.onnx.export at
opset 17 (each Linear becomes a Gemm with transB=1), and its outputs on fixed inputs.

The CNN is the C# test network TorchCnn (Serialization/InteropNetworks.cs): Conv2d(1,4,3,padding=1) -> ReLU ->
BatchNorm2d(4) -> MaxPool2d(2) -> Conv2d(4,6,2,stride=2,bias=False) -> Tanh -> Flatten -> Linear(24,8) ->
BatchNorm1d(8) -> Linear(8,3) -> Softmax, its modules named as DeepPhys names the layers. A few training steps
move the running statistics away from 0 and 1 first. It is exported in PRESERVE mode of an eval-mode model, so
BatchNormalization nodes stay in the graph with the running statistics (EVAL mode would fold a batch norm that
follows a convolution into it); its state_dict (without num_batches_tracked) is saved as safetensors.

Run by hand: /usr/bin/python3 make_onnx_fixture.py (in this folder).
"""
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


def main():
    model = build_model(17)
    model.eval()
    inputs = torch.randn(5, 4)
    torch.onnx.export(model, inputs[:1], "torch_mlp.onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    record_outputs(model, inputs, "torch_mlp_onnx_outputs.json")
    export_cnn()


if __name__ == "__main__":
    main()

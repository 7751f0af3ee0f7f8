"""Writes torch_conv_transpose.onnx and torch_conv_transpose_outputs.json for OnnxTests: PyTorch's own export of a
rectangular Conv2d and MaxPool2d and of two ConvTranspose2d, imported into the declared TorchConvTranspose
(Serialization/InteropNetworks.cs):

Conv2d(1, 4, (3, 5), stride=(1, 2)) -> ReLU -> MaxPool2d((1, 2)) -> ConvTranspose2d(4, 2, 4, stride=2, padding=1) -> Tanh
-> ConvTranspose2d(2, 1, (1, 3), stride=(1, 3)), on [1, 6, 11] images: [4, 4, 4], [4, 4, 2], [2, 8, 4], [1, 8, 12].

PyTorch's padding=1 of a 4 × 4 kernel at stride 2 crops one row and column on each side of the full output, which is
Keras's 'same' there (max(4 − 2, 0) = 2 split evenly), so the declaration says Padding.Same; the last layer is 'valid'.
The weights are PyTorch's random initial ones.

Run by hand: /usr/bin/python3 make_onnx_window_fixture.py (in this folder).
"""
import torch

from make_safetensors_fixture import record_outputs


class TorchConvTranspose(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv2d = torch.nn.Conv2d(1, 4, (3, 5), stride=(1, 2))
        self.conv2d_transpose = torch.nn.ConvTranspose2d(4, 2, 4, stride=2, padding=1)
        self.conv2d_transpose_1 = torch.nn.ConvTranspose2d(2, 1, (1, 3), stride=(1, 3))

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv2d(x)), (1, 2))
        return torch.flatten(self.conv2d_transpose_1(torch.tanh(self.conv2d_transpose(x))), 1)


def main():
    torch.manual_seed(11)
    model = TorchConvTranspose().eval()
    inputs = torch.randn(4, 1, 6, 11)
    torch.onnx.export(model, inputs[:1], "torch_conv_transpose.onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    record_outputs(model, inputs, "torch_conv_transpose_outputs.json")


if __name__ == "__main__":
    main()

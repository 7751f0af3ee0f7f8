"""Writes torch_mlp.onnx and torch_mlp_onnx_outputs.json for OnnxTests.

The PyTorch float32 stack of make_safetensors_fixture.py (Linear(4,8) -> Tanh -> Linear(8,6) ->
LeakyReLU(0.1) -> Linear(6,3) -> Softmax), seeded differently, exported with torch.onnx.export at
opset 17 (each Linear becomes a Gemm with transB=1), and its outputs on fixed inputs.

Run by hand: /usr/bin/python3 make_onnx_fixture.py (in this folder).
"""
import torch

from make_safetensors_fixture import build_model, record_outputs


def main():
    model = build_model(17)
    model.eval()
    inputs = torch.randn(5, 4)
    torch.onnx.export(model, inputs[:1], "torch_mlp.onnx", opset_version=17, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    record_outputs(model, inputs, "torch_mlp_onnx_outputs.json")


if __name__ == "__main__":
    main()

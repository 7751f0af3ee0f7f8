"""Writes torch_mlp.safetensors and torch_mlp_outputs.json for SafeTensorsTests.

A PyTorch float32 stack Linear(4,8) -> Tanh -> Linear(8,6) -> LeakyReLU(0.1) -> Linear(6,3) -> Softmax,
its state_dict renamed to the layer names of the declared network (0 -> dense, 2 -> dense_1,
4 -> dense_2), saved in the safetensors format and its outputs recorded on fixed inputs. The
format is written with struct and json (the `safetensors` package is not installed here); with it,
`safetensors.torch.save_file(tensors, path)` writes the same layout.

Run by hand: /usr/bin/python3 make_safetensors_fixture.py (in this folder).
"""
import json
import struct

import torch


def save_safetensors(tensors, path, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def build_model(seed):
    """The stack the C# test network TorchMlp declares, with PyTorch's default initialisation from seed."""
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(4, 8), torch.nn.Tanh(),
        torch.nn.Linear(8, 6), torch.nn.LeakyReLU(0.1),
        torch.nn.Linear(6, 3), torch.nn.Softmax(dim=-1))


def record_outputs(model, inputs, path):
    """Writes the inputs and the model's outputs on them, flattened row-major, as JSON."""
    with torch.no_grad():
        outputs = model(inputs)
    with open(path, "w") as f:
        json.dump({"inputs": inputs.flatten().tolist(), "outputs": outputs.flatten().tolist()}, f, indent=1)


def main():
    model = build_model(8)
    names = {"0": "dense", "2": "dense_1", "4": "dense_2"}
    state = {names[key.split(".")[0]] + "." + key.split(".")[1]: value for key, value in model.state_dict().items()}
    save_safetensors(state, "torch_mlp.safetensors", {"source": "make_safetensors_fixture.py"})

    record_outputs(model, torch.randn(5, 4), "torch_mlp_outputs.json")


if __name__ == "__main__":
    main()

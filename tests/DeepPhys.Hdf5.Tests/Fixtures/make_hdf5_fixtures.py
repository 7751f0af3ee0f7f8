"""Writes the HDF5 fixtures of DeepPhys.Hdf5.Tests with h5py, as a physicist's notebook would, and the exact
values they hold (hdf5_fixtures.json), so the tests compare what the reader returns against h5py's view.
Run by hand from this folder with Debian's h5py: apt-get install -y python3-h5py; /usr/bin/python3 make_hdf5_fixtures.py
"""
import json

import h5py
import numpy as np

rng = np.random.default_rng(19)
values = {}


def keep(name, array):
    values[name] = {"shape": list(array.shape), "values": array.reshape(-1).tolist()}
    return array


# A feature table [N, F] (float32, contiguous) with integer class labels 0, 1, 2, 10, 11: numeric, not text, order.
with h5py.File("table.h5", "w") as f:
    f["features"] = keep("table/features", rng.normal(size=(7, 3)).astype(np.float32))
    f["labels"] = keep("table/labels", np.array([0, 10, 2, 1, 11, 2, 0], dtype=np.int64))
    f["energy"] = keep("table/energy", rng.uniform(1, 100, size=7).astype(np.float64))
    f["train/features"] = keep("table/train/features", rng.normal(size=(7, 3)).astype(np.float32))
    f["half"] = keep("table/half", np.array([0.5, -1.5, 2.25, 1000, 0.099975586, -3, 65504], dtype=np.float16))
    f["names"] = np.array([b"a", b"b", b"c", b"d", b"e", b"f", b"g"])            # not numeric
    f["short_labels"] = np.array([0, 1, 0], dtype=np.int64)                      # 3 samples, not 7

# Jet constituents [N, 19, 4] in float64, gzip-compressed chunks of 4 jets, one-hot float32 labels, also gzip.
with h5py.File("jets.h5", "w") as f:
    f.create_dataset("jets", data=keep("jets/jets", rng.normal(size=(10, 19, 4))), chunks=(4, 19, 4), compression="gzip", compression_opts=4)
    onehot = np.eye(3, dtype=np.float32)[rng.integers(0, 3, size=10)]
    f.create_dataset("labels", data=keep("jets/labels", onehot), chunks=(4, 3), compression="gzip")

# Keras-style images [N, H, W, C] (channels last) of uint8 pixels with int32 labels missing class 2 of 0..2.
with h5py.File("images.h5", "w") as f:
    f.create_dataset("images", data=keep("images/images", rng.integers(0, 256, size=(5, 3, 2, 2)).astype(np.uint8)), chunks=(2, 3, 2, 2))
    f["y"] = keep("images/y", np.array([1, 0, 1, 1, 0], dtype=np.int32))

with open("not_hdf5.h5", "w") as f:
    f.write("features,labels\n1,0\n")

with open("hdf5_fixtures.json", "w") as f:
    json.dump(values, f)

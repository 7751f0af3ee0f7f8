#!/usr/bin/env python3
"""Writes metric_fixtures.json: predictions (with many tied scores) and what scikit-learn makes of them.

Run by hand, not by CI (Debian: apt-get install python3-sklearn; use /usr/bin/python3):
    cd tests/DeepPhys.Runtime.Tests/Fixtures && /usr/bin/python3 make_metric_fixtures.py

Written with scikit-learn 1.2.1 and NumPy 1.24.2. Conventions the C# side must reproduce:
- a sample is called signal when score >= threshold (roc_curve's meaning of a threshold);
- roc_curve with drop_intermediate True (the default) and False; scikit-learn 1.2 writes the
  first threshold as max(score) + 1 (1.3 and later: +inf), so only thresholds[1:] are stored;
- "at_mistag": the largest TPR among the points of the full curve (drop_intermediate=False)
  with FPR <= the target, and its threshold (no interpolation);
- "best": argmax of Youden's J = TPR - FPR over the full curve (the first, strictest, on ties).
"""
import json

import numpy as np
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, mean_absolute_error,
                             mean_squared_error, precision_score, r2_score, recall_score,
                             roc_auc_score, roc_curve)

rng = np.random.default_rng(20261124)
MISTAG_TARGETS = [0.0, 0.05, 0.1, 0.3, 1.0]


def binary_case(name, scores, labels, threshold):
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    predicted = (scores >= threshold).astype(np.int64)
    fpr, tpr, thr = roc_curve(labels, scores)
    full_fpr, full_tpr, full_thr = roc_curve(labels, scores, drop_intermediate=False)
    at_mistag = []
    for target in MISTAG_TARGETS:
        allowed = np.flatnonzero(full_fpr <= target)
        best = allowed[np.argmax(full_tpr[allowed])]
        at_mistag.append({"mistag_target": target, "threshold_index": int(best),
                          "efficiency": full_tpr[best], "mistag": full_fpr[best]})
    youden = int(np.argmax(full_tpr - full_fpr))
    return {
        "name": name,
        "scores": scores.tolist(),
        "labels": labels.tolist(),
        "threshold": threshold,
        "accuracy": accuracy_score(labels, predicted),
        "precision": precision_score(labels, predicted),
        "recall": recall_score(labels, predicted),
        "specificity": recall_score(labels, predicted, pos_label=0),
        "f1": f1_score(labels, predicted),
        "confusion": confusion_matrix(labels, predicted).ravel().tolist(),
        "confusion_fractions": confusion_matrix(labels, predicted, normalize="true").ravel().tolist(),
        "fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds_after_first": thr[1:].tolist(),
        "full_fpr": full_fpr.tolist(), "full_tpr": full_tpr.tolist(), "full_thresholds_after_first": full_thr[1:].tolist(),
        "auc": roc_auc_score(labels, scores),
        "at_mistag": at_mistag,
        "best_threshold_index": youden,
    }


binary = []
# Scores on a 0.1 grid: many ties, several of them mixing signal and background.
labels = rng.integers(0, 2, 300)
binary.append(binary_case("grid_ties", np.round(np.clip(rng.normal(0.35 + 0.3 * labels, 0.2), 0, 1), 1), labels, 0.5))
# Sigmoid outputs rounded to float32, as a float network writes them, with a few exact repeats.
labels = rng.integers(0, 2, 1000)
scores = (1 / (1 + np.exp(-rng.normal(1.5 * labels - 0.75, 1.0)))).astype(np.float32).astype(np.float64)
scores[::7] = scores[3]
binary.append(binary_case("float32_sigmoid", scores, labels, 0.3))
# Hand-made: straight runs that drop_intermediate removes, a tie across classes at the top.
binary.append(binary_case("collinear_runs",
                          [0.95, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05],
                          [1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0], 0.5))

# Three classes: softmax of logits on a 0.5 grid, so scores tie within each column.
labels = rng.integers(0, 3, 240)
logits = np.round(rng.normal(0, 1.2, (240, 3)) + 1.5 * np.eye(3)[labels], 0) / 2
probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
multiclass = {
    "scores": probabilities.ravel().tolist(),
    "labels": labels.tolist(),
    "per_class_auc": [roc_auc_score(labels == c, probabilities[:, c]) for c in range(3)],
    "macro_auc": roc_auc_score(labels, probabilities, multi_class="ovr", average="macro"),
    "confusion": confusion_matrix(labels, probabilities.argmax(axis=1)).ravel().tolist(),
    "confusion_fractions": confusion_matrix(labels, probabilities.argmax(axis=1), normalize="true").ravel().tolist(),
}

truth = rng.normal(50, 10, 400)
prediction = truth + rng.normal(0, 3, 400)
truth2 = rng.normal(0, 1, (100, 2))
prediction2 = truth2 * [0.9, 1.1] + rng.normal(0, 0.3, (100, 2))
regression = [
    {"outputs": 1, "truth": truth.tolist(), "prediction": prediction.tolist(),
     "mse": mean_squared_error(truth, prediction), "mae": mean_absolute_error(truth, prediction), "r2": r2_score(truth, prediction)},
    {"outputs": 2, "truth": truth2.ravel().tolist(), "prediction": prediction2.ravel().tolist(),
     "mse": mean_squared_error(truth2, prediction2), "mae": mean_absolute_error(truth2, prediction2), "r2": r2_score(truth2, prediction2)},
]

with open("metric_fixtures.json", "w") as f:
    json.dump({"binary": binary, "multiclass": multiclass, "regression": regression}, f)
print("wrote metric_fixtures.json:", [c["name"] for c in binary], "auc", [round(c["auc"], 4) for c in binary],
      "macro auc", round(multiclass["macro_auc"], 4))

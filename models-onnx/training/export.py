"""ONNX export of the fitted models and ONNX Runtime scoring.

Every graph takes one float32 input named ``features`` of shape
``[N, n_features]`` with raw feature values (NaN for missing), because the
imputer and scaler are inside the graph.
"""

import hashlib

import numpy as np
import onnxruntime as ort
from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
from skl2onnx import convert_sklearn, update_registered_converter
from skl2onnx.common.data_types import FloatTensorType
from skl2onnx.common.shape_calculator import calculate_linear_classifier_output_shapes
from xgboost import XGBClassifier

INPUT_NAME = "features"

# ai.onnx 17 and ai.onnx.ml 3 are both supported by ONNX Runtime 1.23.2, the
# release the Java gateway loads; the converters may emit lower versions.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}

update_registered_converter(
    XGBClassifier,
    "XGBoostXGBClassifier",
    calculate_linear_classifier_output_shapes,
    convert_xgboost,
    options={"nocl": [True, False], "zipmap": [True, False, "columns"]},
)


def to_onnx(model, n_features, classifier):
    """Convert a fitted pipeline or XGBoost classifier to an ONNX model.

    Classifiers are converted with ``zipmap`` off, so they output ``label``
    ``[N]`` int64 and ``probabilities`` ``[N, 2]`` float32 (column 1 is the
    home win). Ridge outputs ``variable`` ``[N, 1]`` float32.
    """
    options = {id(model): {"zipmap": False}} if classifier else None
    return convert_sklearn(
        model,
        initial_types=[(INPUT_NAME, FloatTensorType([None, n_features]))],
        target_opset=TARGET_OPSET,
        options=options,
    )


def sha256_of(path):
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_session(path):
    """Return a single-threaded CPU ONNX Runtime session for a model file."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def run_session(session, x, classifier):
    """Return the home-win probability (classifier) or margin (ridge) from ONNX Runtime."""
    outputs = session.run(None, {INPUT_NAME: np.asarray(x, dtype=np.float32)})
    if classifier:
        return outputs[1][:, 1].astype(np.float64)
    return outputs[0].reshape(-1).astype(np.float64)


def describe_outputs(session):
    """Return name, element type and shape of every session output."""
    return [
        {"name": output.name, "type": output.type, "shape": [d if isinstance(d, int) else "N" for d in output.shape]}
        for output in session.get_outputs()
    ]

"""Training, ONNX export and reporting for the Script Ohio Gateway game models."""

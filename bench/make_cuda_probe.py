#!/usr/bin/env python3
"""Writes src/main/resources/onnx/cuda-probe.onnx: the graph moodtag runs once on CUDA before trusting it.

A convolution (cuDNN) and a matrix product (cuBLAS) on a fixed 1x1x8x8 input, with fixed weights: on a GPU node
where the CUDA provider loads but a cuDNN or cuBLAS part is missing, ONNX Runtime creates sessions and fails only at
the first run of such an operator (seen on an H200 with cuDNN's engine sub-libraries incomplete:
CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED), so moodtag runs this before any object. Needs the onnx package (tools
only; the product never runs Python). Run from the repository root.
"""
import math
import onnx
from onnx import TensorProto, helper

conv_w = [math.sin(0.37 * i) for i in range(4 * 1 * 3 * 3)]
mat_b = [math.cos(0.11 * i) for i in range(256 * 8)]
graph = helper.make_graph(
    [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
     helper.make_node("Relu", ["c"], ["r"]),
     helper.make_node("Reshape", ["r", "shape"], ["f"]),
     helper.make_node("MatMul", ["f", "b"], ["y"])],
    "moodtag-cuda-probe",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 8, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])],
    initializer=[helper.make_tensor("w", TensorProto.FLOAT, [4, 1, 3, 3], conv_w),
                 helper.make_tensor("shape", TensorProto.INT64, [2], [1, 256]),
                 helper.make_tensor("b", TensorProto.FLOAT, [256, 8], mat_b)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="moodtag")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, "src/main/resources/onnx/cuda-probe.onnx")
print("wrote src/main/resources/onnx/cuda-probe.onnx")

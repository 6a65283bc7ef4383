"""Exports the paper's encoder architectures (arXiv 2402.07327) with RANDOM weights, for benchmarks only.

BERT-base (text), wav2vec2-base (speech) and VideoMAE-base (16 frames, 224x224, video) are built from their
transformers config objects (no download; the real weights cannot be had here, and cost does not depend on
weights), saved in Hugging Face format (what the Python peer loads with from_pretrained), exported to ONNX FP32
and quantized to INT8 with onnxruntime's dynamic quantization: MatMul/Gemm only (the speech model MatMul only:
its convolutional front end gets slower when quantized, and ORT Java has no ConvInteger kernel for int8 weights).
Writes two moodtag pack manifests (pack-fp32.json, pack-int8.json) with the files' sha256 beside them, so moodtag
loads these models through its real pack loader and encoders.

VideoMAE's self-attention is rewritten into ONNX Runtime's fused MultiHeadAttention op (com.microsoft) before
quantization, in both precisions: the exported graph computes it as MatMul, Softmax, MatMul over 1,568 tokens, which
dynamic quantization leaves in FP32 and which was most of the INT8 model's time. The rewrite is exact (FP32 outputs
identical to the unfused export); ONNX Runtime's own transformer optimizer does not recognise this export's pattern.

Usage: python bench/export_paper_models.py OUT_DIR TOKENIZER_JSON
Never commit OUT_DIR (bench/.models/ is ignored).
"""
import hashlib
import json
import os
import shutil
import sys

import onnx
import torch
from onnx import helper
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import (BertConfig, BertModel, VideoMAEConfig, VideoMAEModel, Wav2Vec2Config,
                          Wav2Vec2Model)

OPSET = 17


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class BertByName(torch.nn.Module):
    """Positional ONNX inputs mapped to keyword arguments (BertModel.forward's positional order changed in 5.x)."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids).last_hidden_state


def export(model, args, path, inputs, dynamic):
    torch.onnx.export(model, args, path, input_names=inputs, output_names=["last_hidden_state"],
                      dynamic_axes=dynamic, opset_version=OPSET, dynamo=False)


def fuse_attention(path, heads):
    """Rewrites each Q/K/V reshape-transpose, scaled Q.K^T, Softmax, .V and merge-heads chain into one
    com.microsoft.MultiHeadAttention node in place; returns how many were fused (0 leaves the file untouched)."""
    m = onnx.load(path)
    g = m.graph
    producer = {o: n for n in g.node for o in n.output}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def split_heads(mul):  # Mul(scale) <- Transpose <- Reshape <- projection output
        transpose = producer[mul.input[0]]
        reshape = producer[transpose.input[0]]
        return [mul, transpose, reshape], reshape.input[0]

    replaced, fused = {}, []
    for softmax in [n for n in g.node if n.op_type == "Softmax"]:
        try:
            qk = producer[softmax.input[0]]
            (av,) = consumers[softmax.output[0]]
            q_nodes, q = split_heads(producer[qk.input[0]])
            k_nodes, k = split_heads(producer[qk.input[1]])
            v_transpose = producer[av.input[1]]
            v_reshape = producer[v_transpose.input[0]]
            v = v_reshape.input[0]
            (merge,) = [c for c in consumers[av.output[0]] if c.op_type == "Transpose"]
            (out,) = [c for c in consumers[merge.output[0]] if c.op_type == "Reshape"]
            if [qk.op_type, av.op_type] != ["MatMul", "MatMul"] or q_nodes[0].op_type != "Mul":
                return 0
        except (KeyError, ValueError):
            return 0
        # The two Mul constants are each head_dim^-1/4: together the default 1/sqrt(head_dim) the op applies.
        node = helper.make_node("MultiHeadAttention", [q, k, v], [out.output[0]], domain="com.microsoft",
                                name=f"attention_{len(fused)}", num_heads=heads)
        for n in q_nodes + k_nodes + [v_transpose, v_reshape, qk, softmax, av, merge, out]:
            replaced[id(n)] = None
        replaced[id(out)] = node
        fused.append(node)
    nodes = [replaced.get(id(n), n) for n in g.node if replaced.get(id(n), n) is not None]
    outputs = {o.name for o in g.output}
    while True:  # drop what only fed the removed nodes (the old reshapes' shape arithmetic)
        used = {i for n in nodes for i in n.input} | outputs
        kept = [n for n in nodes if any(o in used for o in n.output)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    del g.node[:]
    g.node.extend(nodes)
    if not any(o.domain == "com.microsoft" for o in m.opset_import):
        m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(m, path)
    return len(fused)


def main(out, tokenizer):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    specs = []

    bert = BertModel(BertConfig(), add_pooling_layer=False).eval()  # bert-base-uncased shape, vocab 30522
    ids = torch.ones(1, 16, dtype=torch.long)
    specs.append(("bert-base", BertByName(bert), (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                  ["input_ids", "attention_mask", "token_type_ids"],
                  {n: {0: "batch", 1: "seq"} for n in ["input_ids", "attention_mask", "token_type_ids"]}
                  | {"last_hidden_state": {0: "batch", 1: "seq"}}, ["MatMul", "Gemm"]))

    w2v = Wav2Vec2Model(Wav2Vec2Config()).eval()  # wav2vec2-base: 7 conv layers, 12 x 768 transformer
    specs.append(("wav2vec2-base", w2v, (torch.randn(1, 16000),), ["input_values"],
                  {"input_values": {0: "batch", 1: "samples"}, "last_hidden_state": {0: "batch", 1: "frames"}},
                  ["MatMul"]))

    vmae = VideoMAEModel(VideoMAEConfig()).eval()  # VideoMAE-base: 16 frames, 224^2, tubelet 2, 12 x 768
    specs.append(("videomae-base", vmae, (torch.randn(1, 16, 3, 224, 224),), ["pixel_values"],
                  {"pixel_values": {0: "batch"}, "last_hidden_state": {0: "batch"}}, ["MatMul", "Gemm"]))

    for name, model, args, inputs, dynamic, ops in specs:
        getattr(model, "bert", model).save_pretrained(os.path.join(out, "hf", name))
        fp32 = os.path.join(out, name + ".onnx")
        int8 = os.path.join(out, name + ".int8.onnx")
        with torch.no_grad():
            export(model, args, fp32, inputs, dynamic)
        if name == "videomae-base":
            print(f"{name}: {fuse_attention(fp32, 12)} attention blocks fused into MultiHeadAttention", flush=True)
        # Shape inference cannot type the com.microsoft op's output; everything it feeds is FP32.
        quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, op_types_to_quantize=ops,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        print(f"{name}: {os.path.getsize(fp32) / 1e6:.0f} MB fp32, {os.path.getsize(int8) / 1e6:.0f} MB int8",
              flush=True)
    shutil.copyfile(tokenizer, os.path.join(out, "tokenizer.json"))

    def entry(path, **extra):
        # the size lets commands that do not hash the models (status, tag --publish) still tell a file cut short
        full = os.path.join(out, path)
        return {"path": path, "sha256": sha256(full), "size": os.path.getsize(full), **extra}

    def variants(name):
        return [entry(name + ".int8.onnx", precision="int8"), entry(name + ".onnx", precision="fp32")]

    tok = entry("tokenizer.json")
    for precision in ["fp32", "int8"]:
        pack = {
            "format": 2, "id": "paper-architectures-" + precision, "version": "bench",
            "description": "RANDOM-weight BERT-base, wav2vec2-base and VideoMAE-base (arXiv 2402.07327's encoders) "
                           "exported by bench/export_paper_models.py, for cost benchmarks only: outputs mean nothing.",
            "encoders": [
                {"id": "text-bert-base", "modality": "text", "kind": "bert-text", "precision": precision,
                 "files": {"model": variants("bert-base"), "tokenizer": tok},
                 "inputs": {"inputIds": "input_ids", "attentionMask": "attention_mask",
                            "tokenTypeIds": "token_type_ids"},
                 "outputs": {"hidden": "last_hidden_state"},
                 "params": {"pooling": "cls", "normalize": False, "maxTokens": 512},
                 "dim": 768, "licence": "none (random weights)", "source": "bench/export_paper_models.py"},
                {"id": "speech-wav2vec2-base", "modality": "speech", "kind": "wav2vec2", "precision": precision,
                 "files": {"model": variants("wav2vec2-base")},
                 "inputs": {"audio": "input_values"}, "outputs": {"hidden": "last_hidden_state"},
                 "params": {"vad": False, "chunkSeconds": 20},
                 "dim": 1536, "licence": "none (random weights)", "source": "bench/export_paper_models.py"},
                {"id": "video-videomae-base", "modality": "video", "kind": "videomae", "precision": precision,
                 "files": {"model": variants("videomae-base")},
                 "inputs": {"pixels": "pixel_values"}, "outputs": {"hidden": "last_hidden_state"},
                 "params": {"frames": 16, "size": 224},
                 "dim": 768, "licence": "none (random weights)", "source": "bench/export_paper_models.py"},
            ],
        }
        with open(os.path.join(out, f"pack-{precision}.json"), "w") as f:
            json.dump(pack, f, indent=2)
    print("wrote", out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])

"""The peer: the paper's stack (BERT-base, wav2vec2-base, VideoMAE-base) as a Python user runs it, transformers +
PyTorch FP32 on the CPU, on the same utterance as `moodtag bench`. Benchmark tooling only, never a product part.

What it does per utterance, in sequence as a notebook would:
  decode   PyAV (FFmpeg): audio resampled to 16 kHz mono float; every video frame decoded, one frame per 1/5 s
           kept (the same 5 fps sampling as moodtag) and converted to RGB at most 640 px on the long side (the
           same size moodtag converts to); the transcript read from the .txt beside the file.
  text     the model's tokenizer (same tokenizer.json as moodtag), BertModel, CLS token.
  speech   Wav2Vec2FeatureExtractor (zero mean, unit variance), Wav2Vec2Model, mean + std over frames.
  video    16 frames sampled uniformly from the 5 fps frames, shorter side resized to 224 and centre-cropped
           (torch, bilinear with antialias), ImageNet normalisation, VideoMAEModel, mean over tokens.
No fusion or classifier: the paper's SVM costs microseconds and moodtag's is timed on the shipped pack only.

Usage: python bench/peer.py MODELS_DIR MEDIA_FILE --json OUT.json [--threads 2] [--runs 20] [--warmup 3]
"""
import argparse
import json
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor

import av
import numpy as np
import torch
import torch.nn.functional as F
from transformers import (BertModel, PreTrainedTokenizerFast, VideoMAEModel, Wav2Vec2FeatureExtractor,
                          Wav2Vec2Model)

FPS = 5.0
MAX_SIDE = 640
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def decode(path):
    pcm, frames = [], []
    with av.open(path) as c:
        streams = [s for s in (c.streams.audio[:1] + c.streams.video[:1])]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=16000)
        next_t = 0.0
        for packet in c.demux(streams):
            for frame in packet.decode():
                if isinstance(frame, av.AudioFrame):
                    for r in resampler.resample(frame):
                        pcm.append(r.to_ndarray().reshape(-1))
                elif frame.time is not None and frame.time + 1e-6 >= next_t:
                    scale = min(1.0, MAX_SIDE / max(frame.width, frame.height))
                    w, h = round(frame.width * scale), round(frame.height * scale)
                    frames.append(frame.to_ndarray(format="rgb24", width=w, height=h))
                    next_t += 1 / FPS
        for r in resampler.resample(None):
            pcm.append(r.to_ndarray().reshape(-1))
    txt = os.path.splitext(path)[0] + ".txt"
    text = open(txt).read().strip() if os.path.exists(txt) else None
    return np.concatenate(pcm).astype(np.float32), frames, text


class Paper:
    def __init__(self, models):
        hf = os.path.join(models, "hf")
        self.tokenizer = PreTrainedTokenizerFast(tokenizer_file=os.path.join(models, "tokenizer.json"))
        self.bert = BertModel.from_pretrained(os.path.join(hf, "bert-base"), add_pooling_layer=False).eval()
        self.features = Wav2Vec2FeatureExtractor(do_normalize=True, sampling_rate=16000)
        self.wav2vec2 = Wav2Vec2Model.from_pretrained(os.path.join(hf, "wav2vec2-base")).eval()
        self.videomae = VideoMAEModel.from_pretrained(os.path.join(hf, "videomae-base")).eval()

    @torch.inference_mode()
    def text(self, text):
        enc = self.tokenizer(text, return_tensors="pt", truncation=True, max_length=512)
        return self.bert(**enc).last_hidden_state[0, 0]

    @torch.inference_mode()
    def speech(self, pcm):
        x = self.features(pcm, sampling_rate=16000, return_tensors="pt").input_values
        h = self.wav2vec2(x).last_hidden_state[0]
        return torch.cat([h.mean(0), h.std(0, unbiased=False)])

    @torch.inference_mode()
    def video(self, frames, t=16, size=224):
        idx = [min(len(frames) - 1, int((k + 0.5) * len(frames) / t)) for k in range(t)]
        x = torch.from_numpy(np.stack([frames[i] for i in idx])).permute(0, 3, 1, 2).float()
        h, w = x.shape[-2:]
        s = size / min(h, w)
        x = F.interpolate(x, size=(max(size, round(h * s)), max(size, round(w * s))), mode="bilinear",
                          antialias=True, align_corners=False)
        top, left = (x.shape[-2] - size) // 2, (x.shape[-1] - size) // 2
        x = x[:, :, top:top + size, left:left + size]
        x = (x / 255 - MEAN) / STD
        return self.videomae(x.unsqueeze(0)).last_hidden_state[0].mean(0)


def one(paper, path, stages=None):
    t0 = time.perf_counter()
    pcm, frames, text = decode(path)
    t1 = time.perf_counter()
    out = {"text-bert-base": paper.text(text)}
    t2 = time.perf_counter()
    out["speech-wav2vec2-base"] = paper.speech(pcm)
    t3 = time.perf_counter()
    out["video-videomae-base"] = paper.video(frames)
    t4 = time.perf_counter()
    if stages is not None:
        for k, v in [("decode", t1 - t0), ("text-bert-base", t2 - t1), ("speech-wav2vec2-base", t3 - t2),
                     ("video-videomae-base", t4 - t3)]:
            stages.setdefault(k, []).append(v * 1000)
    return out, (t4 - t0) * 1000


def summary(ms):
    s = sorted(ms)
    q = lambda p: s[max(0, min(len(s) - 1, int(np.ceil(p * len(s))) - 1))]
    return {"p50": q(0.5), "p95": q(0.95)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models")
    ap.add_argument("file")
    ap.add_argument("--json", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--concurrency", default="1,2,4")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    t0 = time.perf_counter()
    paper = Paper(a.models)
    load_ms = (time.perf_counter() - t0) * 1000
    _, cold_ms = one(paper, a.file)
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for _ in range(a.warmup):
        one(paper, a.file)
    stages, e2e = {}, []
    for _ in range(a.runs):
        emb, ms = one(paper, a.file, stages)
        e2e.append(ms)
    throughput, loaded = {}, {}
    for c in [int(x) for x in a.concurrency.split(",")]:
        n = max(a.runs, 3 * c)
        with ThreadPoolExecutor(c) as pool:
            t = time.perf_counter()
            lat = [ms for _, ms in pool.map(lambda _: one(paper, a.file), range(n))]
            throughput[str(c)] = n / (time.perf_counter() - t)
        loaded[str(c)] = summary(lat)["p50"]
    result = {
        "label": "peer: transformers %s + PyTorch %s FP32" % (__import__("transformers").__version__,
                                                              torch.__version__),
        "pack": "paper architectures (random weights)", "file": os.path.basename(a.file),
        "cores": os.cpu_count(), "intraOpThreads": str(a.threads), "loadMs": load_ms, "coldMs": cold_ms,
        "stages": {k: summary(v) for k, v in stages.items()}, "e2e": summary(e2e), "throughput": throughput,
        "p50UnderConcurrency": loaded, "rssAfterLoadMb": rss_after_load,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "embeddings": {k: v.float().numpy().tolist() for k, v in emb.items()},
    }
    with open(a.json, "w") as f:
        json.dump(result, f, indent=1)
    print(f"peer: load {load_ms:.0f} ms, first {cold_ms:.0f} ms, e2e p50 {result['e2e']['p50']:.0f} ms, "
          f"stages {json.dumps({k: round(v['p50']) for k, v in result['stages'].items()})}")


if __name__ == "__main__":
    main()

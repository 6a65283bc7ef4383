#!/usr/bin/env python3
"""Recording-condition copies of the 4-class clips of target/datasets/speech-pooled.csv, for idea A of *Noise and
reverberation copies, and windows* in TRAINING.md (the rule is there): per clip, additive white/pink/brown noise at
20 dB and 10 dB SNR (n20, n10) and a synthetic room response (rev). Writes, per training corpus, the manifests
speech-pooled-augC-CORPUS.csv (all three copies), -augCn- (n20 + n10) and -augCr- (rev), as
perturbed_manifests.py writes its own. Test clips are never copied; every random draw is seeded with the copy's id.
numpy for the signal work (development tooling only); FFmpeg (JavaCV's, see perturbed_manifests.py) decodes.

usage: FFMPEG=/path/to/ffmpeg bench/channel_manifests.py   (from the repository root)
"""
import csv, hashlib, os, subprocess, wave
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from perturbed_manifests import DATASETS, FOUR_CLASS, RATE, write_manifests

COPIES = ("n20", "n10", "rev")
FRAME = RATE // 50  # 20 ms


def rng_for(copy_id):
    return np.random.default_rng(int.from_bytes(hashlib.sha256(copy_id.encode()).digest()[:8], "little"))


def speech_power(x):
    """Mean power of the 20 ms frames within 30 dB of the loudest, so that leading silence does not lower it."""
    n = len(x) // FRAME
    if n == 0:
        return float(np.mean(x * x)) if len(x) else 0.0
    p = np.mean(x[:n * FRAME].reshape(n, FRAME) ** 2, axis=1)
    return float(np.mean(p[p >= p.max() * 1e-3]))


def coloured_noise(rng, n, exponent):
    """Noise of n samples whose power falls as 1/f^exponent (0 white, 1 pink, 2 brown), unit power; shaped in the
    frequency domain, flat below 20 Hz so brown noise does not drift."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.maximum(np.fft.rfftfreq(n, 1 / RATE), 20.0)
    noise = np.fft.irfft(spectrum / f ** (exponent / 2), n)
    return noise / np.sqrt(np.mean(noise * noise))


def add_noise(x, rng, snr_db):
    exponent = rng.integers(0, 3)
    noise = coloured_noise(rng, len(x), exponent)
    return x + noise * np.sqrt(speech_power(x) / 10 ** (snr_db / 10)), ("white", "pink", "brown")[exponent]


def reverberate(x, rng):
    rt60 = rng.uniform(0.3, 0.8)
    drr_db = rng.uniform(0.0, 6.0)
    t = np.arange(int(rt60 * RATE)) / RATE
    tail = rng.standard_normal(len(t)) * np.exp(-6.91 * t / rt60)
    tail[t < 0.005] = 0.0
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail * tail))
    h = tail
    h[0] = 1.0
    n = len(x) + len(h) - 1
    size = 1 << (n - 1).bit_length()
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(h, size), size)[:len(x)]
    return y, f"RT60 {rt60:.2f} s, DRR {drr_db:.1f} dB"


def decode(ffmpeg, env, source):
    pcm = subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-i", source, "-ac", "1", "-ar", str(RATE),
                          "-f", "f32le", "-"], check=True, env=env, capture_output=True).stdout
    return np.frombuffer(pcm, dtype="<f4").astype(np.float64)


def write_wav(path, y):
    peak = np.max(np.abs(y)) if len(y) else 0.0
    if peak > 0.99:
        y = y * (0.99 / peak)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".part"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.round(y * 32767).astype("<i2").tobytes())
    os.replace(tmp, path)


def main():
    ffmpeg = os.environ["FFMPEG"]
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(ffmpeg))
    rows = list(csv.DictReader(open(os.path.join(DATASETS, "speech-pooled.csv"))))
    clips = [r for r in rows if r["label"] in FOUR_CLASS]
    out_of = {(r["id"], c): f"target/aug/C/{r['group'].replace(':', '_')}/{r['id']}~{c}.wav"
              for r in clips for c in COPIES}

    def copy(r):
        todo = [c for c in COPIES if not os.path.exists(out_of[r["id"], c])]
        if not todo:
            return
        x = decode(ffmpeg, env, os.path.normpath(os.path.join(DATASETS, r["audio"])))
        for c in todo:
            rng = rng_for(f"{r['id']}~{c}")
            y, _ = reverberate(x, rng) if c == "rev" else add_noise(x, rng, int(c[1:]))
            write_wav(out_of[r["id"], c], y)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(copy, clips))
    for name, chosen in (("augC", COPIES), ("augCn", ("n20", "n10")), ("augCr", ("rev",))):
        write_manifests(rows, [(r, c, out_of[r["id"], c]) for r in clips for c in chosen], name)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Windows of the 4-class clips of target/datasets/speech-pooled.csv, for idea B of *Noise and reverberation copies,
and windows* in TRAINING.md (the rule is there): 1.5 s windows at a 0.75 s hop from 0, plus one ending at the clip's
end where the last stops more than 0.1 s before it; a clip of at most 1.5 s is one window, itself. Windows are cut
from the clip decoded to 16 kHz mono (the rate the encoders read), written as 16-bit PCM.

Writes, per test corpus T, target/datasets/speech-pooled-win-test-T.csv: the other corpus's windows (they train),
T's windows (ids `CLIP~wK`, scored) and T's clips as they are (scored too, for the whole-clip sensitivity figure).
Each window carries its clip's label and group. bench/window_scores.py turns the report's predictions into
per-utterance figures.

usage: FFMPEG=/path/to/ffmpeg bench/window_manifests.py   (from the repository root)
"""
import csv, os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from channel_manifests import decode, write_wav
from perturbed_manifests import DATASETS, FOUR_CLASS, RATE

WINDOW, HOP, SLACK = int(1.5 * RATE), int(0.75 * RATE), int(0.1 * RATE)


def window_starts(n):
    if n <= WINDOW:
        return [0]
    starts = list(range(0, n - WINDOW + 1, HOP))
    if n - (starts[-1] + WINDOW) > SLACK:
        starts.append(n - WINDOW)
    return starts


def main():
    ffmpeg = os.environ["FFMPEG"]
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(ffmpeg))
    rows = list(csv.DictReader(open(os.path.join(DATASETS, "speech-pooled.csv"))))
    clips = [r for r in rows if r["label"] in FOUR_CLASS]

    def cut(r):
        folder = f"target/aug/W/{r['group'].replace(':', '_')}"
        x = decode(ffmpeg, env, os.path.normpath(os.path.join(DATASETS, r["audio"])))
        windows = []
        for k, s in enumerate(window_starts(len(x))):
            out = f"{folder}/{r['id']}~w{k}.wav"
            if not os.path.exists(out):
                write_wav(out, np.clip(x[s:s + WINDOW], -1.0, 1.0))
            windows.append((f"{r['id']}~w{k}", out))
        return r, windows

    with ThreadPoolExecutor(2) as pool:
        cut_clips = list(pool.map(cut, clips))
    columns = ["id", "audio", "label", "group"]
    for test in ("emodb", "ravdess"):
        path = os.path.join(DATASETS, f"speech-pooled-win-test-{test}.csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=columns)
            w.writeheader()
            for r, windows in cut_clips:
                for wid, out in windows:
                    w.writerow({"id": wid, "audio": os.path.relpath(out, DATASETS), "label": r["label"],
                                "group": r["group"]})
                if r["group"].startswith(test + ":"):
                    w.writerow({k: r[k] for k in columns})
        print(path, sum(len(ws) for _, ws in cut_clips), "windows")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Perturbed copies of the 4-class training clips of target/datasets/speech-pooled.csv, for the speed and pitch
perturbation measurement in TRAINING.md (*Cross-corpus speech*). Writes one manifest per variant and training corpus:
every row of speech-pooled.csv, plus the copies of that corpus's clips, each copy in its source clip's group so that
grouped folds keep it with its source. Test clips are never copied. Stdlib only; the audio is perturbed by an FFmpeg
executable (JavaCV's FFmpeg jar carries one: unzip it and point FFMPEG at org/bytedeco/ffmpeg/linux-x86_64/ffmpeg).

usage: FFMPEG=/path/to/ffmpeg bench/perturbed_manifests.py   (from the repository root, after
       `./moodtag train --dataset speech-pooled` has written target/datasets/speech-pooled.csv)
"""
import csv, os, subprocess
from concurrent.futures import ThreadPoolExecutor

RATE = 16000
VARIANTS = {  # name -> [(suffix, FFmpeg audio filter)]
    "S": [("sp0.9", f"asetrate={RATE * 0.9:f},aresample={RATE}"),
          ("sp1.1", f"asetrate={RATE * 1.1:f},aresample={RATE}")],
    "P": [("pu2", f"asetrate={RATE * 2 ** (2 / 12):f},aresample={RATE},atempo={2 ** (-2 / 12):f}"),
          ("pd2", f"asetrate={RATE * 2 ** (-2 / 12):f},aresample={RATE},atempo={2 ** (2 / 12):f}")],
}
FOUR_CLASS = {"neutral", "happy", "happiness", "sad", "sadness", "angry", "anger"}
DATASETS = "target/datasets"


def main():
    ffmpeg = os.environ["FFMPEG"]
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(ffmpeg))
    rows = list(csv.DictReader(open(os.path.join(DATASETS, "speech-pooled.csv"))))
    jobs, copies = [], {v: [] for v in VARIANTS}
    for variant, perturbations in VARIANTS.items():
        for r in rows:
            if r["label"] not in FOUR_CLASS:
                continue
            source = os.path.normpath(os.path.join(DATASETS, r["audio"]))
            for suffix, audio_filter in perturbations:
                out = f"target/aug/{variant}/{r['group'].replace(':', '_')}/{r['id']}~{suffix}.wav"
                jobs.append((source, out, audio_filter))
                copies[variant].append((r, suffix, out))

    def perturb(job):
        source, out, audio_filter = job
        if os.path.exists(out):
            return
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", source, "-af", audio_filter,
                        "-ac", "1", "-ar", str(RATE), "-c:a", "pcm_s16le", out], check=True, env=env)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(perturb, jobs))
    for variant in VARIANTS:
        write_manifests(rows, copies[variant], f"aug{variant}")


def write_manifests(rows, copies, name):
    """One manifest per training corpus, target/datasets/speech-pooled-NAME-CORPUS.csv: every row of speech-pooled.csv,
    plus the copies [(source row, suffix, wav path)] of that corpus's clips, each in its source clip's group."""
    columns = ["id", "audio", "label", "group"]
    for corpus in ("emodb", "ravdess"):
        path = os.path.join(DATASETS, f"speech-pooled-{name}-{corpus}.csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=columns)
            w.writeheader()
            for r in rows:
                w.writerow({k: r[k] for k in columns})
            for r, suffix, out in copies:
                if r["group"].startswith(corpus + ":"):
                    w.writerow({"id": f"{r['id']}~{suffix}", "audio": os.path.relpath(out, DATASETS),
                                "label": r["label"], "group": r["group"]})
        print(path)


if __name__ == "__main__":
    main()

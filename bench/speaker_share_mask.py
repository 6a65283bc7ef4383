#!/usr/bin/env python3
"""The speaker-share feature masks of TRAINING.md (*Features that name the speaker, dropped*): reads the default
pack's cached speech features for target/datasets/speech-pooled.csv (read by bench/feature_cache.py; key =
sha256 of "file:audio\\n" + the clip's bytes, as FeatureExtractor computes it) and writes precomputed-feature
manifests: all features, and per test corpus the features whose speaker share on the *training* corpus is at most
0.33, 0.5 and 0.67. Tools only (numpy).

usage: bench/speaker_share_mask.py EMBEDDING.bin FUNCTIONALS.bin OUT_DIR
       (the .bin files: target/feature-cache/speech-oww-embedding/<fp>.bin, .../speech-functionals/<fp>.bin)
"""
import csv, os, sys
import numpy as np

from feature_cache import CLASSES, speech_pooled
DATASETS = "target/datasets"


def speaker_share(X, groups, labels, train):
    """mean(a_s^2) / (mean(a_s^2) + mean(e_c^2)) per feature, from speaker-by-class cell means of z-scored features."""
    ok = train & ~np.isnan(X).any(1)
    Z = X[ok]
    sd = Z.std(0)
    Z = (Z - Z.mean(0)) / np.where(sd > 0, sd, 1)
    spk, lab = groups[ok], labels[ok]
    M = np.array([[Z[(spk == s) & (lab == c)].mean(0) for c in CLASSES] for s in sorted(set(spk))])
    grand = M.mean((0, 1))
    ve = ((M.mean(0) - grand) ** 2).mean(0)
    va = ((M.mean(1) - grand) ** 2).mean(0)
    return va / (va + ve)


def main():
    ids, labels, groups, pairs = speech_pooled(sys.argv[1], sys.argv[2], DATASETS)
    out_dir = sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    rows_e = [None if e is None else np.array(e, dtype=np.float64) for e, _ in pairs]
    rows_f = [None if f is None else np.array(f, dtype=np.float64) for _, f in pairs]
    de = next(len(v) for v in rows_e if v is not None)
    df = next(len(v) for v in rows_f if v is not None)
    X = np.hstack([np.array([v if v is not None else np.full(de, np.nan) for v in rows_e]),
                   np.array([v if v is not None else np.full(df, np.nan) for v in rows_f])])
    blocks = ["speech-oww-embedding"] * de + ["speech-functionals"] * df
    groups, labels = np.array(groups), np.array(labels)
    corpus = np.array([g.split(":")[0] for g in groups])

    def write(name, mask):
        cols, seen = ["id", "label", "group"], {}
        for j in np.flatnonzero(mask):
            k = seen.get(blocks[j], 0)
            seen[blocks[j]] = k + 1
            cols.append(f"feat.speech.{blocks[j]}.{k}")
        with open(os.path.join(out_dir, name), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(cols)
            for i in range(len(ids)):
                w.writerow([ids[i], labels[i], groups[i]] + ["" if np.isnan(X[i, j]) else repr(float(np.float32(X[i, j])))
                                                            for j in np.flatnonzero(mask)])

    write("all.csv", np.ones(len(blocks), bool))
    for test in ("ravdess", "emodb"):
        share = speaker_share(X, groups, labels, corpus != test)
        for t in (0.33, 0.5, 0.67):
            mask = share <= t
            print(f"test {test}, share <= {t}: {int(mask[:de].sum())} of {de} embedding, "
                  f"{int(mask[de:].sum())} of {df} functionals kept")
            write(f"mask-{t}-test-{test}.csv", mask)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Gender-dependent standardisation of the speech features, measured for TRAINING.md (*Standardised per gender*):
reads the default pack's cached speech features for target/datasets/speech-pooled.csv (bench/feature_cache.py) and
writes precomputed-feature manifests for the two leave-one-corpus-out directions. Training rows are standardised with
the training corpus's statistics of their own (known) gender; test rows with those of the gender a logistic
regression, fitted on the training corpus, predicts for them (servable: one utterance is enough), or, with --oracle,
of their true gender (the upper bound, not servable). Prints the cross-corpus accuracy of the gender predictor.
Tools only (numpy).

usage: bench/gender_standardised.py EMBEDDING.bin FUNCTIONALS.bin OUT_DIR [--oracle]
"""
import csv, os, sys
import numpy as np

from feature_cache import speech_pooled

EMODB_FEMALE = {"08", "09", "13", "14", "16"}  # EmoDB's documentation; RAVDESS: even actor numbers are female
DATASETS = "target/datasets"


def logistic(Z, y, steps=500, rate=0.5, l2=1.0):
    w, b = np.zeros(Z.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        w -= rate * (Z.T @ (p - y) + l2 * w) / len(y)
        b -= rate * (p - y).mean()
    return w, b


def main():
    out_dir, oracle = sys.argv[3], "--oracle" in sys.argv[4:]
    os.makedirs(out_dir, exist_ok=True)
    ids, labels, groups, pairs = speech_pooled(sys.argv[1], sys.argv[2], DATASETS)
    rows = [None if e is None or f is None else np.r_[e, f] for e, f in pairs]
    width = next(len(v) for v in rows if v is not None)
    de = next(len(e) for e, _ in pairs if e is not None)
    X = np.array([v if v is not None else np.full(width, np.nan) for v in rows], dtype=np.float64)
    ok = ~np.isnan(X).any(1)
    corpus = np.array([g.split(":")[0] for g in groups])
    speaker = [g.split(":")[1] for g in groups]
    female = np.array([s in EMODB_FEMALE if c == "emodb" else int(s[-2:]) % 2 == 0 for c, s in zip(corpus, speaker)])
    cols = ["id", "label", "group"] + [f"feat.speech.speech-oww-embedding.{j}" if j < de
                                       else f"feat.speech.speech-functionals.{j - de}" for j in range(width)]
    for test in ("ravdess", "emodb"):
        train, held = (corpus != test) & ok, (corpus == test) & ok
        sd = X[train].std(0)
        Z = (X - X[train].mean(0)) / np.where(sd > 0, sd, 1)
        w, b = logistic(Z[train], female[train].astype(float))
        predicted = (np.nan_to_num(Z) @ w + b) > 0
        print(f"test {test}: gender predicted right for {(predicted[held] == female[held]).mean():.3f} of its clips")
        gender = np.where(corpus != test, female, female if oracle else predicted)
        Y = X.copy()
        for g in (False, True):
            ref = train & (female == g)
            sd = X[ref].std(0)
            rows_g = ok & (gender == g)
            Y[rows_g] = (X[rows_g] - X[ref].mean(0)) / np.where(sd > 0, sd, 1)
        name = f"gender{'-oracle' if oracle else ''}-test-{test}.csv"
        with open(os.path.join(out_dir, name), "w", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(cols)
            for i in range(len(ids)):
                out.writerow([ids[i], labels[i], groups[i]]
                             + ([""] * width if not ok[i] else [repr(float(np.float32(v))) for v in Y[i]]))


if __name__ == "__main__":
    main()

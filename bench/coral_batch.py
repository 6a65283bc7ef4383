#!/usr/bin/env python3
"""CORAL over a batch on top of speech standardised over a batch, measured for TRAINING.md (*CORAL over a batch*):
reads the default pack's cached speech features for target/datasets/speech-pooled.csv (bench/feature_cache.py) and
writes precomputed-feature manifests that `moodtag train --normalise none --fusion late` scores as the per-speaker
("fourth") part served over a batch. Tools only (numpy).

Every manifest holds the training corpus's four-class rows standardised per speaker (what `--normalise speaker` does,
GroupStandardiser's rule: each block with its own mean and population deviation) and test rows standardised over
their batch (`moodtag tag --speech-over-batch`); the batches are bench/batch-speech-served.sh's (the test corpus's
four-class rows in speech-pooled.csv's order, shuffled by random.Random(7), cut in runs of N). CORAL (Sun et al.
2016) then, per block, whitens each batch with its own covariance, shrunk towards the identity,
(1 - a) S + a (tr S / d) I, and re-colours it with the covariance of the training rows (population, unshrunk): the
batch's second moments become the training rows'. Per block because a late-fusion part reads each block with its own
SVM. The shrinkage a is a fixed number or "lw", each batch's Ledoit-Wolf estimate.

usage:
  coral_batch.py EMBEDDING.bin FUNCTIONALS.bin OUT_DIR test  SIZE... [--shrink TEST:SIZE=A ...]
      OUT/utterance-<test>.csv (nothing standardised: the plain part reading each clip alone, the first pass) and
      OUT/<how>-<test>-<size>.csv per test corpus and batch size: how = batch (standardised over the batch: the
      served baseline) and, for each --shrink, coral-<a> (the batch standardised, then CORAL with shrinkage a)
  coral_batch.py EMBEDDING.bin FUNCTIONALS.bin OUT_DIR inner SIZE... --candidates A,A,...
      the shrinkage chosen on the training corpus alone: its speakers in name order dealt to 3 folds; per fold, the
      other two folds' rows as training rows (groups fit:<speaker>), this fold's rows cut into pseudo-batches of SIZE
      (seed 7; all = the fold's rows as one batch), standardised over them and CORAL'd with the training rows'
      covariance (groups held:<batch>, scored with --folds corpus:held). OUT/inner-<train>-f<k>-<size>-<how>.csv,
      how = batch or coral-<a>.
  coral_batch.py choose OUT_DIR A,A,... SIZE...
      the inner table from OUT/r-inner-* report folders and the chosen shrinkages as --shrink arguments
  coral_batch.py score REPORT_DIR...
      UA (WA) and recall pooled over the report folders' predictions
SIZE is a number of clips or all (the whole corpus, or the whole fold, as one batch). bench/coral-batch.sh runs it all.
"""
import csv, os, random, sys
import numpy as np

from feature_cache import speech_pooled

DATASETS = "target/datasets"
CORPORA = ("emodb", "ravdess")
INNER_FOLDS = 3


def standardise(X):
    """GroupStandardiser over the rows of X: population deviation, 1 where a dimension is constant."""
    sd = X.std(0)
    return (X - X.mean(0)) / np.where(sd > 1e-12, sd, 1)


def ledoit_wolf(Z):
    """Ledoit and Wolf's (2004) shrinkage towards (tr S / d) I for centred rows Z (sklearn's ledoit_wolf_shrinkage)."""
    n, d = Z.shape
    Z2 = Z ** 2
    trace = Z2.sum(0) / n
    mu = trace.sum() / d
    beta_ = (Z2.T @ Z2).sum()
    delta_ = ((Z.T @ Z) ** 2).sum() / n ** 2
    beta = (beta_ / n - delta_) / (d * n)
    delta = (delta_ - 2 * mu * trace.sum() + d * mu ** 2) / d
    beta = min(beta, delta)
    return 0.0 if beta == 0 else beta / delta


def sqrt_psd(S, inverse=False):
    w, V = np.linalg.eigh(S)
    w = np.clip(w, 0, None)
    if inverse:
        w = np.where(w > 1e-12, 1 / np.sqrt(np.where(w > 1e-12, w, 1)), 0)
    else:
        w = np.sqrt(w)
    return (V * w) @ V.T


def coral(Z, target_root, shrink):
    """Z (a batch's rows, standardised over it) whitened by its own shrunk covariance, re-coloured by the target's."""
    n, d = Z.shape
    S = Z.T @ Z / n
    a = ledoit_wolf(Z) if shrink == "lw" else float(shrink)
    S = (1 - a) * S + a * (np.trace(S) / d) * np.eye(d)
    return Z @ sqrt_psd(S, inverse=True) @ target_root, a


class Features:
    def __init__(self, emb_bin, fun_bin):
        self.ids, self.labels, self.groups, pairs = speech_pooled(emb_bin, fun_bin, DATASETS)
        self.blocks = []  # per block: (name, rows x dim with NaN rows where missing)
        for k, name in enumerate(("speech-oww-embedding", "speech-functionals")):
            dim = next(len(p[k]) for p in pairs if p[k] is not None)
            self.blocks.append((name, np.array([p[k] if p[k] is not None else [np.nan] * dim for p in pairs],
                                               dtype=np.float64)))
        self.corpus = np.array([g.split(":")[0] for g in self.groups])
        self.speaker = np.array(self.groups)

    def columns(self):
        return [f"feat.speech.{name}.{j}" for name, X in self.blocks for j in range(X.shape[1])]

    def per_group(self, rows, keys, how):
        """Per block, the given rows (indices) standardised within each key's rows that have the block; how(Z, block)
        is then applied to each key's standardised rows (None: standardisation alone). Returns {row: [vectors]}."""
        out = {i: [None] * len(self.blocks) for i in rows}
        for b, (_, X) in enumerate(self.blocks):
            for key in dict.fromkeys(keys):
                mine = [i for i, k in zip(rows, keys) if k == key and not np.isnan(X[i]).any()]
                if not mine:
                    continue
                Z = standardise(X[mine])
                if how is not None:
                    Z = how(Z, b)
                for i, z in zip(mine, Z):
                    out[i][b] = z
        return out

    def write(self, path, rows, groups, vectors):
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "label", "group"] + self.columns())
            for i, g in zip(rows, groups):
                cells = []
                for b, (_, X) in enumerate(self.blocks):
                    v = vectors[i][b]
                    cells += [""] * X.shape[1] if v is None else [repr(float(np.float32(x))) for x in v]
                w.writerow([self.ids[i], self.labels[i], g] + cells)


def batches(rows, size, prefix):
    """bench/batch-speech-served.sh's batches: rows shuffled by random.Random(7), cut in runs of size."""
    rows = list(rows)
    random.Random(7).shuffle(rows)
    n = len(rows) if size == "all" else int(size)
    return rows, [f"{prefix}:c{j // n}" for j in range(len(rows))]


def target_roots(f, train_rows, per_speaker):
    """Per block, the square root of the training rows' covariance after their per-speaker standardisation."""
    roots = []
    for b, (_, X) in enumerate(f.blocks):
        T = np.array([per_speaker[i][b] for i in train_rows if per_speaker[i][b] is not None])
        roots.append(sqrt_psd(T.T @ T / len(T)))
    return roots


def shrinkages_used(log, how_name, used):
    if used:
        log.write(f"{how_name}: shrinkage per batch min {min(used):.3f} median {np.median(used):.3f} max {max(used):.3f}"
                  f" over {len(used)} batch-blocks\n")


def run_test(f, out_dir, sizes, shrinks, log):
    for test in CORPORA:
        train = [i for i in range(len(f.ids)) if f.corpus[i] != test]
        held = [i for i in range(len(f.ids)) if f.corpus[i] == test]
        fit = f.per_group(train, f.speaker[train], None)
        roots = target_roots(f, train, fit)
        # The first pass: the plain part (nothing standardised per group) reading each clip alone
        raw = {i: [None if np.isnan(X[i]).any() else X[i] for _, X in f.blocks] for i in train + held}
        f.write(os.path.join(out_dir, f"utterance-{test}.csv"), train + held,
                list(f.speaker[train]) + list(f.speaker[held]), raw)
        for size in sizes:
            order, groups = batches(held, size, test)
            variants = {"batch": None}
            for s in shrinks.get((test, size), []):
                variants[f"coral-{s}"] = s
            for how_name, s in variants.items():
                used = []

                def how(Z, b, s=s, used=used):
                    y, a = coral(Z, roots[b], s)
                    used.append(a)
                    return y

                tested = f.per_group(order, groups, None if s is None else how)
                name = f"{how_name}-{test}-{size}"
                f.write(os.path.join(out_dir, name + ".csv"), train + order, list(f.speaker[train]) + groups,
                        {**fit, **tested})
                shrinkages_used(log, name, used)


def run_inner(f, out_dir, sizes, candidates, log):
    for train_corpus in CORPORA:
        mine = [i for i in range(len(f.ids)) if f.corpus[i] == train_corpus]
        speakers = sorted(set(f.speaker[mine]))
        for k in range(INNER_FOLDS):
            out_speakers = set(speakers[k::INNER_FOLDS])
            held = [i for i in mine if f.speaker[i] in out_speakers]
            fit_rows = [i for i in mine if f.speaker[i] not in out_speakers]
            fit = f.per_group(fit_rows, f.speaker[fit_rows], None)
            roots = target_roots(f, fit_rows, fit)
            fit_groups = ["fit:" + f.speaker[i].split(":")[1] for i in fit_rows]
            for size in sizes:
                order, groups = batches(held, size, "held")
                for c in ["batch"] + candidates:
                    used = []

                    def how(Z, b, c=c, used=used):
                        y, a = coral(Z, roots[b], c)
                        used.append(a)
                        return y

                    tested = f.per_group(order, groups, None if c == "batch" else how)
                    name = f"inner-{train_corpus}-f{k}-{size}-{'batch' if c == 'batch' else 'coral-' + c}"
                    f.write(os.path.join(out_dir, name + ".csv"), fit_rows + order, fit_groups + groups,
                            {**fit, **tested})
                    shrinkages_used(log, name, used)


def score(report_dirs):
    """4-class UA, WA and recall n / h / s / a pooled over the test rows of the reports' predictions CSVs."""
    classes = ["neutral", "happy", "sad", "angry"]
    hits, counts, n_right, n = {c: 0 for c in classes}, {c: 0 for c in classes}, 0, 0
    for d in report_dirs:
        for r in csv.DictReader(open(next(os.path.join(d, p) for p in sorted(os.listdir(d))
                                          if p.startswith("predictions-") and p.endswith(".csv")))):
            counts[r["truth"]] += 1
            hits[r["truth"]] += r["truth"] == r["predicted"]
            n_right += r["truth"] == r["predicted"]
            n += 1
    recall = [100 * hits[c] / counts[c] for c in classes]
    return sum(recall) / 4, 100 * n_right / n, recall


def choose(out_dir, sizes, candidates):
    """The inner table (pooled over the 3 folds) and the chosen shrinkage per training corpus and size: the highest
    inner UA among the CORAL candidates, ties to the larger shrinkage (lw last); printed as --shrink arguments."""
    chosen = []
    print("| training corpus | batch size | " + " | ".join(["batch standardised"] + [f"CORAL a={c}" for c in candidates])
          + " | chosen |")
    print("|---" * (len(candidates) + 4) + "|")
    for train_corpus in CORPORA:
        test = next(c for c in CORPORA if c != train_corpus)
        for size in sizes:
            uas = {}
            for c in ["batch"] + candidates:
                how = "batch" if c == "batch" else "coral-" + c
                uas[c] = score([os.path.join(out_dir, f"r-inner-{train_corpus}-f{k}-{size}-{how}")
                                for k in range(INNER_FOLDS)])[0]
            best = max(candidates, key=lambda c: (round(uas[c], 6), c != "lw", float(c) if c != "lw" else 0))
            chosen.append(f"{test}:{size}={best}")
            print(f"| {train_corpus} | {size} | " + " | ".join(f"{uas[c]:.1f}" for c in ["batch"] + candidates)
                  + f" | {best} |")
    print("--shrink " + " ".join(chosen))


def main():
    if sys.argv[1] == "score":
        ua, wa, recall = score(sys.argv[2:])
        print(f"{ua:.1f} ({wa:.1f}) | " + " / ".join(f"{r:.1f}" for r in recall))
        return
    if sys.argv[1] == "choose":
        out_dir, candidates = sys.argv[2], sys.argv[3].split(",")
        choose(out_dir, sys.argv[4:], candidates)
        return
    emb, fun, out_dir, mode = sys.argv[1:5]
    rest = sys.argv[5:]
    sizes = [a for a in rest if not a.startswith("--") and (a == "all" or a.isdigit())]
    os.makedirs(out_dir, exist_ok=True)
    f = Features(emb, fun)
    with open(os.path.join(out_dir, f"shrinkage-{mode}.log"), "w") as log:
        if mode == "test":
            shrinks = {}
            for a in rest[rest.index("--shrink") + 1:] if "--shrink" in rest else []:
                key, value = a.split("=")
                test, size = key.split(":")
                shrinks.setdefault((test, size), []).append(value)
            run_test(f, out_dir, sizes, shrinks, log)
        elif mode == "inner":
            run_inner(f, out_dir, sizes, rest[rest.index("--candidates") + 1].split(","), log)
        else:
            raise SystemExit("mode must be test or inner")


if __name__ == "__main__":
    main()

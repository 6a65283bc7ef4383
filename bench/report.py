"""Sets the JSON results of `moodtag bench` and bench/peer.py side by side as one Markdown table, with ratios
and embedding cosines, then the interleaved rounds (moodtag INT8 and the peer run alternately) if any.
Usage: python bench/report.py SHIPPED.json PAPER_FP32.json PAPER_INT8.json PEER.json [ROUND_INT8.json ROUND_PEER.json]..."""
import json
import sys

import numpy as np


def load(path):
    with open(path) as f:
        return json.load(f)


def modality_ms(r, modality, q="p50"):
    """Sum of the encoders of one modality (the shipped pack has two speech encoders); None if it has none."""
    ms = [s[q] for k, s in r["stages"].items() if s.get("modality", k.split("-")[0]) == modality]
    return sum(ms) if ms else None


def cos(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def main(shipped, fp32, int8, peer, rounds=()):
    cols = [shipped, fp32, int8, peer]
    names = ["moodtag, shipped pack", "moodtag, paper FP32", "moodtag, paper INT8", "peer: PyTorch FP32"]
    rows = []

    def row(name, get, fmt="{:.0f}", ratio="time"):
        vals = [get(c) for c in cols]
        cells = [fmt.format(v) if v is not None else "–" for v in vals]
        p, i8, f32 = vals[3], vals[2], vals[1]
        if None in (p, i8, f32) or 0 in (i8, f32, p):
            rat = ["–", "–"]
        elif ratio == "time":  # how many times faster (or smaller) moodtag is than the peer
            rat = [f"{p / i8:.2f}×", f"{p / f32:.2f}×"]
        else:  # throughput: how many times more moodtag does
            rat = [f"{i8 / p:.2f}×", f"{f32 / p:.2f}×"]
        rows.append([name] + cells + rat)

    row("model load (ms)", lambda r: r["loadMs"])
    row("first utterance after load (ms)", lambda r: r["coldMs"])
    row("decode p50 (ms)", lambda r: r["stages"]["decode"]["p50"])
    row("text encoder p50 (ms)", lambda r: modality_ms(r, "text"))
    row("speech encoder(s) p50 (ms)", lambda r: modality_ms(r, "speech"))
    row("video encoder p50 (ms)", lambda r: modality_ms(r, "video"))
    row("fusion + SVM p50 (ms)", lambda r: r["stages"].get("fuse+classify", {}).get("p50"), "{:.1f}")
    row("**end to end p50 (ms)**", lambda r: r["e2e"]["p50"])
    row("end to end p95 (ms)", lambda r: r["e2e"]["p95"])
    for c in ["1", "2", "4"]:
        row(f"throughput, concurrency {c} (utt/s)", lambda r, c=c: r["throughput"].get(c), "{:.2f}", "rate")
    row("peak RSS (MB)", lambda r: r["peakRssMb"])

    head = ["", *names, "peer ÷ INT8", "peer ÷ FP32"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    print("Ratios: times and memory are peer ÷ moodtag (above 1 = moodtag faster or smaller); throughput is "
          "moodtag ÷ peer.")
    print()
    print("| encoder | cosine INT8 vs FP32 (moodtag) | cosine moodtag FP32 vs peer |")
    print("|---|---|---|")
    for k, v in fp32["embeddings"].items():
        a = cos(int8["embeddings"][k], v) if k in int8["embeddings"] else float("nan")
        b = cos(peer["embeddings"][k], v) if k in peer["embeddings"] else float("nan")
        print(f"| {k} | {a:.4f} | {b:.4f} |")
    print()
    shipped_e2e = shipped["e2e"]["p50"]
    speedup = peer["e2e"]["p50"] / int8["e2e"]["p50"]
    if rounds:
        # The parts above ran one after another, minutes apart: a drift of the machine's speed lands in their ratio.
        # Alternating the two sides round by round puts both under the same conditions; the median round decides.
        print("Interleaved rounds (moodtag INT8, then the peer, end to end p50 at concurrency 1):")
        print()
        print("| round | moodtag INT8 (ms) | peer (ms) | peer ÷ INT8 |")
        print("|---|---|---|---|")
        ratios = []
        for i, (m, p) in enumerate(rounds, 1):
            ratios.append(p["e2e"]["p50"] / m["e2e"]["p50"])
            print(f"| {i} | {m['e2e']['p50']:.0f} | {p['e2e']['p50']:.0f} | {ratios[-1]:.2f}× |")
        print()
        speedup = float(np.median(ratios))
        print(f"(the sequential parts above give {peer['e2e']['p50'] / int8['e2e']['p50']:.2f}x; the target below uses "
              f"the median of the {len(ratios)} interleaved rounds)")
        print()
    worst = min(cos(int8["embeddings"][k], v) for k, v in fp32["embeddings"].items() if k in int8["embeddings"])
    print(f"Target, paper INT8 >= 2x faster than the PyTorch FP32 peer end to end: {speedup:.2f}x"
          f"{' (median round)' if rounds else ''} -> "
          f"{'MET' if speedup >= 2 else 'NOT MET'}")
    print(f"Target, INT8 embeddings within cosine 0.99 of FP32: worst {worst:.4f} -> "
          f"{'MET' if worst >= 0.99 else 'NOT MET'}")
    print(f"Target, shipped pack under 250 ms end to end: p50 {shipped_e2e:.0f} ms -> "
          f"{'MET' if shipped_e2e < 250 else 'NOT MET'}")


if __name__ == "__main__":
    if len(sys.argv) < 5 or len(sys.argv) % 2 == 0:
        sys.exit(__doc__)
    files = [load(p) for p in sys.argv[1:]]
    main(*files[:4], rounds=list(zip(files[4::2], files[5::2])))

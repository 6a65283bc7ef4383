#!/usr/bin/env python3
"""The recording-level language rule R1 for recognised text (TRAINING.md, "A recording is one language"), scored by
simulation from a statistics file of `moodtag asr-eval --out` over RAVDESS and EmoDB clips. Stdlib only.

A recording is all clips of one speaker (24 RAVDESS actors, 10 EmoDB speakers), a segment is a clip, its verdict the
served gate's (the file's `accepted` column). R1: a recording with at least MIN_SEGMENTS segments with recognised words
and fewer than SHARE of its recognised words in accepted segments has every segment refused. Printed per split
(tuning: RAVDESS actors 01-04, EmoDB speakers 03 and 08; report: the others; all) and corpus: segments accepted
before and after R1, the corpus WER of the accepted English ones, and the verdict of the rule fixed beforehand on
the report split. Then, not for the decision, recordings of 5, 10 and 20 clips of one speaker (each speaker's clips
shuffled with seeds 15-24 and cut in order, the last recording of a speaker shorter): mean and range over the seeds.

usage: recording_gate.py STATS.csv [--share 0.5] [--min-segments 3]
"""
import argparse, csv, os, random, re, sys

TUNING = {'ravdess': {'01', '02', '03', '04'}, 'emodb': {'03', '08'}}
GUARDED = ('=', '+', '-', '@', '\t', '\r')
SIZES = (5, 10, 20)
SEEDS = range(15, 25)


def unguard(v):
    return v[1:] if len(v) > 1 and v[0] == "'" and v[1] in GUARDED else v


def speaker_of(path):
    """(corpus, speaker) from the corpora's file names: RAVDESS Actor_NN/..., EmoDB NNxNNXx.wav."""
    m = re.search(r'Actor_(\d\d)[/\\]', path)
    if m:
        return 'ravdess', m.group(1)
    m = re.match(r'(\d\d)[a-z]\d\d[A-Z][a-z]?\.wav$', os.path.basename(path))
    if m:
        return 'emodb', m.group(1)
    raise SystemExit(f'{path}: neither a RAVDESS (Actor_NN/...) nor an EmoDB (NNxNNXx.wav) clip')


def read(stats):
    clips = []
    with open(stats, newline='') as f:
        rows = csv.DictReader(f)
        missing = {'file', 'accepted', 'words', 'edits', 'reference_words'} - set(rows.fieldnames or [])
        if missing:
            raise SystemExit(f'{stats}: not an asr-eval statistics file (no column {", ".join(sorted(missing))})')
        for line, r in enumerate(rows, 2):
            if r['accepted'] not in ('true', 'false'):
                raise SystemExit(f'{stats} line {line}: accepted is {r["accepted"]!r}, not true or false')
            path = unguard(r['file'])
            corpus, speaker = speaker_of(path)
            clips.append({'file': path, 'corpus': corpus, 'speaker': speaker,
                          'split': 'tuning' if speaker in TUNING[corpus] else 'report',
                          'accepted': r['accepted'] == 'true', 'words': int(r['words']),
                          'edits': int(r['edits']) if r['edits'] else None,
                          'ref_words': int(r['reference_words']) if r['reference_words'] else None})
    return clips


def refused(recording, share, min_segments):
    """R1: whether every segment of the recording loses its recognised text."""
    heard = [c for c in recording if c['words'] > 0]
    m = sum(c['words'] for c in heard)
    n = sum(c['words'] for c in heard if c['accepted'])
    return len(heard) >= min_segments and n < share * m


def after(recordings, share, min_segments):
    """Each clip's verdict under R1, by file, and how many recordings it refused."""
    verdict, count = {}, 0
    for rec in recordings:
        off = refused(rec, share, min_segments)
        count += off
        for c in rec:
            verdict[c['file']] = c['accepted'] and not off
    return verdict, count


def by_speaker(clips):
    groups = {}
    for c in clips:
        groups.setdefault((c['corpus'], c['speaker']), []).append(c)
    return [groups[k] for k in sorted(groups)]


def cut(clips, size, seed):
    recordings = []
    for rec in by_speaker(clips):
        rec = sorted(rec, key=lambda c: c['file'])
        random.Random(f'{seed}/{rec[0]["corpus"]}/{rec[0]["speaker"]}').shuffle(rec)
        recordings += [rec[i:i + size] for i in range(0, len(rec), size)]
    return recordings


def wer(clips, keep):
    edits = sum(c['edits'] for c in clips if keep(c) and c['edits'] is not None)
    words = sum(c['ref_words'] for c in clips if keep(c) and c['ref_words'] is not None)
    return edits, words


def pct(k, n):
    return 100.0 * k / n if n else float('nan')


def groups(clips):
    for split in ('tuning', 'report', 'all'):
        for corpus in ('ravdess', 'emodb'):
            yield split, corpus, [c for c in clips if c['corpus'] == corpus and split in ('all', c['split'])]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('stats')
    ap.add_argument('--share', type=float, default=0.5)
    ap.add_argument('--min-segments', type=int, default=3)
    a = ap.parse_args()
    if not 0 <= a.share <= 1:
        raise SystemExit(f'--share must be in [0, 1], not {a.share}')
    if a.min_segments < 1:
        raise SystemExit(f'--min-segments must be at least 1, not {a.min_segments}')
    clips = read(a.stats)
    speakers = by_speaker(clips)
    verdict, _ = after(speakers, a.share, a.min_segments)
    print(f'{len(clips)} clips, {len(speakers)} recordings (one per speaker); R1: at least {a.min_segments} segments '
          f'with words and under {a.share:g} of the words in accepted segments refuses the recording')
    print(f'{"split":7} {"corpus":8} {"clips":>5} {"recs":>4} {"refused":>7} {"accepted before":>17} '
          f'{"accepted after":>17} {"WER before":>22} {"WER after":>22}')
    table = {}
    for split, corpus, cs in groups(clips):
        recs = {(c['corpus'], c['speaker']) for c in cs}
        off = sum(1 for rec in speakers if (rec[0]['corpus'], rec[0]['speaker']) in recs
                  and refused(rec, a.share, a.min_segments))
        b = sum(c['accepted'] for c in cs)
        f = sum(verdict[c['file']] for c in cs)
        table[split, corpus] = (pct(b, len(cs)), pct(f, len(cs)))
        wb, wa = '', ''
        if corpus == 'ravdess':
            e, w = wer(cs, lambda c: c['accepted'])
            wb = f'{pct(e, w):.2f} % ({e} / {w})'
            e, w = wer(cs, lambda c: verdict[c['file']])
            wa = f'{pct(e, w):.2f} % ({e} / {w})'
        print(f'{split:7} {corpus:8} {len(cs):5} {len(recs):4} {off:7} {pct(b, len(cs)):6.1f} % ({b:4}) '
              f'{pct(f, len(cs)):6.1f} % ({f:4}) {wb:>22} {wa:>22}')
    en_b, en_a = table['report', 'ravdess']
    de_b, de_a = table['report', 'emodb']
    adopted = en_b - en_a <= 1.0 + 1e-9 and de_a < de_b
    print(f'report split: English {en_b:.1f} % -> {en_a:.1f} % (drop {en_b - en_a:.2f} points, at most 1.0 allowed), '
          f'German {de_b:.1f} % -> {de_a:.1f} % (must drop): R1 {"ADOPTED" if adopted else "NOT adopted"}')
    print()
    print('sensitivity (not for the decision): recordings of N clips of one speaker, seeds '
          f'{SEEDS.start}-{SEEDS.stop - 1}: accepted after R1, mean [min-max] over the seeds')
    print(f'{"N":>3} {"split":7} {"corpus":8} {"recs":>5} {"refused recs":>13} {"accepted before":>15} '
          f'{"accepted after":>22} {"WER after (EN)":>22}')
    for size in SIZES:
        runs = []
        for seed in SEEDS:
            recs = cut(clips, size, seed)
            v, _ = after(recs, a.share, a.min_segments)
            runs.append((recs, v))
        for split, corpus, cs in groups(clips):
            names = {c['file'] for c in cs}
            shares, offs, wers, nrecs = [], [], [], []
            for recs, v in runs:
                mine = [r for r in recs if r[0]['file'] in names]
                nrecs.append(len(mine))
                offs.append(sum(refused(r, a.share, a.min_segments) for r in mine))
                shares.append(pct(sum(v[c['file']] for c in cs), len(cs)))
                e, w = wer(cs, lambda c: v[c['file']])
                wers.append(pct(e, w))
            before = pct(sum(c['accepted'] for c in cs), len(cs))
            mean = sum(shares) / len(shares)
            w = f'{sum(wers) / len(wers):.2f} %' if corpus == 'ravdess' else ''
            print(f'{size:3} {split:7} {corpus:8} {nrecs[0]:5} {sum(offs) / len(offs):5.1f} [{min(offs)}-{max(offs)}] '
                  f'{before:13.1f} % {mean:6.1f} % [{min(shares):.1f}-{max(shares):.1f}] {w:>22}')


if __name__ == '__main__':
    sys.exit(main())

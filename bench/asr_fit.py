#!/usr/bin/env python3
"""The best path's acoustic fit as a language signal for the speech-to-text gate (a measurement, TRAINING.md).

  asr_fit.py inputs OUT      lists and audio: the gate's tuning split (RAVDESS actors 01-04, EmoDB speakers 03 and
                             08), 160 synthetic sentences (espeak-ng, 10 German and 10 English sentences, 4 voices, 2
                             rates, 0.5 s of silence each side), and every 4th tuning RAVDESS clip through a telephone
                             band (300-3400 Hz), resampled to 8 kHz, with pink noise and with an echo (FFmpeg, FFMPEG)
  asr_fit.py fit TSV ...     quantiles of the best path's log-likelihood per 30 ms frame, per group
  asr_fit.py gate TSV        the served gate (mean word confidence >= 0.9) per group, with the WER of RAVDESS clips
  asr_fit.py trade NBEST... MBR...
                             the best path's fit as a second gate condition: its threshold at the 5th percentile of
                             the RAVDESS clips the served gate accepts (first pair), and what it refuses of the clips
                             the served gate accepts, per n-best TSV (each paired with the MBR TSV of its list)
The TSVs are bench/VoskBestPath.java's output (ALTERNATIVES 3 for `fit`, 0 for `gate`).
"""
import csv, json, os, re, subprocess, sys

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data')
SENTENCES = {'01': 'kids are talking by the door', '02': 'dogs are sitting by the door'}
DE = ['Der Lappen liegt auf dem Eisschrank.', 'Das will sie am Mittwoch abgeben.',
      'Heute abend könnte ich es ihm sagen.', 'Das schwarze Stück Papier befindet sich da oben neben dem Holzstück.',
      'In sieben Stunden wird es soweit sein.', 'Was sind denn das für Tüten, die da unter dem Tisch stehen?',
      'Sie haben es gerade hochgetragen und jetzt gehen sie wieder runter.',
      'An den Wochenenden bin ich jetzt immer nach Hause gefahren und habe Agnes besucht.',
      'Ich will das eben wegbringen und dann mit Karl was trinken gehen.',
      'Die wird auf dem Platz sein, wo wir sie immer hinlegen.']
EN = ['The rag is lying on the fridge.', 'She wants to hand it in on Wednesday.', 'I could tell him this evening.',
      'The black sheet of paper is up there next to the piece of wood.', 'In seven hours it will be time.',
      'What are those bags under the table?', 'They just carried it upstairs and now they are going down again.',
      'At the weekends I always drove home and visited Agnes.',
      'I just want to take this away and then go for a drink with Karl.',
      'It will be in the place where we always put it.']
CHANNELS = {'tel': ['-af', 'highpass=f=300,highpass=f=300,lowpass=f=3400,lowpass=f=3400', '-ar', '16000'],
            '8k': ['-ar', '8000'],
            'noise': ['-filter_complex', 'anoisesrc=color=pink:amplitude=0.003:seed={seed}:sample_rate=16000[n];'
                      '[0:a]aresample=16000[s];[s][n]amix=inputs=2:duration=first:normalize=0', '-ar', '16000'],
            'echo': ['-af', 'aecho=0.8:0.7:40|70|110:0.4|0.3|0.2', '-ar', '16000']}
FRAME_SAMPLES = 480   # one 30 ms frame of the recogniser at 16 kHz
CHANNEL_NAMES = {'tel': 'telephone band', '8k': '8 kHz', 'noise': 'pink noise', 'echo': 'echo'}


def inputs(out):
    ffmpeg = os.environ.get('FFMPEG', 'ffmpeg')
    os.makedirs(out, exist_ok=True)
    rav = [r for r in csv.DictReader(open(os.path.join(SHARED, 'ravdess', 'speech.csv'))) if r['actor'] in ('01', '02', '03', '04')]
    emo = [r for r in csv.DictReader(open(os.path.join(SHARED, 'emodb', 'manifest.csv'))) if r['speaker'] in ('03', '08')]
    tune = [os.path.realpath(os.path.join(SHARED, 'ravdess', r['file'])) for r in rav] + \
           [os.path.realpath(os.path.join(SHARED, 'emodb', r['file'])) for r in emo]
    open(os.path.join(out, 'tune.txt'), 'w').write('\n'.join(tune) + '\n')
    tts = []
    for lang, lines in (('de', DE), ('en', EN)):
        for variant in ('', '+m3', '+f2', '+f4'):
            for rate in ('140', '175'):
                for i, line in enumerate(lines, 1):
                    voice = ('de' if lang == 'de' else 'en-us') + variant
                    raw, wav = os.path.join(out, 'raw.wav'), os.path.join(out, f'tts_{lang}{variant.replace("+", "_")}_{rate}_{i}.wav')
                    subprocess.run(['espeak-ng', '-v', voice, '-s', rate, '-w', raw, line], check=True)
                    subprocess.run([ffmpeg, '-v', 'error', '-y', '-i', raw, '-af', 'adelay=500,apad=pad_dur=0.5',
                                    '-ar', '16000', '-ac', '1', wav], check=True)
                    tts.append(os.path.realpath(wav))
    os.remove(os.path.join(out, 'raw.wav'))
    open(os.path.join(out, 'tts.txt'), 'w').write('\n'.join(tts) + '\n')
    degraded = []
    for n, path in enumerate([p for p in tune if '/ravdess/' in p][::4], 1):
        statement = os.path.basename(path).split('-')[4]
        for kind, args in CHANNELS.items():
            wav = os.path.join(out, f'{kind}_{statement}_{n}.wav')
            subprocess.run([ffmpeg, '-v', 'error', '-y', '-i', path] + [a.format(seed=n) for a in args] +
                           ['-ac', '1', wav], check=True)
            degraded.append(os.path.realpath(wav))
    open(os.path.join(out, 'degraded.txt'), 'w').write('\n'.join(degraded) + '\n')


def group(path):
    name = os.path.basename(path)
    if '/ravdess/' in path: return 'RAVDESS (English)'
    if '/emodb/' in path: return 'EmoDB (German)'
    m = re.match(r'tts_(en|de)', name)
    if m: return 'espeak-ng ' + ('English' if m.group(1) == 'en' else 'German')
    return 'RAVDESS, ' + CHANNEL_NAMES[name.split('_')[0]]


def reference(path):
    name = os.path.basename(path)
    if '/ravdess/' in path: return SENTENCES[name.split('-')[4]]
    if name.split('_')[0] in CHANNELS: return SENTENCES[name.split('_')[1]]
    return None


def rows(tsv):
    for line in open(tsv):
        path, samples, result = line.rstrip('\n').split('\t', 2)
        yield path, int(samples), json.loads(result)


def percentile(values, p):
    v = sorted(values)
    return v[int(p * (len(v) - 1))]


def quantiles(values, ps=(.05, .25, .5, .75, .95)):
    return ' '.join(f'p{int(p * 100)} {percentile(values, p):.2f}' for p in ps)


def best_path_fit(samples, result):
    """The n-best result's best path: total log-likelihood per frame of the clip."""
    return result['alternatives'][0]['confidence'] / (samples / FRAME_SAMPLES)


def mean_confidence(result):
    """The served gate's figure: the mean of the minimum-Bayes-risk result's word confidences."""
    words = result.get('result', [])
    return sum(w['conf'] for w in words) / len(words) if words else 0.0


def fit(tsvs):
    for tsv in tsvs:
        groups = {}
        for path, samples, result in rows(tsv):
            groups.setdefault(group(path), []).append(best_path_fit(samples, result))
        print(os.path.basename(tsv))
        for name, values in groups.items():
            print(f'  {name:32s} n {len(values):4d}  log-likelihood per frame: {quantiles(values)}')


def wer(ref, hyp):
    r, h = ref.split(), hyp.split()
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[:], i
        for j in range(1, len(h) + 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (r[i - 1] != h[j - 1]))
    return d[len(h)], len(r)


def gate(tsv, threshold=0.9):
    groups = {}
    results = list(rows(tsv))
    # the RAVDESS clips `inputs` degrades (every 4th, in list order), as recorded: the degraded rows' baseline
    degraded_sources = set([p for p, _, _ in results if '/ravdess/' in p][::4])
    for path, _, result in results:
        mean = mean_confidence(result)
        ref = reference(path)
        e, n = wer(ref, result.get('text', '')) if ref else (0, 0)
        names = [group(path)] + (['RAVDESS, the degraded clips as recorded'] if path in degraded_sources else [])
        for name in names:
            g = groups.setdefault(name, [0, 0, 0, 0, 0, 0])
            g[0] += 1
            g[3] += e; g[4] += n
            if mean >= threshold:
                g[1] += 1; g[2] += e; g[5] += n
    for name, (total, accepted, e_acc, e_all, n_all, n_acc) in groups.items():
        line = f'{name:32s} accepted at {threshold}: {accepted:4d} of {total:4d} ({100 * accepted / total:.1f} %)'
        if n_all: line += f'; WER {100 * e_all / n_all:.1f} % all, {100 * e_acc / max(n_acc, 1):.1f} % accepted'
        print(line)


def trade(nbest_tsvs, mbr_tsvs, threshold=0.9):
    """Pairs each n-best TSV with the MBR TSV of the same list (its gate verdicts); the fit threshold comes from the
    first pair's RAVDESS clips."""
    cut = None
    for nbest, mbr in zip(nbest_tsvs, mbr_tsvs):
        fit = {p: best_path_fit(n, r) for p, n, r in rows(nbest)}
        accepted = {p for p, _, r in rows(mbr) if mean_confidence(r) >= threshold}
        groups = {}
        for p in sorted(fit):
            if p in accepted: groups.setdefault(group(p), []).append(fit[p])
        if cut is None:
            english = groups['RAVDESS (English)']
            cut = percentile(english, 0.05)
            print(f'threshold: {cut:.3f} per frame (5th percentile of the {len(english)} RAVDESS clips accepted at {threshold})')
        print(os.path.basename(nbest))
        for name, values in groups.items():
            below = sum(v < cut for v in values)
            print(f'  {name:32s} accepted at {threshold}: {len(values):4d}; under the fit threshold: {below:4d} '
                  f'({100 * below / len(values):.1f} %)')


if __name__ == '__main__':
    args = sys.argv[2:]
    {'inputs': lambda: inputs(args[0]), 'fit': lambda: fit(args), 'gate': lambda: gate(args[0]),
     'trade': lambda: trade(args[:len(args) // 2], args[len(args) // 2:])}[sys.argv[1]]()

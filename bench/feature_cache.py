"""Reads moodtag's feature cache (format in dev.moodtag.train.FeatureCache): one file per encoder block and
fingerprint, entries of a 32-byte content hash, a big-endian int n, then n big-endian floats (the vector), or n = -1 and
a Java modified-UTF string (why the modality is missing). Tools only."""
import struct


def entries(path):
    """content hash (hex) -> (vector as a tuple of floats, None) or (None, reason); a torn last entry is left out."""
    out, data, i = {}, open(path, 'rb').read(), 0
    while i + 36 <= len(data):
        key = data[i:i + 32].hex()
        (n,) = struct.unpack('>i', data[i + 32:i + 36])
        i += 36
        if n >= 0:
            if i + 4 * n > len(data):
                break
            out[key] = (struct.unpack('>%df' % n, data[i:i + 4 * n]), None)
            i += 4 * n
        else:
            (length,) = struct.unpack('>H', data[i:i + 2])
            out[key] = (None, data[i + 2:i + 2 + length].decode('utf-8', 'replace'))
            i += 2 + length
    return out


CLASSES = ["neutral", "happy", "sad", "angry"]
CANON = {"happiness": "happy", "sadness": "sad", "anger": "angry"}


def speech_pooled(embedding_bin, functionals_bin, datasets="target/datasets"):
    """The 4-class rows of target/datasets/speech-pooled.csv with the default pack's cached speech features: lists of
    ids, labels, groups, and per row (embedding, functionals) as tuples, or None where the cache has no vector. The key
    is sha256 of "file:audio\\n" + the clip's bytes, as FeatureExtractor computes it."""
    import csv, hashlib, os
    emb, fun = ({k: v for k, (v, _) in entries(f).items()} for f in (embedding_bin, functionals_bin))
    ids, labels, groups, rows = [], [], [], []
    for r in csv.DictReader(open(os.path.join(datasets, "speech-pooled.csv"))):
        label = CANON.get(r["label"], r["label"])
        if label not in CLASSES:
            continue
        path = os.path.normpath(os.path.join(datasets, r["audio"]))
        key = hashlib.sha256(b"file:audio\n" + open(path, "rb").read()).hexdigest()
        ids.append(r["id"]); labels.append(label); groups.append(r["group"])
        rows.append((emb.get(key), fun.get(key)))
    return ids, labels, groups, rows

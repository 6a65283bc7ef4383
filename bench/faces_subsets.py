"""FER-2013 subsets for the faces figures in TRAINING.md ("Faces"). Run from the repository root after
`./moodtag dataset fer2013 faces`; writes, under target/datasets/:

* fer2013-sub.csv: all of PrivateTest (test), a stratified 1,500 of PublicTest (dev), a stratified 8,000 of train;
* fer2013-sub-to-faces.csv: the same train and dev, the whole faces set as test (4-class map applied by --labels);
* pooled-4class.csv: the first 2,000 four-class rows of that train subset + the 1,840 four-class faces rows, all
  train (the shipped video part).

Why subsets: feature extraction of all 35,887 pictures with two nets did not fit in one session on the shared
2-core machine. Deterministic: sorted inputs, seed 14; `models/classifier/rebuild.sh` checks the pooled manifest's
sha256 against the shipped part's training record.
"""
import csv
import hashlib
import io
import random
import sys
from collections import defaultdict

FOUR = {'neutral', 'happy', 'sad', 'angry', 'happiness', 'sadness', 'anger'}


def read(name):
    with open('target/datasets/' + name, newline='') as f:
        r = csv.reader(f)
        return next(r), list(r)


def stratified(rows, n, seed):
    by = defaultdict(list)
    for row in rows:
        by[row[2]].append(row)
    out = []
    for label in sorted(by):
        group = sorted(by[label])
        random.Random(seed).shuffle(group)
        out += group[:round(n * len(group) / len(rows))]
    return sorted(out)


def by_picture_name(row):
    # Sorted by the picture's file name, not by its id: since 21bad4c an id is the picture's path, which starts with
    # its class folder, and taking "the first 2,000 four-class rows" of a list sorted by path took angry and happy
    # only; by file name the classes interleave, as when the shipped video part was trained (manifest 2b9deea3…).
    return row[0].rsplit('/', 1)[-1], row


def csv_bytes(header, rows):
    out = io.StringIO(newline='')
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode()


def write(name, header, rows):
    with open('target/datasets/' + name, 'wb') as f:
        f.write(csv_bytes(header, rows))


header, fer = read('fer2013.csv')  # id,image,label,group,split
test = [r for r in fer if r[4] == 'test']
dev = stratified([r for r in fer if r[4] == 'dev'], 1500, 14)
train = stratified([r for r in fer if r[4] == 'train'], 8000, 14)
write('fer2013-sub.csv', header, test + train + dev)
_, faces = read('faces.csv')  # id,image,label,group
write('fer2013-sub-to-faces.csv', header, train + dev + [[r[0], r[1], r[2], 'faces', 'test'] for r in faces])
fer_four = [r for r in sorted(train, key=by_picture_name) if r[2] in FOUR][:2000]
faces_four = [[r[0], r[1], r[2], 'faces', 'train'] for r in faces if r[2] in FOUR]
write('pooled-4class.csv', header, fer_four + faces_four)
print(f'test {len(test)}, dev {len(dev)}, train {len(train)}, pooled {len(fer_four)} + {len(faces_four)}')

# --expect-sha256 SHA: the pooled manifest must be the one a training record names, as written then: before 21bad4c a
# FER-2013 id was the picture's file name without its folder, so a record of then names those bytes.
if len(sys.argv) == 3 and sys.argv[1] == '--expect-sha256':
    legacy = [[r[0].rsplit('/', 1)[-1]] + r[1:] for r in fer_four]
    now, then = (hashlib.sha256(csv_bytes(header, rows + faces_four)).hexdigest() for rows in (fer_four, legacy))
    if sys.argv[2] not in (now, then):
        sys.exit(f'pooled-4class.csv is {now} ({then} with the ids of before 21bad4c), not {sys.argv[2]}: '
                 'these are not the rows the shipped video part was trained on')
    print(f'pooled-4class.csv: the rows of {sys.argv[2][:12]}')

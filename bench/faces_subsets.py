"""FER-2013 subsets for the faces figures in TRAINING.md ("Faces"). Run from the repository root after
`./moodtag dataset fer2013 faces`; writes, under target/datasets/:

* fer2013-sub.csv: all of PrivateTest (test), a stratified 1,500 of PublicTest (dev), a stratified 8,000 of train;
* fer2013-sub-to-faces.csv: the same train and dev, the whole faces set as test (4-class map applied by --labels);
* pooled-4class.csv: the first 2,000 four-class rows of that train subset + the 1,840 four-class faces rows, all
  train (the shipped video part).

Why subsets: feature extraction of all 35,887 pictures with two nets did not fit in one session on the shared
2-core machine. Deterministic: sorted inputs, seed 14.
"""
import csv
import random
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


def write(name, header, rows):
    with open('target/datasets/' + name, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


header, fer = read('fer2013.csv')  # id,image,label,group,split
test = [r for r in fer if r[4] == 'test']
dev = stratified([r for r in fer if r[4] == 'dev'], 1500, 14)
train = stratified([r for r in fer if r[4] == 'train'], 8000, 14)
write('fer2013-sub.csv', header, test + train + dev)
_, faces = read('faces.csv')  # id,image,label,group
write('fer2013-sub-to-faces.csv', header, train + dev + [[r[0], r[1], r[2], 'faces', 'test'] for r in faces])
fer_four = [r for r in train if r[2] in FOUR][:2000]
faces_four = [[r[0], r[1], r[2], 'faces', 'train'] for r in faces if r[2] in FOUR]
write('pooled-4class.csv', header, fer_four + faces_four)
print(f'test {len(test)}, dev {len(dev)}, train {len(train)}, pooled {len(fer_four)} + {len(faces_four)}')

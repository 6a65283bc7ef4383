#!/usr/bin/env bash
# Rebuilds the shipped classifier (models/classifier) from ../shared/data with the product's own commands.
# Feature extraction is cached in target/feature-cache and resumes after an interruption; every train prints
# progress per fold and grid point. Parts go to target/clf/<modality>, reports to target/reports/<part>.
# The weights are the chance-corrected unweighted accuracy of each part on data it never saw (see README.md here).
set -euo pipefail
cd "$(dirname "$0")/../.."

./moodtag dataset speech-pooled meld fer2013 faces
# The video part's rows must be the shipped part's (its training record names the manifest's sha256): a subset that
# drifts, as one did when FER-2013 ids became paths, would train another part without a word.
# MOODTAG_REBUILD_NEW_VIDEO_ROWS=1 trains on whatever rows the subset gives.
if [[ -n "${MOODTAG_REBUILD_NEW_VIDEO_ROWS:-}" ]]; then
    python3 bench/faces_subsets.py
else
    python3 bench/faces_subsets.py --expect-sha256 "$(python3 -c 'import json
print(json.load(open("models/classifier/classifier.json"))["training"]["combinedFrom"][1]["manifestSha256"])')"
fi

./moodtag train --dataset speech-pooled --fusion late --no-ablation \
    --out target/reports/speech-part --export target/clf/speech
MOODTAG_PACK_MANIFEST=models/pack.json ./moodtag train --manifest target/datasets/pooled-4class.csv \
    --folds stratified:5 --labels 4class --fusion late --classifier logistic \
    --out target/reports/video-part --export target/clf/video
./moodtag train --dataset meld --labels 4class --classifier logistic --fusion late --no-ablation \
    --c 0.001,0.01,0.1,1,10 --grid-max-samples 0 --select-by ua \
    --out target/reports/text-part --export target/clf/text

# The same speech blocks standardised per speaker: a part that only a timeline's second pass uses, with each
# segment's speech standardised over its recording (TRAINING.md, "Speech standardised over a recording").
./moodtag train --dataset speech-pooled --fusion late --normalise speaker --no-ablation \
    --out target/reports/speech-recording-part --export target/clf/speech-recording

./moodtag combine --part target/clf/speech --part target/clf/video --part target/clf/text \
    --part target/clf/speech-recording --weight 0.80,1.30,0.90,0.80 --out models/classifier

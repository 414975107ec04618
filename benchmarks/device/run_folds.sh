#!/bin/bash
# On the device (``.gpu`` carried, see make_kit.py): every fold in $FOLDS ("lodo:NAME",
# "k5:foldN") at once, one process each. Folds trained side by side share the GPU:
# alone one 44,000-row fold takes 2.8 minutes on an H200, nine side by side about 7.
# Each fold's adapters are kept as soon as they are trained and $OUT/state.tar is
# refreshed every few seconds, so a run cut short still brings them back:
# `cv_classify.py --state DIR` finishes those folds here from them.
set -e
PY=${PY:-python3}
THREADS=${THREADS:-1}
tar -xJf .gpu/kit.tar.xz -C .gpu
$PY benchmarks/device/unpack.py .gpu/minilm
export PYTHONPATH=$PWD/.gpu/site:$PWD PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
# One BLAS thread per fold unless told: nine folds with a thread per core each left
# the heads' fits crawling after the training had finished.
export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
STATE=${STATE:-/tmp/cv-state}
mkdir -p "$STATE"
(while true; do tar -cf "$OUT/state.tar" -C "$STATE" . 2>/dev/null; sleep 5; done) &
snapshots=$!
pids=()
for fold in $FOLDS; do
  kind=${fold%%:*}
  mode=; [ "$kind" = lodo ] && mode=--lodo
  $PY benchmarks/cv_classify.py --data .gpu/data $mode --only "${fold#*:}" \
    --device "${DEVICE:-cuda}" --model-dir .gpu/minilm --threads "$THREADS" \
    --state "$STATE" $EXTRA >> "$OUT/log.txt" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || echo "a fold failed (process $pid)" >> "$OUT/log.txt"; done
kill $snapshots
tar -cf "$OUT/state.tar" -C "$STATE" .

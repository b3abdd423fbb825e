#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs tools/train-mrz-model end to end in its smoke mode (--tiny: 30 lines, 20 iterations, then
# a tuning on 25 hard frame lines, 10 iterations) and checks the result: OUT/mrz.traineddata exists, is non-empty, holds an LSTM model, and the
# tesseract CLI loads it as language `mrz` (psm 7) and reads a freshly rendered MRZ line with
# exit status 0 (the tiny model's text is not checked: it is not trained enough to read). Also
# checks that the script leaves nothing in its working directory (text2image's fonts.conf).
# Exit 77 (skipped) where the training tools or the OCR-B font are not installed.
# Also checks that the smoke run made "frame" lines with agecheck-gen-mrz-lines (the lines the
# scanner cuts out of camera frames), that the tuning ran from the first training's checkpoint on
# its own lines, and that the tools refuse text that is no MRZ line, an unknown level and a
# --tune-only run with no earlier training.
# Usage: TrainMrzModelTest.sh PATH/TO/tools/train-mrz-model PATH/TO/agecheck-gen-mrz-lines
set -eu
script=$1
gen=$2
for tool in python3 text2image tesseract unicharset_extractor combine_lang_model lstmtraining lstmeval combine_tessdata; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is not installed: not tested"; exit 77; }
done
[ -f /usr/share/fonts/opentype/ocr-b/OCRB.otf ] || { echo "fonts-ocr-b is not installed: not tested"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/cwd" "$tmp/model" "$tmp/line"
(cd "$tmp/cwd" && "$script" --tiny --frames "$gen" --out "$tmp/model" --work "$tmp/work") || { echo "train-mrz-model --tiny failed"; exit 1; }
grep -q "	frame	" "$tmp/work/text/plan.tsv" || { echo "the smoke run planned no frame batch"; exit 1; }
for plan in $(awk -F '\t' '$3 == "frame" { print $1 }' "$tmp/work/text/plan.tsv"); do
  [ -s "$tmp/work/render/$plan.lstmf" ] || { echo "no lstmf for frame batch $plan"; exit 1; }
  [ "$(wc -l < "$tmp/work/render/$plan.gt.txt")" -ge 1 ] || { echo "frame batch $plan kept no line"; exit 1; }
done
[ -s "$tmp/work/tune/checkpoints/mrz_checkpoint" ] || { echo "the smoke run did not tune"; exit 1; }
grep -q "continue_from.*checkpoints/mrz_checkpoint\|Continuing from" "$tmp/work/tune/lstmtraining.log" \
  || { echo "the tuning did not start from the first training's checkpoint"; exit 1; }
tuned=$(grep -c '^tune/render/' "$tmp/work/tune/train.list" || true)
[ "$tuned" -ge 1 ] || { echo "the tuning trained on no hard frame batch"; exit 1; }
[ "$(grep -c '^render/' "$tmp/work/tune/train.list")" -eq "$(wc -l < "$tmp/work/train.list")" ] \
  || { echo "the tuning left out the first training batches"; exit 1; }
printf 'NOT AN MRZ LINE\n' > "$tmp/bad.txt"
if "$gen" --text "$tmp/bad.txt" --out "$tmp/bad" >/dev/null 2>&1; then
  echo "agecheck-gen-mrz-lines took text that is no MRZ line"; exit 1
fi
head -n 2 "$tmp/work/text/b0000.txt" > "$tmp/good.txt"
if "$gen" --text "$tmp/good.txt" --out "$tmp/bad" --level extreme >/dev/null 2>&1; then
  echo "agecheck-gen-mrz-lines took an unknown --level"; exit 1
fi
if "$script" --tune-only --tune-lines 25 --tune-iterations 10 --frames "$gen" --work "$tmp/empty" --out "$tmp/none" >/dev/null 2>&1; then
  echo "train-mrz-model --tune-only ran with no earlier training"; exit 1
fi

model=$tmp/model/mrz.traineddata
[ -s "$model" ] || { echo "no non-empty $model"; exit 1; }
combine_tessdata -d "$model" 2>&1 | grep -q 'lstm:' || { echo "$model has no LSTM model"; exit 1; }
rm -rf "$tmp/work"
if [ -n "$(ls -A "$tmp/cwd")" ]; then
  echo "train-mrz-model wrote into its working directory:"
  ls -A "$tmp/cwd"
  exit 1
fi

printf 'P<UTOSPECIMEN<<ALEX<<<<<<<<<<<<<<<<<<<<<<<<<\n' > "$tmp/line/line.txt"
text2image --text "$tmp/line/line.txt" --outputbase "$tmp/line/line" --font 'OCR B' \
  --fonts_dir /usr/share/fonts/opentype/ocr-b --fontconfig_tmpdir "$tmp/line" \
  --xsize 2000 --ysize 160 --margin 40 >/dev/null 2>&1 || { echo "text2image failed"; exit 1; }
OMP_THREAD_LIMIT=1 tesseract "$tmp/line/line.tif" - --tessdata-dir "$tmp/model" -l mrz --psm 7 > "$tmp/line/out.txt" \
  || { echo "tesseract could not read with the tiny mrz model"; exit 1; }
echo "train-mrz-model --tiny: a loadable mrz.traineddata of $(wc -c < "$model") bytes"

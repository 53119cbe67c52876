# Three commands for a newcomer (see README.rst): make install, make demo, make test.
PYTHON ?= python3

.PHONY: install demo test lint bench i18n

install:
	bash tools/install.sh

demo:
	bash tools/demo.sh

test:
	bash tools/test.sh

# The hooks of .pre-commit-config.yaml on every file (offline: all local hooks).
lint:
	pre-commit run --all-files --show-diff-on-failure

bench:
	$(PYTHON) tools/bench.py

i18n:
	$(PYTHON) tools/i18n.py $(DB)

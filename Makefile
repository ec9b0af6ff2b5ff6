# Script Ohio Gateway: the two commands of the README and the steps behind them.
#   make run    build the jar if needed and start the gateway
#   make test   run every test: Java, the feature export, the Python training tests, the smoke load test

DATA_PACK ?= $(abspath ../shared/data)
JAR := target/script-ohio-gateway.jar
VENV := .venv
PYTHON ?= python3
FEATURES := build/features.csv

.PHONY: run test java-test features python-test smoke jar clean

# Without CFBD_API_KEY the gateway starts offline on the stored CFBD responses of the data pack.
run: jar
	@if [ -z "$$CFBD_API_KEY" ] && [ -z "$$MOCK_DATA_PATH" ]; then \
	  echo "No CFBD_API_KEY: starting offline on $(DATA_PACK)/cfbd"; \
	  MOCK_DATA_PATH="$(DATA_PACK)/cfbd" java -jar $(JAR); \
	else \
	  java -jar $(JAR); \
	fi

jar: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	mvn -B -q package -DskipTests

test: java-test features python-test smoke

java-test:
	DATA_PACK="$(DATA_PACK)" mvn -B verify

features: java-test
	java -jar $(JAR) export-features --from 2016 --to 2025 --out $(FEATURES) --data "$(DATA_PACK)/cfbd"

$(VENV)/installed: models-onnx/training/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r models-onnx/training/requirements.txt
	touch $@

python-test: $(VENV)/installed features
	cd models-onnx && DATA_PACK="$(DATA_PACK)" FEATURES_CSV="$(abspath $(FEATURES))" ../$(VENV)/bin/python -m pytest training/tests -q

smoke: java-test
	load-tests/run.sh smoke

clean:
	mvn -B -q clean
	rm -rf build

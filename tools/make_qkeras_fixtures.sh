#!/usr/bin/env bash
# Regenerate the QKeras fixtures (tests/fixtures/qkeras/) with the real QKeras, then check them.
#
#   tools/make_qkeras_fixtures.sh                 train, write and check every fixture
#   tools/make_qkeras_fixtures.sh --check         only check the committed files
#   tools/make_qkeras_fixtures.sh binary po2 ...  only these fixtures
#
# The environment is tools/venv.sh qk (tensorflow-cpu 2.14.1, QKeras 0.9.0, scikit-learn), made when missing.
exec "$(dirname "${BASH_SOURCE[0]}")/fixture_driver.sh" qk tools/make_qkeras_fixtures.py "$0" "$@"

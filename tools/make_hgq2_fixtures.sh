#!/usr/bin/env bash
# Regenerate the HGQ2 fixtures (tests/fixtures/hgq2/) with the real hgq2, then check them.
#
#   tools/make_hgq2_fixtures.sh                 build, write and check every fixture
#   tools/make_hgq2_fixtures.sh --check         only check the committed files
#   tools/make_hgq2_fixtures.sh dense_wrap dense_sat ...  only these fixtures
#
# The environment is tools/venv.sh hgq2 (tensorflow-cpu 2.20.0, hgq2 0.2.0), made when missing.
exec "$(dirname "${BASH_SOURCE[0]}")/fixture_driver.sh" hgq2 tools/make_hgq2_fixtures.py "$0" "$@"

#!/usr/bin/env bash
# Regenerate the HGQ fixtures (tests/fixtures/hgq/) with the real HGQ, then check them.
#
#   tools/make_hgq_fixtures.sh                 build, write and check every fixture
#   tools/make_hgq_fixtures.sh --check         only check the committed files
#   tools/make_hgq_fixtures.sh mlp_wrap conv_sat ...  only these fixtures
#
# The environment is tools/venv.sh hgq (tensorflow-cpu 2.15.1, HGQ 0.2.6), made when missing.
exec "$(dirname "${BASH_SOURCE[0]}")/fixture_driver.sh" hgq tools/make_hgq_fixtures.py "$0" "$@"

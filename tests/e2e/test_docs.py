# Documentation generated from the code must be current (tools/update_docs.sh regenerates it).
from conftest import ROOT, run


def test_passes_doc_is_current():
    text = (ROOT / "docs" / "passes.md").read_text()
    body = text.split("```\n", 1)[1].rsplit("```", 1)[0]
    assert body == run("help", "passes").stdout, "docs/passes.md is stale: run tools/update_docs.sh"

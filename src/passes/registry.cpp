// The explicit list of passes and the runner. Adding a pass: one line here, one file in src/passes/.
#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

std::vector<std::unique_ptr<Pass>> allPasses() {
    std::vector<std::unique_ptr<Pass>> v;
    v.push_back(makeChannelsLast());
    v.push_back(makeApplyConfig());
    v.push_back(makeInferPrecision());
    v.push_back(makeBnThreshold());
    v.push_back(makeBitExactWidths());
    v.push_back(makeEliminateLinearActivation());
    return v;
}

std::unique_ptr<Pass> makePass(const std::string& name) {
    for (auto& p : allPasses())
        if (name == p->name()) return std::move(p);
    internalError(__FILE__, __LINE__, "no pass named " + name);
}

void runPipeline(const std::string& name, Graph& g, PassContext& ctx) {
    for (const std::string& passName : pipeline(name)) {
        makePass(passName)->run(g, ctx);
        verifyGraph(g);
    }
}

}  // namespace nnfpga

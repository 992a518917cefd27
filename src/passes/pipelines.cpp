// Named, ordered pass pipelines (printable with `nnfpga info --print-pipeline`).
#include <map>

#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {
const std::map<std::string, std::vector<std::string>>& table() {
    static const std::map<std::string, std::vector<std::string>> t = {
        // From a front end's graph to a typed graph the emulator and backends accept.
        {"default", {"channels_last", "apply_config", "infer_precision", "bn_threshold", "bit_exact_widths", "eliminate_linear_activation"}},
    };
    return t;
}
}  // namespace

const std::vector<std::string>& pipeline(const std::string& name) {
    auto it = table().find(name);
    if (it == table().end()) usageError("unknown pipeline '" + name + "'");
    return it->second;
}

std::vector<std::string> pipelineNames() {
    std::vector<std::string> v;
    for (auto& [k, _] : table()) v.push_back(k);
    return v;
}

}  // namespace nnfpga

// Graph passes: small self-describing classes run in named, ordered pipelines (src/passes/pipelines.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "nnfpga/config/config.h"
#include "nnfpga/ir/graph.h"

namespace nnfpga {

struct PassContext {
    const ProjectConfig& config;
};

class Pass {
public:
    virtual ~Pass() = default;
    virtual const char* name() const = 0;         // snake_case, equal to its file name
    virtual const char* summary() const = 0;      // one line
    virtual const char* description() const = 0;  // a paragraph, for `nnfpga help passes`
    // Returns whether the graph changed.
    virtual bool run(Graph& g, PassContext& ctx) = 0;
};

// Every pass, in registry order (src/passes/registry.cpp).
std::vector<std::unique_ptr<Pass>> allPasses();
std::unique_ptr<Pass> makePass(const std::string& name);

// Named pipelines: ordered pass names.
const std::vector<std::string>& pipeline(const std::string& name);
std::vector<std::string> pipelineNames();
// Runs a pipeline, verifying the graph after every pass.
void runPipeline(const std::string& name, Graph& g, PassContext& ctx);

// Factories (one per pass file).
std::unique_ptr<Pass> makeChannelsLast();
std::unique_ptr<Pass> makeApplyConfig();
std::unique_ptr<Pass> makeInferPrecision();
std::unique_ptr<Pass> makeBnThreshold();
std::unique_ptr<Pass> makeBitExactWidths();
std::unique_ptr<Pass> makeEliminateLinearActivation();

}  // namespace nnfpga

// Chooses the front end by file extension, then types the graph with the default pipeline.
#include "nnfpga/frontends/load_model.h"

#include <algorithm>
#include <filesystem>

#include "nnfpga/frontends/keras/keras_file.h"
#include "nnfpga/frontends/keras/keras_frontend.h"
#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

Graph importModel(const std::string& model, const std::optional<std::string>& weights) {
    std::string ext = std::filesystem::path(model).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext == ".json" || ext == ".h5" || ext == ".hdf5" || ext == ".keras") {
        KerasModelDesc desc = readKerasModel(model, weights);
        Graph g = buildKerasGraph(desc);
        verifyGraph(g);
        return g;
    }
    if (!std::filesystem::exists(model)) fail(model + ": no such file");
    fail(model + ": unknown model format '" + ext + "' (expected .json, .h5, .keras)");
}

Graph loadModel(const std::string& model, const std::optional<std::string>& weights, const ProjectConfig& cfg) {
    Graph g = importModel(model, weights);
    PassContext ctx{cfg};
    runPipeline("default", g, ctx);
    return g;
}

}  // namespace nnfpga

// Keras → IR driver: checks every layer has a handler, then walks the layers in dependency order, wiring each
// handler's outputs to the tensors its consumers reference.
#include "nnfpga/frontends/keras/keras_frontend.h"

#include <set>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

void KerasLayerContext::fail(const std::string& msg) const { failAtLayer(layer.name, layer.className, msg); }

const KerasWeight& KerasLayerContext::weight(size_t index, const char* what) const {
    if (index >= layer.weights.size())
        fail(std::string("missing weight '") + what + "' (the weights file has " +
             std::to_string(layer.weights.size()) + " arrays for this layer)");
    return layer.weights[index];
}

int KerasLayerContext::addUnary(const std::string& name, const std::string& kind, OpAttrs attrs, int input) const {
    const int out = graph.addTensor(name, graph.tensor(input).shape);
    Node n;
    n.name = name;
    n.kind = kind;
    n.attrs = std::move(attrs);
    n.inputs = {input};
    n.outputs = {out};
    graph.addNode(std::move(n));
    return out;
}

namespace {

const KerasHandlerTable& handlers() {
    static const KerasHandlerTable table = [] {
        KerasHandlerTable t;
        registerKerasCoreHandlers(t);
        registerKerasActivationHandlers(t);
        registerKerasQKerasHandlers(t);
        registerKerasConvHandlers(t);
        registerKerasPoolingHandlers(t);
        registerKerasLayoutHandlers(t);
        registerKerasMergeHandlers(t);
        registerKerasHgqHandlers(t);
        return t;
    }();
    return table;
}

std::string refKey(const std::string& layer, int tensor) { return layer + "#" + std::to_string(tensor); }

}  // namespace

Graph buildKerasGraph(const KerasModelDesc& model) {
    const auto& table = handlers();
    std::string unsupported;
    int nUnsupported = 0;
    for (const auto& l : model.layers) {
        if (table.count(l.className)) continue;
        unsupported += std::string(nUnsupported++ ? ", " : "") + "'" + l.name + "' (" + l.className + ")";
    }
    if (nUnsupported)
        fail(model.path + ": unsupported layer" + (nUnsupported > 1 ? "s" : "") + ": " + unsupported);

    Graph g;
    std::map<std::string, int> produced;  // "layer#tensor" → tensor id
    std::set<std::string> done;
    // Keras files list layers in a valid order, but be robust to any order: repeat until every layer is placed.
    size_t remaining = model.layers.size();
    while (remaining) {
        bool progress = false;
        for (const auto& l : model.layers) {
            if (done.count(l.name)) continue;
            std::vector<int> ins;
            bool ready = true;
            for (const auto& r : l.inbound) {
                auto it = produced.find(refKey(r.layer, r.tensor));
                if (it == produced.end()) {
                    ready = false;
                    break;
                }
                ins.push_back(it->second);
            }
            if (!ready) continue;
            KerasLayerContext ctx{model, l, ins, g};
            std::vector<int> outs = table.at(l.className)(ctx);
            for (size_t k = 0; k < outs.size(); ++k) produced[refKey(l.name, static_cast<int>(k))] = outs[k];
            done.insert(l.name);
            --remaining;
            progress = true;
        }
        if (!progress) {
            for (const auto& l : model.layers)
                if (!done.count(l.name)) failAtLayer(l.name, l.className, "its inputs are never produced");
        }
    }
    for (const auto& r : model.inputs) {
        auto it = produced.find(refKey(r.layer, r.tensor));
        if (it == produced.end()) fail(model.path + ": model input '" + r.layer + "' is not a layer");
        g.inputs.push_back(it->second);
    }
    for (const auto& r : model.outputs) {
        auto it = produced.find(refKey(r.layer, r.tensor));
        if (it == produced.end()) fail(model.path + ": model output '" + r.layer + "' is not a layer");
        g.outputs.push_back(it->second);
    }
    g.finalize();
    finishHgqProxyGraph(g);
    return g;
}

}  // namespace nnfpga

// HLS project assembly: per-tensor types, node emitters in graph order, the top function (io_parallel arrays or
// io_stream FIFOs with computed depths), testbench, build script, README, and the embedded runtime library.
#include "nnfpga/backends/hls/hls_backend.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "emit/emit_context.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

std::string arrayType(const std::string& elem, int64_t n) {
    return "nnfpga_hls::array<" + elem + ", " + std::to_string(n) + ">";
}

// Longest path (in nodes) from node u to node v in the DAG, or -1 when v is not reachable from u.
int longestPath(const Graph& g, int u, int v) {
    std::vector<int> best(g.nodes.size(), -1);
    best[u] = 0;
    for (size_t i = static_cast<size_t>(u); i < g.nodes.size(); ++i) {
        if (best[i] < 0) continue;
        for (int t : g.nodes[i].outputs)
            for (int c : g.consumers(t)) best[c] = std::max(best[c], best[i] + 1);
    }
    return best[v];
}

struct Project {
    HlsEmitContext& ctx;
    const Graph& g;
    std::vector<std::string> var;  // per tensor: its variable (array) name

    std::string tensorVar(int t) const { return var.at(t); }
    int64_t size(int t) const { return numElements(g.tensor(t).shape); }
};

std::string emitNode(HlsEmitContext& ctx, const Node& n, const std::vector<std::string>& in, const std::string& out) {
    return std::visit([&](const auto& a) { return emitHlsNode(ctx, n, a, in, out).statement; }, n.attrs);
}

// Prefixes every line of `code` with `pad`; no trailing newline.
std::string indentBlock(const std::string& code, const std::string& pad) {
    std::string out, line;
    for (char c : code + "\n") {
        if (c == '\n') {
            if (!out.empty()) out += "\n";
            out += (line.empty() ? "" : pad) + line;
            line.clear();
        } else {
            line += c;
        }
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace

HlsOptions hlsOptionsFromConfig(const ProjectConfig& cfg) {
    HlsOptions o;
    o.projectName = cfg.projectName;
    o.part = cfg.part;
    o.clockPeriod = cfg.clockPeriod;
    o.io = cfg.ioType == "io_stream" ? IoType::Stream : IoType::Parallel;
    return o;
}

OutputTree emitHlsProject(const Graph& g, const HlsOptions& opt, const Matrix& tbInputs, const Matrix& tbOutputs) {
    OutputTree tree;
    HlsEmitContext ctx(g, opt, tree);
    const std::string ns = "nnfpga_" + opt.projectName;
    const bool stream = opt.io == IoType::Stream;
    ctx.usedNames = {"input_t", "result_t", opt.projectName};

    // Types and variable names of every tensor.
    std::vector<std::string> var(g.tensors.size());
    for (size_t t = 0; t < g.tensors.size(); ++t) {
        if (g.tensor(static_cast<int>(t)).producer < 0) continue;
        const std::string base = cIdentifier(g.tensors[t].name);
        ctx.typeOf[static_cast<int>(t)] = ctx.typedefFor(base + "_t", g.tensors[t].type);
        var[t] = ctx.uniqueName(base);
    }
    ctx.defines.line("typedef " + ctx.typeOf.at(g.inputs[0]) + " input_t;");
    ctx.defines.line("typedef " + ctx.typeOf.at(g.outputs[0]) + " result_t;");
    ctx.defines.line();

    // Node statements (also fills parameters and weights).
    std::vector<std::string> calls(g.nodes.size());
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        if (n.inputs.empty()) continue;
        std::vector<std::string> in;
        for (int t : n.inputs) in.push_back((stream ? "in" + std::to_string(in.size()) + ".data" : var[t]));
        calls[i] = emitNode(ctx, n, in, stream ? "out.data" : var[n.outputs[0]]);
    }

    // Top-level ports.
    std::vector<std::string> ports;
    for (size_t k = 0; k < g.inputs.size(); ++k) {
        const int t = g.inputs[k];
        ports.push_back(stream ? "hls::stream<" + arrayType(ctx.typeOf.at(t), numElements(g.tensor(t).shape)) + ">& " +
                                     var[t]
                               : "const " + ctx.typeOf.at(t) + " " + var[t] + "[" +
                                     std::to_string(numElements(g.tensor(t).shape)) + "]");
    }
    std::vector<std::string> outPort(g.outputs.size());
    for (size_t k = 0; k < g.outputs.size(); ++k) {
        const int t = g.outputs[k];
        outPort[k] = ctx.uniqueName("out_" + var[t]);
        ports.push_back(stream ? "hls::stream<" + arrayType(ctx.typeOf.at(t), numElements(g.tensor(t).shape)) + ">& " +
                                     outPort[k]
                               : ctx.typeOf.at(t) + " " + outPort[k] + "[" +
                                     std::to_string(numElements(g.tensor(t).shape)) + "]");
    }
    std::string signature = "void " + opt.projectName + "(";
    for (size_t i = 0; i < ports.size(); ++i) signature += (i ? ", " : "") + ports[i];
    signature += ")";

    CodeWriter top;
    top.line("// Top function of " + opt.projectName + ", generated by nnfpga.");
    top.line("#include \"" + opt.projectName + ".h\"");
    top.line();
    top.line("#include \"parameters.h\"");
    top.line();
    bool anyResource = false;
    int maxReuse = 1;
    for (const Node& n : g.nodes) {
        anyResource |= n.settings.strategy == Strategy::Resource;
        maxReuse = std::max(maxReuse, n.settings.reuseFactor);
    }
    if (!stream) {
        top.line("using namespace " + ns + ";");
        top.line();
        top.open(signature);
        for (size_t k = 0; k < g.inputs.size(); ++k)
            top.line("NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = " + var[g.inputs[k]] + " complete dim = 0)");
        for (const auto& p : outPort) top.line("NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = " + p + " complete dim = 0)");
        for (size_t k = 0; k < g.inputs.size(); ++k) top.line("NNFPGA_PRAGMA(HLS INTERFACE ap_vld port = " + var[g.inputs[k]] + ")");
        for (const auto& p : outPort) top.line("NNFPGA_PRAGMA(HLS INTERFACE ap_vld port = " + p + ")");
        if (anyResource) top.line("NNFPGA_PRAGMA(HLS DATAFLOW)");
        else top.line("NNFPGA_PRAGMA(HLS PIPELINE II = " + std::to_string(maxReuse) + ")");
        top.line();
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const Node& n = g.nodes[i];
            if (n.inputs.empty()) continue;
            const int t = n.outputs[0];
            top.line("// " + n.name + " (" + n.kind + ")");
            top.line(ctx.typeOf.at(t) + " " + var[t] + "[" + std::to_string(numElements(g.tensor(t).shape)) + "];");
            top.line("NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = " + var[t] + " complete dim = 0)");
            top.line(indentBlock(calls[i], "    ").substr(4));
        }
        for (size_t k = 0; k < g.outputs.size(); ++k) {
            const int t = g.outputs[k];
            top.open("for (unsigned i = 0; i < " + std::to_string(numElements(g.tensor(t).shape)) + "; i++)");
            top.line("NNFPGA_PRAGMA(HLS UNROLL)");
            top.line(outPort[k] + "[i] = " + var[t] + "[i];");
            top.close();
        }
        top.close();
    } else {
        // One process per node; a tensor read by several consumers gets one FIFO per consumer.
        top.line("namespace " + ns + " {");
        top.line();
        std::map<std::pair<int, int>, std::string> fifo;  // (tensor, consumer node) → stream name
        std::map<std::pair<int, int>, int> depth;
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const Node& n = g.nodes[i];
            if (n.inputs.empty()) continue;
            for (int t : n.inputs) {
                const int p = g.tensor(t).producer;
                if (g.nodes[p].inputs.empty()) continue;  // a model input port
                fifo[{t, static_cast<int>(i)}] = ctx.uniqueName(var[t] + "_to_" + cIdentifier(n.name));
                // Enough room for the samples the longest other path between the two nodes holds in flight.
                depth[{t, static_cast<int>(i)}] = std::max(1, longestPath(g, p, static_cast<int>(i)));
            }
        }
        std::vector<std::string> procCalls;
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const Node& n = g.nodes[i];
            if (n.inputs.empty()) continue;
            const int ot = n.outputs[0];
            const std::string outArr = arrayType(ctx.typeOf.at(ot), numElements(g.tensor(ot).shape));
            std::vector<std::string> params, args;
            for (size_t k = 0; k < n.inputs.size(); ++k) {
                const int t = n.inputs[k];
                params.push_back("hls::stream<" + arrayType(ctx.typeOf.at(t), numElements(g.tensor(t).shape)) +
                                 ">& s_in" + std::to_string(k));
                const int p = g.tensor(t).producer;
                args.push_back(g.nodes[p].inputs.empty() ? var[t] : fifo.at({t, static_cast<int>(i)}));
            }
            std::vector<std::string> outs;
            for (int c : g.consumers(ot)) outs.push_back(fifo.at({ot, c}));
            for (size_t k = 0; k < g.outputs.size(); ++k)
                if (g.outputs[k] == ot) outs.push_back(outPort[k]);
            for (size_t k = 0; k < outs.size(); ++k) {
                params.push_back("hls::stream<" + outArr + ">& s_out" + std::to_string(k));
                args.push_back(outs[k]);
            }
            const std::string fn = ctx.uniqueName("process_" + cIdentifier(n.name));
            std::string sig = "static void " + fn + "(";
            for (size_t k = 0; k < params.size(); ++k) sig += (k ? ", " : "") + params[k];
            top.open(sig + ")");
            // A resource-strategy layer pipelines its own reuse loop; others are one pipelined step per sample.
            if (n.settings.strategy == Strategy::Latency)
                top.line("NNFPGA_PRAGMA(HLS PIPELINE II = " + std::to_string(n.settings.reuseFactor) + ")");
            for (size_t k = 0; k < n.inputs.size(); ++k) {
                const int t = n.inputs[k];
                top.line("const " + arrayType(ctx.typeOf.at(t), numElements(g.tensor(t).shape)) + " in" +
                         std::to_string(k) + " = s_in" + std::to_string(k) + ".read();");
            }
            top.line(outArr + " out;");
            top.line(indentBlock(calls[i], "    ").substr(4));
            for (size_t k = 0; k < outs.size(); ++k) top.line("s_out" + std::to_string(k) + ".write(out);");
            top.close();
            top.line();
            std::string call = fn + "(";
            for (size_t k = 0; k < args.size(); ++k) call += (k ? ", " : "") + args[k];
            procCalls.push_back(call + ");");
        }
        top.line("}  // namespace " + ns);
        top.line();
        top.line("using namespace " + ns + ";");
        top.line();
        top.open(signature);
        for (size_t k = 0; k < g.inputs.size(); ++k) top.line("NNFPGA_PRAGMA(HLS INTERFACE axis port = " + var[g.inputs[k]] + ")");
        for (const auto& p : outPort) top.line("NNFPGA_PRAGMA(HLS INTERFACE axis port = " + p + ")");
        top.line("NNFPGA_PRAGMA(HLS DATAFLOW)");
        top.line();
        for (const auto& [key, name] : fifo) {
            const int t = key.first;
            top.line("hls::stream<" + arrayType(ctx.typeOf.at(t), numElements(g.tensor(t).shape)) + "> " + name +
                     "(\"" + name + "\");");
            top.line("NNFPGA_PRAGMA(HLS STREAM variable = " + name + " depth = " + std::to_string(depth.at(key)) + ")");
        }
        top.line();
        for (const auto& c : procCalls) top.line(c);
        top.close();
    }
    tree.add("firmware/" + opt.projectName + ".cpp", top.str());

    // Header with the top function's prototype.
    CodeWriter h;
    h.line("// " + opt.projectName + ": top function prototype, generated by nnfpga.");
    h.line("#ifndef NNFPGA_" + opt.projectName + "_H_");
    h.line("#define NNFPGA_" + opt.projectName + "_H_");
    h.line();
    h.line("#include \"defines.h\"");
    h.line();
    std::string qualified = signature;
    for (const auto& [t, type] : ctx.typeOf) {
        (void)t;
        size_t pos = 0;
        while ((pos = qualified.find(type, pos)) != std::string::npos) {
            const bool start = pos == 0 || !(std::isalnum(static_cast<unsigned char>(qualified[pos - 1])) ||
                                             qualified[pos - 1] == '_' || qualified[pos - 1] == ':');
            const size_t end = pos + type.size();
            const bool stop = end >= qualified.size() ||
                              !(std::isalnum(static_cast<unsigned char>(qualified[end])) || qualified[end] == '_');
            if (start && stop) {
                qualified.insert(pos, ns + "::");
                pos += ns.size() + 2;
            }
            pos += type.size();
        }
    }
    h.line(qualified + ";");
    h.line();
    h.line("#endif");
    tree.add("firmware/" + opt.projectName + ".h", h.str());

    CodeWriter defs;
    defs.line("// Fixed-point types of " + opt.projectName + ", generated by nnfpga.");
    defs.line("#ifndef NNFPGA_" + opt.projectName + "_DEFINES_H_");
    defs.line("#define NNFPGA_" + opt.projectName + "_DEFINES_H_");
    defs.line();
    defs.line("#include \"nnfpga_common.h\"");
    defs.line();
    defs.line("namespace " + ns + " {");
    defs.line();
    tree.add("firmware/defines.h", defs.str() + ctx.defines.str() + "}  // namespace " + ns + "\n\n#endif\n");

    CodeWriter params;
    params.line("// Layer configurations of " + opt.projectName + ", generated by nnfpga.");
    params.line("#ifndef NNFPGA_" + opt.projectName + "_PARAMETERS_H_");
    params.line("#define NNFPGA_" + opt.projectName + "_PARAMETERS_H_");
    params.line();
    params.line("#include \"defines.h\"");
    for (const char* lib : {"nnfpga_dense.h", "nnfpga_batchnorm.h", "nnfpga_activation.h", "nnfpga_softmax.h"})
        params.line(std::string("#include \"") + lib + "\"");
    for (const auto& w : ctx.weightHeaders) params.line("#include \"" + w + "\"");
    params.line();
    params.line("namespace " + ns + " {");
    params.line();
    tree.add("firmware/parameters.h", params.str() + ctx.params.str() + "}  // namespace " + ns + "\n\n#endif\n");

    // Testbench.
    CodeWriter run;
    int64_t inOff = 0, outOff = 0;
    std::vector<std::string> callArgs;
    for (size_t k = 0; k < g.inputs.size(); ++k) {
        const int t = g.inputs[k];
        const int64_t n = numElements(g.tensor(t).shape);
        const std::string v = "in" + std::to_string(k);
        if (stream) {
            run.line("hls::stream<" + arrayType(ctx.typeOf.at(t), n) + "> " + v + "_s;");
            run.line(arrayType(ctx.typeOf.at(t), n) + " " + v + ";");
            run.line("for (unsigned i = 0; i < " + std::to_string(n) + "; i++) " + v + "[i] = " + ctx.typeOf.at(t) +
                     "(static_cast<float>(in[" + std::to_string(inOff) + " + i]));");
            run.line(v + "_s.write(" + v + ");");
            callArgs.push_back(v + "_s");
        } else {
            run.line(ctx.typeOf.at(t) + " " + v + "[" + std::to_string(n) + "];");
            run.line("for (unsigned i = 0; i < " + std::to_string(n) + "; i++) " + v + "[i] = " + ctx.typeOf.at(t) +
                     "(static_cast<float>(in[" + std::to_string(inOff) + " + i]));");
            callArgs.push_back(v);
        }
        inOff += n;
    }
    for (size_t k = 0; k < g.outputs.size(); ++k) {
        const int t = g.outputs[k];
        const int64_t n = numElements(g.tensor(t).shape);
        const std::string v = "res" + std::to_string(k);
        run.line(stream ? "hls::stream<" + arrayType(ctx.typeOf.at(t), n) + "> " + v + "_s;"
                        : ctx.typeOf.at(t) + " " + v + "[" + std::to_string(n) + "];");
        callArgs.push_back(stream ? v + "_s" : v);
    }
    std::string call = opt.projectName + "(";
    for (size_t k = 0; k < callArgs.size(); ++k) call += (k ? ", " : "") + callArgs[k];
    run.line(call + ");");
    for (size_t k = 0; k < g.outputs.size(); ++k) {
        const int t = g.outputs[k];
        const int64_t n = numElements(g.tensor(t).shape);
        const std::string v = "res" + std::to_string(k);
        if (stream) run.line("const " + arrayType(ctx.typeOf.at(t), n) + " " + v + " = " + v + "_s.read();");
        run.line("for (unsigned j = 0; j < " + std::to_string(n) + "; j++) out[" + std::to_string(outOff) +
                 " + j] = " + v + "[j].to_double();");
        outOff += n;
    }
    tree.add(opt.projectName + "_test.cpp",
             fillTemplate(embeddedRuntimeFiles().at("runtime/templates/test.cpp.in"),
                          {{"PROJECT", opt.projectName},
                           {"N_IN_TOTAL", std::to_string(inOff)},
                           {"N_OUT_TOTAL", std::to_string(outOff)},
                           {"RUN_SAMPLE", indentBlock(run.str(), "        ")}},
                          "test.cpp.in"));

    // Testbench data: inputs as float32 (what the emulator saw), expected outputs exactly.
    std::string tin, tout;
    char buf[64];
    for (int64_t r = 0; r < tbInputs.rows; ++r) {
        for (int64_t c = 0; c < tbInputs.cols; ++c) {
            std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(static_cast<float>(tbInputs.data[r * tbInputs.cols + c])));
            tin += (c ? " " : "") + std::string(buf);
        }
        tin += "\n";
        for (int64_t c = 0; c < tbOutputs.cols; ++c)
            tout += (c ? " " : "") + formatDouble(tbOutputs.data[r * tbOutputs.cols + c]);
        tout += "\n";
    }
    tree.add("tb_data/tb_input_features.dat", tin);
    tree.add("tb_data/tb_output_predictions.dat", tout);

    char clock[32];
    std::snprintf(clock, sizeof clock, "%g", opt.clockPeriod);
    tree.add("build_prj.tcl", fillTemplate(embeddedRuntimeFiles().at("runtime/templates/build_prj.tcl.in"),
                                           {{"PROJECT", opt.projectName}, {"PART", opt.part}, {"CLOCK_PERIOD", clock}},
                                           "build_prj.tcl.in"));
    std::string table = "| layer | kind | output | type | reuse | strategy |\n|---|---|---|---|---|---|\n";
    for (const Node& n : g.nodes) {
        const TensorInfo& t = g.tensor(n.outputs[0]);
        table += "| " + n.name + " | " + n.kind + " | " + shapeStr(t.shape) + " | `" + t.type.str() + "` | " +
                 std::to_string(n.settings.reuseFactor) + " | " +
                 (n.settings.strategy == Strategy::Latency ? "latency" : "resource") + " |\n";
    }
    tree.add("README.md", fillTemplate(embeddedRuntimeFiles().at("runtime/templates/README.md.in"),
                                       {{"PROJECT", opt.projectName},
                                        {"VERSION", NNFPGA_VERSION},
                                        {"MODEL", opt.modelName},
                                        {"N_LAYERS", std::to_string(g.nodes.size())},
                                        {"IO_TYPE", stream ? "io_stream" : "io_parallel"},
                                        {"PART", opt.part},
                                        {"CLOCK_PERIOD", clock},
                                        {"LAYER_TABLE", table}},
                                       "README.md.in"));

    // The runtime library and ap types, one copy.
    for (const auto& [path, content] : embeddedRuntimeFiles()) {
        if (path.rfind("runtime/hls/", 0) == 0) tree.add("firmware/nnfpga/" + path.substr(12), content);
        else if (path.rfind("runtime/aptypes/", 0) == 0 && path.size() > 2 && path.substr(path.size() - 2) == ".h")
            tree.add("firmware/ap_types/" + path.substr(16), content);
    }
    return tree;
}

}  // namespace nnfpga

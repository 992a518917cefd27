// io_stream top function. Every node is one process called once per sample. A tensor of rank >= 2 is streamed
// one pixel (its last axis, an nnfpga_hls::array) per FIFO write in raster order, a vector in one write.
// Per-pixel nodes (activations, batchnorm, merges, dense on vectors, …) are a loop over the pixels that reads
// one write of each input, runs the node statement and writes every reader's FIFO; nodes with a library
// stream function (line buffers, layout changes) write one stream, copied to several readers by a clone process.
#include "stream_top.h"

#include "nnfpga/support/diagnostics.h"
#include "stream_depths.h"

namespace nnfpga {

namespace {

// The lines of `code` (a last line without its newline included).
std::vector<std::string> lines(const std::string& code) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : code) {
        if (c == '\n') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

struct Process {
    std::string name;
    std::vector<std::string> params, args;
};

}  // namespace

std::string streamArrayType(const HlsEmitContext& ctx, int t) {
    return "nnfpga_hls::array<" + ctx.typeOf.at(t) + ", " + std::to_string(ctx.streamWidth(t)) + ">";
}

void writeStreamTop(HlsEmitContext& ctx, CodeWriter& top, const std::vector<NodeCall>& calls,
                    const std::vector<std::string>& var, const std::vector<std::string>& outPort,
                    const std::string& signature, const std::string& ns) {
    const Graph& g = ctx.g;
    const auto depths = fifoDepths(g);
    auto streamOf = [&](int t) { return "hls::stream<" + streamArrayType(ctx, t) + ">"; };

    // Readers of every tensor: (node, input slot), or (-1, output index) for a model output port.
    std::vector<std::vector<std::pair<int, size_t>>> readers(g.tensors.size());
    for (size_t i = 0; i < g.nodes.size(); ++i)
        for (size_t k = 0; k < g.nodes[i].inputs.size(); ++k)
            readers[g.nodes[i].inputs[k]].push_back({static_cast<int>(i), k});
    for (size_t k = 0; k < g.outputs.size(); ++k) readers[g.outputs[k]].push_back({-1, k});

    struct Fifo {
        std::string name;
        int tensor, depth;
    };
    std::vector<Fifo> fifos;
    std::map<std::pair<int, size_t>, std::string> inStream;           // (node, slot) → the stream it reads
    std::vector<std::vector<std::string>> targets(g.tensors.size());  // per tensor: every reader's stream
    for (size_t t = 0; t < g.tensors.size(); ++t) {
        const int p = g.tensors[t].producer;
        if (p < 0) continue;
        const bool port = g.nodes[p].inputs.empty();
        for (const auto& [node, slot] : readers[t]) {
            std::string s;
            if (node < 0) {
                s = outPort[slot];
            } else if (port && readers[t].size() == 1) {
                s = var[t];
            } else {
                s = ctx.uniqueName(var[t] + "_to_" + cIdentifier(g.nodes[node].name));
                fifos.push_back({s, static_cast<int>(t), depths.at({node, slot})});
            }
            if (node >= 0) inStream[{node, slot}] = s;
            targets[t].push_back(s);
        }
    }

    CodeWriter procs;
    std::vector<std::string> procCalls;
    auto addProcess = [&](const Process& pr, const std::vector<std::string>& body) {
        std::string sig = "static void " + pr.name + "(";
        for (size_t k = 0; k < pr.params.size(); ++k) sig += (k ? ", " : "") + pr.params[k];
        procs.open(sig + ")");
        for (const auto& l : body) procs.line(l);
        procs.close();
        procs.line();
        std::string call = pr.name + "(";
        for (size_t k = 0; k < pr.args.size(); ++k) call += (k ? ", " : "") + pr.args[k];
        procCalls.push_back(call + ");");
    };
    // A per-pixel copy of tensor t from `source` to every reader.
    auto addClone = [&](int t, const std::string& source) {
        Process pr{ctx.uniqueName("clone_" + var[t]), {streamOf(t) + "& s_in0"}, {source}};
        for (size_t k = 0; k < targets[t].size(); ++k) {
            pr.params.push_back(streamOf(t) + "& s_out" + std::to_string(k));
            pr.args.push_back(targets[t][k]);
        }
        const int64_t writes = ctx.streamWrites(t);
        std::vector<std::string> body;
        std::string pad;
        if (writes > 1) {
            body.push_back("for (unsigned pixel = 0; pixel < " + std::to_string(writes) + "; pixel++) {");
            pad = "    ";
        }
        body.push_back(pad + "NNFPGA_PRAGMA(HLS PIPELINE II = 1)");
        body.push_back(pad + "const " + streamArrayType(ctx, t) + " x = s_in0.read();");
        for (size_t k = 0; k < targets[t].size(); ++k) body.push_back(pad + "s_out" + std::to_string(k) + ".write(x);");
        if (writes > 1) body.push_back("}");
        addProcess(pr, body);
    };

    for (int t : g.inputs)
        if (readers[t].size() > 1) addClone(t, var[t]);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        if (n.inputs.empty()) continue;
        const int ot = n.outputs[0];
        Process pr{ctx.uniqueName("process_" + cIdentifier(n.name)), {}, {}};
        for (size_t k = 0; k < n.inputs.size(); ++k) {
            pr.params.push_back(streamOf(n.inputs[k]) + "& s_in" + std::to_string(k));
            pr.args.push_back(inStream.at({static_cast<int>(i), k}));
        }
        std::vector<std::string> body;
        if (!calls[i].streamCall.empty()) {
            // A library stream function writes one stream; several readers get theirs through a clone.
            std::string out = targets[ot].empty() ? "" : targets[ot][0];
            if (targets[ot].size() != 1) {
                out = ctx.uniqueName(var[ot] + "_clone");
                fifos.push_back({out, ot, ctx.streamWrites(ot) > 1 ? 2 : 1});
            }
            pr.params.push_back(streamOf(ot) + "& s_out");
            pr.args.push_back(out);
            body = lines(calls[i].streamCall);
            addProcess(pr, body);
            if (targets[ot].size() != 1) addClone(ot, out);
            continue;
        }
        // Per pixel: every input and the output have the same number of writes.
        const int64_t writes = ctx.streamWrites(ot);
        for (int t : n.inputs)
            NNFPGA_ASSERT(ctx.streamWrites(t) == writes,
                          "per-pixel process " + n.name + " with inputs of another pixel count");
        for (size_t k = 0; k < targets[ot].size(); ++k) {
            pr.params.push_back(streamOf(ot) + "& s_out" + std::to_string(k));
            pr.args.push_back(targets[ot][k]);
        }
        std::string pad;
        if (writes > 1) {
            body.push_back("for (unsigned pixel = 0; pixel < " + std::to_string(writes) + "; pixel++) {");
            pad = "    ";
            body.push_back(pad + "NNFPGA_PRAGMA(HLS PIPELINE II = " +
                           std::to_string(n.settings.strategy == Strategy::Latency ? n.settings.reuseFactor : 1) + ")");
        } else if (n.settings.strategy == Strategy::Latency) {
            // A resource-strategy layer pipelines its own reuse loop; others are one pipelined step per sample.
            body.push_back("NNFPGA_PRAGMA(HLS PIPELINE II = " + std::to_string(n.settings.reuseFactor) + ")");
        }
        for (size_t k = 0; k < n.inputs.size(); ++k)
            body.push_back(pad + "const " + streamArrayType(ctx, n.inputs[k]) + " in" + std::to_string(k) + " = s_in" +
                           std::to_string(k) + ".read();");
        body.push_back(pad + streamArrayType(ctx, ot) + " out;");
        for (const auto& l : lines(calls[i].statement)) body.push_back(l.empty() ? l : pad + l);
        for (size_t k = 0; k < targets[ot].size(); ++k)
            body.push_back(pad + "s_out" + std::to_string(k) + ".write(out);");
        if (writes > 1) body.push_back("}");
        addProcess(pr, body);
    }

    top.line("namespace " + ns + " {");
    top.line();
    for (const auto& l : lines(procs.str())) top.line(l);
    top.line("}  // namespace " + ns);
    top.line();
    top.line("using namespace " + ns + ";");
    top.line();
    top.open(signature);
    for (int t : g.inputs) top.line("NNFPGA_PRAGMA(HLS INTERFACE axis port = " + var[t] + ")");
    for (const auto& p : outPort) top.line("NNFPGA_PRAGMA(HLS INTERFACE axis port = " + p + ")");
    top.line("NNFPGA_PRAGMA(HLS DATAFLOW)");
    top.line();
    for (const Fifo& f : fifos) {
        top.line(streamOf(f.tensor) + " " + f.name + "(\"" + f.name + "\");");
        top.line("NNFPGA_PRAGMA(HLS STREAM variable = " + f.name + " depth = " + std::to_string(f.depth) + ")");
    }
    top.line();
    for (const auto& c : procCalls) top.line(c);
    top.close();
}

}  // namespace nnfpga

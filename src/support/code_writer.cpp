// Indented line writer and @SLOT@ template filling.
#include "nnfpga/support/code_writer.h"

#include <set>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

CodeWriter& CodeWriter::line(const std::string& s) {
    if (!s.empty()) out_ << std::string(static_cast<size_t>(level_ * width_), ' ') << s;
    out_ << "\n";
    return *this;
}

CodeWriter& CodeWriter::open(const std::string& head) {
    line(head + " {");
    return indent();
}

CodeWriter& CodeWriter::close(const std::string& tail) {
    dedent();
    return line("}" + tail);
}

std::string fillTemplate(const std::string& tmpl, const std::map<std::string, std::string>& slots,
                         const std::string& templateName) {
    std::string out;
    std::set<std::string> used;
    size_t pos = 0;
    while (true) {
        size_t a = tmpl.find('@', pos);
        if (a == std::string::npos) break;
        size_t b = tmpl.find('@', a + 1);
        if (b == std::string::npos) break;
        const std::string name = tmpl.substr(a + 1, b - a - 1);
        bool isSlot = !name.empty() && name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") == std::string::npos;
        if (!isSlot) {
            out += tmpl.substr(pos, b - pos);
            pos = b;
            continue;
        }
        auto it = slots.find(name);
        if (it == slots.end()) internalError(__FILE__, __LINE__, templateName + ": slot @" + name + "@ is not filled");
        out += tmpl.substr(pos, a - pos) + it->second;
        used.insert(name);
        pos = b + 1;
    }
    out += tmpl.substr(pos);
    for (const auto& [k, _] : slots)
        if (!used.count(k)) internalError(__FILE__, __LINE__, templateName + ": no slot @" + k + "@");
    return out;
}

}  // namespace nnfpga

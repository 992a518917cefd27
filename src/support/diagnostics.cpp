// Error and warning reporting shared by every library.
#include "nnfpga/support/diagnostics.h"

#include <iostream>

namespace nnfpga {

namespace {
std::function<void(const std::string&)>& sink() {
    static std::function<void(const std::string&)> s = [](const std::string& m) {
        std::cerr << "warning: " << m << "\n";
    };
    return s;
}
}  // namespace

void fail(const std::string& msg) { throw UserError(msg, 1); }
void usageError(const std::string& msg) { throw UserError(msg, 2); }

std::string layerPrefix(const std::string& name, const std::string& kind) {
    return "layer '" + name + "' (" + kind + "): ";
}

void failAtLayer(const std::string& name, const std::string& kind, const std::string& msg) {
    fail(layerPrefix(name, kind) + msg);
}

void warn(const std::string& msg) { sink()(msg); }
void setWarningSink(std::function<void(const std::string&)> s) { sink() = std::move(s); }

void internalError(const char* file, int line, const std::string& msg) {
    throw std::logic_error(std::string("internal error at ") + file + ":" + std::to_string(line) + ": " + msg);
}

}  // namespace nnfpga

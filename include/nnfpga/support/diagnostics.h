// User-facing errors and warnings. A UserError is raised for bad input and caught only in src/cli/,
// which prints "error: <message>" and exits with its code (1 bad input, 2 bad usage).
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace nnfpga {

class UserError : public std::runtime_error {
public:
    explicit UserError(const std::string& msg, int exitCode = 1) : std::runtime_error(msg), code_(exitCode) {}
    int exitCode() const { return code_; }

private:
    int code_;
};

// Raise a bad-input error (exit code 1).
[[noreturn]] void fail(const std::string& msg);
// Raise a bad-usage error (exit code 2).
[[noreturn]] void usageError(const std::string& msg);
// "layer 'fc1' (Dense): " prefix for messages about one layer.
std::string layerPrefix(const std::string& name, const std::string& kind);
[[noreturn]] void failAtLayer(const std::string& name, const std::string& kind, const std::string& msg);

// Warnings go to a sink (stderr by default) as "warning: <message>"; tests may redirect it.
void warn(const std::string& msg);
void setWarningSink(std::function<void(const std::string&)> sink);

[[noreturn]] void internalError(const char* file, int line, const std::string& msg);

}  // namespace nnfpga

#define NNFPGA_ASSERT(cond, msg)                                                                           \
    do {                                                                                                   \
        if (!(cond)) ::nnfpga::internalError(__FILE__, __LINE__, msg);                                     \
    } while (0)

// CodeWriter: indentation-aware text building for generated sources, and template filling with @SLOTS@.
#pragma once

#include <map>
#include <sstream>
#include <string>

namespace nnfpga {

class CodeWriter {
public:
    explicit CodeWriter(int indentWidth = 4) : width_(indentWidth) {}
    // Appends one line at the current indentation (an empty string gives an empty line).
    CodeWriter& line(const std::string& s = "");
    CodeWriter& indent() {
        ++level_;
        return *this;
    }
    CodeWriter& dedent() {
        --level_;
        return *this;
    }
    // "head {" then indent; close() dedents and writes "}" + tail.
    CodeWriter& open(const std::string& head);
    CodeWriter& close(const std::string& tail = "");
    std::string str() const { return out_.str(); }

private:
    std::ostringstream out_;
    int width_;
    int level_ = 0;
};

// Replaces every @NAME@ in `tmpl` by slots[NAME]; an unfilled or unknown slot is an internal error.
std::string fillTemplate(const std::string& tmpl, const std::map<std::string, std::string>& slots,
                         const std::string& templateName);

}  // namespace nnfpga

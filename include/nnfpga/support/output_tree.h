// OutputTree: a whole generated project in memory (relative path → bytes), written to disk atomically:
// into a temporary sibling folder first, then renamed into place, so a failure leaves nothing behind.
#pragma once

#include <map>
#include <string>

namespace nnfpga {

class OutputTree {
public:
    // Adds or replaces a file; `path` is relative, with '/' separators.
    void add(const std::string& path, std::string content, bool executable = false);
    bool contains(const std::string& path) const { return files_.count(path) != 0; }
    const std::string& get(const std::string& path) const;
    const std::map<std::string, std::string>& files() const { return files_; }

    // Writes every file under `dir`, replacing an existing `dir` only once everything is written.
    void writeTo(const std::string& dir) const;

private:
    std::map<std::string, std::string> files_;
    std::map<std::string, bool> executable_;
};

}  // namespace nnfpga

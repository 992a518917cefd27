// Atomic writing of a generated file tree.
#include "nnfpga/support/output_tree.h"

#include <filesystem>
#include <fstream>
#include <random>

#include "nnfpga/support/diagnostics.h"

namespace fs = std::filesystem;

namespace nnfpga {

void OutputTree::add(const std::string& path, std::string content, bool executable) {
    files_[path] = std::move(content);
    executable_[path] = executable;
}

const std::string& OutputTree::get(const std::string& path) const {
    auto it = files_.find(path);
    NNFPGA_ASSERT(it != files_.end(), "no generated file " + path);
    return it->second;
}

void OutputTree::writeTo(const std::string& dirArg) const {
    const fs::path dir = fs::absolute(dirArg).lexically_normal();
    const fs::path parent = dir.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) fail(dirArg + ": cannot create its parent folder (" + ec.message() + ")");
    if (fs::exists(dir) && !fs::is_directory(dir)) fail(dirArg + ": exists and is not a folder");
    std::random_device rd;
    const std::string suffix = std::to_string(rd() % 1000000);
    const fs::path tmp = parent / ("." + dir.filename().string() + ".tmp-" + suffix);
    try {
        for (const auto& [rel, content] : files_) {
            const fs::path p = tmp / rel;
            fs::create_directories(p.parent_path());
            std::ofstream f(p, std::ios::binary);
            f.write(content.data(), static_cast<std::streamsize>(content.size()));
            if (!f) fail(dirArg + ": cannot write " + rel);
            f.close();
            if (executable_.at(rel))
                fs::permissions(p, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                                fs::perm_options::add);
        }
        fs::path old;
        if (fs::exists(dir)) {
            old = parent / ("." + dir.filename().string() + ".old-" + suffix);
            fs::rename(dir, old);
        }
        fs::rename(tmp, dir);
        if (!old.empty()) fs::remove_all(old);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        fail(dirArg + ": cannot write the output (" + std::string(e.code().message()) + ")");
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

}  // namespace nnfpga

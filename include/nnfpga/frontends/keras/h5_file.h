// A small read-only RAII wrapper over the HDF5 C API: just what the Keras readers need (groups, string
// attributes, numeric datasets as doubles). Every failure raises UserError "<file>: <what is wrong>",
// and HDF5's own error printing is switched off, so corrupt input never dumps an HDF5 stack trace.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnfpga {

struct H5Array {
    std::vector<int64_t> shape;  // empty for a scalar
    std::vector<double> data;    // C order
};

struct H5FileState;  // the open file id plus the name used in messages

class H5Group {
public:
    H5Group(std::shared_ptr<H5FileState> file, int64_t id, std::string path);
    H5Group(H5Group&& other) noexcept;
    H5Group& operator=(H5Group&& other) noexcept;
    H5Group(const H5Group&) = delete;
    H5Group& operator=(const H5Group&) = delete;
    ~H5Group();

    const std::string& path() const { return path_; }  // "/" or "/model_weights/dense", for messages
    const std::string& fileName() const;

    // relPath may contain '/' (Keras weight names do); missing intermediate groups just mean "no".
    bool hasGroup(const std::string& relPath) const;
    bool hasDataset(const std::string& relPath) const;
    H5Group group(const std::string& relPath) const;
    H5Array readDataset(const std::string& relPath) const;
    // Direct members, sorted by name.
    std::vector<std::string> members() const;

    bool hasAttribute(const std::string& name) const;
    // A scalar (or one-element) string attribute, fixed or variable length; nullopt if absent.
    std::optional<std::string> stringAttribute(const std::string& name) const;
    // A string-array attribute, fixed or variable length. An empty numeric array counts as an empty list
    // (h5py writes an empty list that way). Absent gives nullopt.
    std::optional<std::vector<std::string>> stringListAttribute(const std::string& name) const;

private:
    enum class Kind { Missing, Group, Dataset, Other };
    Kind kindOf(const std::string& relPath) const;
    std::string childPath(const std::string& relPath) const;
    [[noreturn]] void corrupt(const std::string& what) const;

    std::shared_ptr<H5FileState> file_;
    int64_t id_ = -1;
    std::string path_;
};

class H5File {
public:
    // Fails with "<path>: no such file", "<path>: empty file", "<path>: not an HDF5 file or corrupt",
    // "<path>: truncated or corrupt HDF5 file (…)".
    static H5File open(const std::string& path);
    // Opens an in-memory file image (a member of a zip); displayName is used in messages.
    static H5File openImage(const std::vector<char>& image, const std::string& displayName);

    const std::string& fileName() const;
    H5Group root() const;

private:
    explicit H5File(std::shared_ptr<H5FileState> state) : state_(std::move(state)) {}
    std::shared_ptr<H5FileState> state_;
};

// HDF5 1.10 trusts offsets and sizes stored in a file (a corrupt global heap makes it read out of bounds),
// so a damaged file could kill the process. This runs `read` once in a forked child first: if the child
// crashes or hangs, it fails "<file>: corrupt HDF5 file (…)" naming the file HDF5 was reading (fallbackName
// if none was open yet). If the child finishes, with or without an exception, it returns and the caller
// does the real read in-process. Setting NNFPGA_HDF5_NO_PROBE skips the probe (for debuggers).
void probeHdf5Read(const std::function<void()>& read, const std::string& fallbackName);

}  // namespace nnfpga

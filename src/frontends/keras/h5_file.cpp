// Read-only HDF5 access for the Keras readers (see h5_file.h). All HDF5 calls live here, so the rest of
// the frontend never sees an hid_t, and every failure becomes a UserError that names the file.
#include "nnfpga/frontends/keras/h5_file.h"

#include <hdf5.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

struct H5FileState {
    hid_t id = H5I_INVALID_HID;
    std::string name;
    ~H5FileState() {
        if (id >= 0) H5Fclose(id);
    }
};

namespace {

// Guards against corrupt headers that claim absurd sizes: we would rather say so than die in new[].
constexpr uint64_t kMaxElements = uint64_t(1) << 31;
constexpr uint64_t kMaxAttributeBytes = uint64_t(1) << 30;

// Closes any HDF5 id with the matching close function when it goes out of scope.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle() {
        if (id_ >= 0) close_(id_);
    }
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

void silenceHdf5() {
    // HDF5 prints its error stack to stderr by default; we report our own message instead. The setting is
    // per thread in thread-safe builds, so it is repeated before every open.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

herr_t collectError(unsigned, const H5E_error2_t* err, void* data) {
    auto* out = static_cast<std::vector<std::string>*>(data);
    if (err->desc && *err->desc) out->emplace_back(err->desc);
    return 0;
}

// HDF5's error descriptions, most specific first (the upward walk starts at the innermost call).
std::vector<std::string> errorStack() {
    std::vector<std::string> descs;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collectError, &descs);
    return descs;
}

std::string innermostError() {
    auto descs = errorStack();
    return descs.empty() ? std::string() : descs.front();
}

// Parses "name = 123" out of HDF5's "truncated file: eof = …, stored_eof = …" message.
std::optional<uint64_t> numberAfter(const std::string& text, const std::string& key) {
    auto pos = text.find(key + " = ");
    if (pos == std::string::npos) return std::nullopt;
    pos += key.size() + 3;
    uint64_t v = 0;
    bool any = false;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        v = v * 10 + uint64_t(text[pos++] - '0');
        any = true;
    }
    return any ? std::optional<uint64_t>(v) : std::nullopt;
}

[[noreturn]] void failOpen(const std::string& name) {
    for (const auto& desc : errorStack()) {
        if (desc.find("truncated file") == std::string::npos) continue;
        // " eof = " would also match inside "stored_eof = ", hence the leading space and comma forms.
        auto have = numberAfter(desc, ": eof");
        auto want = numberAfter(desc, "stored_eof");
        if (have && want)
            fail(name + ": truncated or corrupt HDF5 file (only " + std::to_string(*have) + " of its " +
                 std::to_string(*want) + " bytes are present)");
        fail(name + ": truncated or corrupt HDF5 file (the file is shorter than its header says)");
    }
    for (const auto& desc : errorStack())
        if (desc.find("unable to read superblock") != std::string::npos)
            fail(name + ": truncated or corrupt HDF5 file (cannot read its superblock)");
    auto detail = innermostError();
    fail(name + ": truncated or corrupt HDF5 file" + (detail.empty() ? "" : " (" + detail + ")"));
}

// The file HDF5 is reading, for the probe child's crash handler (which may only call write()).
char gCurrentFile[4096] = "";
int gCrashPipe = -1;

void noteCurrentFile(const std::string& name) {
    std::snprintf(gCurrentFile, sizeof gCurrentFile, "%s", name.c_str());
}

const char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};

// The superblock may follow a user block of 512, 1024, 2048 … bytes.
template <typename ReadAt>
bool findSignature(uint64_t size, ReadAt readAt) {
    for (uint64_t off = 0; off + 8 <= size; off = off ? off * 2 : 512) {
        char buf[8];
        if (readAt(off, buf) && std::memcmp(buf, kSignature, 8) == 0) return true;
    }
    return false;
}

hid_t readOnlyAccess() {
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
#if H5_VERSION_GE(1, 10, 7)
    // Locks fail on some read-only and network file systems, and a reader needs none.
    if (fapl >= 0) H5Pset_file_locking(fapl, false, true);
#endif
    return fapl;
}

}  // namespace

// ---- H5File ------------------------------------------------------------------------------------------

H5File H5File::open(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) fail(path + ": no such file");
    if (fs::is_directory(status)) fail(path + ": is a directory, not a model file");
    uint64_t size = fs::file_size(path, ec);
    if (ec) fail(path + ": cannot read file");
    if (size == 0) fail(path + ": empty file");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path + ": cannot read file");
    bool isHdf5 = findSignature(size, [&](uint64_t off, char* buf) {
        in.seekg(std::streamoff(off));
        return bool(in.read(buf, 8));
    });
    if (!isHdf5) fail(path + ": not an HDF5 file or corrupt");

    noteCurrentFile(path);
    silenceHdf5();
    Handle fapl(readOnlyAccess(), H5Pclose);
    auto state = std::make_shared<H5FileState>();
    state->name = path;
    state->id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.valid() ? fapl.get() : H5P_DEFAULT);
    if (state->id < 0) failOpen(path);
    return H5File(std::move(state));
}

H5File H5File::openImage(const std::vector<char>& image, const std::string& displayName) {
    if (image.empty()) fail(displayName + ": empty file");
    bool isHdf5 = findSignature(image.size(), [&](uint64_t off, char* buf) {
        std::memcpy(buf, image.data() + off, 8);
        return true;
    });
    if (!isHdf5) fail(displayName + ": not an HDF5 file or corrupt");

    noteCurrentFile(displayName);
    silenceHdf5();
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), 1 << 16, false) < 0 ||
        H5Pset_file_image(fapl.get(), const_cast<char*>(image.data()), image.size()) < 0)
        fail(displayName + ": cannot load HDF5 image (" + innermostError() + ")");
    // The core driver keys open files by name; a unique name keeps two images from aliasing.
    static std::atomic<unsigned> counter{0};
    std::string fakeName = "nnfpga-image-" + std::to_string(counter++) + ".h5";
    auto state = std::make_shared<H5FileState>();
    state->name = displayName;
    state->id = H5Fopen(fakeName.c_str(), H5F_ACC_RDONLY, fapl.get());
    if (state->id < 0) failOpen(displayName);
    return H5File(std::move(state));
}

const std::string& H5File::fileName() const { return state_->name; }

H5Group H5File::root() const {
    hid_t id = H5Gopen2(state_->id, "/", H5P_DEFAULT);
    if (id < 0) fail(state_->name + ": truncated or corrupt HDF5 file (cannot open the root group)");
    return H5Group(state_, id, "/");
}

// ---- H5Group -----------------------------------------------------------------------------------------

H5Group::H5Group(std::shared_ptr<H5FileState> file, int64_t id, std::string path)
    : file_(std::move(file)), id_(id), path_(std::move(path)) {}

H5Group::H5Group(H5Group&& other) noexcept
    : file_(std::move(other.file_)), id_(other.id_), path_(std::move(other.path_)) {
    other.id_ = -1;
}

H5Group& H5Group::operator=(H5Group&& other) noexcept {
    if (this != &other) {
        if (id_ >= 0) H5Gclose(id_);
        file_ = std::move(other.file_);
        id_ = other.id_;
        path_ = std::move(other.path_);
        other.id_ = -1;
    }
    return *this;
}

H5Group::~H5Group() {
    if (id_ >= 0) H5Gclose(id_);
}

const std::string& H5Group::fileName() const { return file_->name; }

std::string H5Group::childPath(const std::string& relPath) const {
    return path_ == "/" ? "/" + relPath : path_ + "/" + relPath;
}

void H5Group::corrupt(const std::string& what) const {
    auto detail = innermostError();
    fail(file_->name + ": corrupt HDF5 file (" + what + (detail.empty() ? "" : ": " + detail) + ")");
}

H5Group::Kind H5Group::kindOf(const std::string& relPath) const {
    // One component at a time: H5Lexists on a multi-part path fails, rather than answering "no", when an
    // intermediate group is missing, and we want a failure to mean a damaged file.
    std::vector<std::string> parts;
    for (size_t begin = 0; begin <= relPath.size();) {
        size_t end = std::min(relPath.find('/', begin), relPath.size());
        if (end > begin) parts.push_back(relPath.substr(begin, end - begin));
        begin = end + 1;
    }
    if (parts.empty()) return Kind::Missing;
    std::optional<Handle> owned;  // the intermediate group we opened, if any
    hid_t where = id_;
    std::string walked = path_;
    for (size_t i = 0; i < parts.size(); ++i) {
        walked = walked == "/" ? "/" + parts[i] : walked + "/" + parts[i];
        htri_t exists = H5Lexists(where, parts[i].c_str(), H5P_DEFAULT);
        if (exists < 0) corrupt("cannot look up '" + walked + "'");
        if (exists == 0) return Kind::Missing;
        hid_t obj = H5Oopen(where, parts[i].c_str(), H5P_DEFAULT);
        if (obj < 0) corrupt("cannot open '" + walked + "'");
        H5I_type_t type = H5Iget_type(obj);
        if (i + 1 == parts.size()) {
            H5Oclose(obj);
            return type == H5I_GROUP ? Kind::Group : type == H5I_DATASET ? Kind::Dataset : Kind::Other;
        }
        owned.emplace(obj, H5Oclose);
        where = obj;
        if (type != H5I_GROUP) return Kind::Missing;
    }
    return Kind::Missing;
}

bool H5Group::hasGroup(const std::string& relPath) const { return kindOf(relPath) == Kind::Group; }
bool H5Group::hasDataset(const std::string& relPath) const { return kindOf(relPath) == Kind::Dataset; }

H5Group H5Group::group(const std::string& relPath) const {
    if (kindOf(relPath) != Kind::Group) fail(file_->name + ": no group '" + childPath(relPath) + "'");
    hid_t id = H5Gopen2(id_, relPath.c_str(), H5P_DEFAULT);
    if (id < 0) corrupt("cannot open group '" + childPath(relPath) + "'");
    return H5Group(file_, id, childPath(relPath));
}

std::vector<std::string> H5Group::members() const {
    H5G_info_t info;
    if (H5Gget_info(id_, &info) < 0) corrupt("cannot list group '" + path_ + "'");
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        ssize_t len = H5Lget_name_by_idx(id_, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (len < 0) corrupt("cannot list group '" + path_ + "'");
        std::string name(size_t(len) + 1, '\0');
        if (H5Lget_name_by_idx(id_, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0)
            corrupt("cannot list group '" + path_ + "'");
        name.resize(size_t(len));
        names.push_back(std::move(name));
    }
    return names;
}

namespace {

// Reads an enum dataset (h5py stores numpy bools this way) through its native integer base type:
// HDF5 converts enums only to other enums, not to numbers.
bool readEnumAsDouble(hid_t dset, hid_t fileType, uint64_t n, std::vector<double>& out) {
    Handle native(H5Tget_native_type(fileType, H5T_DIR_ASCEND), H5Tclose);
    if (!native.valid()) return false;
    Handle base(H5Tget_super(native.get()), H5Tclose);
    if (!base.valid()) return false;
    size_t size = H5Tget_size(base.get());
    bool isSigned = H5Tget_sign(base.get()) == H5T_SGN_2;
    if (size == 0 || size > 8) return false;
    std::vector<unsigned char> raw(n * size);
    if (H5Dread(dset, native.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0) return false;
    for (uint64_t i = 0; i < n; ++i) {
        uint64_t bits = 0;
        std::memcpy(&bits, raw.data() + i * size, size);  // native order: the low bytes come first here
        if (isSigned && size < 8 && (bits >> (8 * size - 1)) & 1) bits |= ~uint64_t(0) << (8 * size);
        out[i] = isSigned ? double(int64_t(bits)) : double(bits);
    }
    return true;
}

}  // namespace

H5Array H5Group::readDataset(const std::string& relPath) const {
    std::string where = childPath(relPath);
    if (kindOf(relPath) != Kind::Dataset) fail(file_->name + ": no dataset '" + where + "'");
    Handle dset(H5Dopen2(id_, relPath.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dset.valid()) corrupt("cannot open dataset '" + where + "'");
    Handle space(H5Dget_space(dset.get()), H5Sclose);
    Handle type(H5Dget_type(dset.get()), H5Tclose);
    if (!space.valid() || !type.valid()) corrupt("cannot read the header of dataset '" + where + "'");

    H5Array result;
    uint64_t n = 1;
    switch (H5Sget_simple_extent_type(space.get())) {
    case H5S_SCALAR:
        break;
    case H5S_NULL:
        n = 0;
        break;
    case H5S_SIMPLE: {
        int rank = H5Sget_simple_extent_ndims(space.get());
        if (rank < 0 || rank > H5S_MAX_RANK) corrupt("bad rank in dataset '" + where + "'");
        std::vector<hsize_t> dims(size_t(rank), 0);
        H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
        for (hsize_t d : dims) {
            if (d != 0 && n > kMaxElements / d) fail(file_->name + ": dataset '" + where + "' is too large");
            n *= d;
            result.shape.push_back(int64_t(d));
        }
        break;
    }
    default:
        corrupt("bad dataspace in dataset '" + where + "'");
    }

    H5T_class_t cls = H5Tget_class(type.get());
    try {
        result.data.assign(n, 0.0);
    } catch (const std::bad_alloc&) {
        fail(file_->name + ": dataset '" + where + "' is too large");
    }
    if (n == 0) return result;
    if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
        if (H5Dread(dset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, result.data.data()) < 0)
            corrupt("cannot read dataset '" + where + "'");
    } else if (cls == H5T_ENUM) {
        if (!readEnumAsDouble(dset.get(), type.get(), n, result.data)) corrupt("cannot read dataset '" + where + "'");
    } else {
        fail(file_->name + ": dataset '" + where + "' does not hold numbers");
    }
    return result;
}

bool H5Group::hasAttribute(const std::string& name) const { return H5Aexists(id_, name.c_str()) > 0; }

namespace {

// Reads every element of a string attribute; nullopt if the attribute is not a string type.
std::optional<std::vector<std::string>> readStrings(hid_t attr, hid_t type, uint64_t n, bool& ok) {
    ok = true;
    std::vector<std::string> out;
    if (H5Tget_class(type) != H5T_STRING) return std::nullopt;
    if (n == 0) return out;
    if (H5Tis_variable_str(type) > 0) {
        Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
        // HDF5 will not convert between ASCII and UTF-8, so read in the file's own character set.
        if (!mem.valid() || H5Tset_size(mem.get(), H5T_VARIABLE) < 0 ||
            H5Tset_cset(mem.get(), H5Tget_cset(type)) < 0) {
            ok = false;
            return out;
        }
        std::vector<char*> ptrs(n, nullptr);
        if (H5Aread(attr, mem.get(), ptrs.data()) < 0) {
            ok = false;
            return out;
        }
        for (char* p : ptrs) {
            out.emplace_back(p ? p : "");
            if (p) H5free_memory(p);
        }
        return out;
    }
    size_t size = H5Tget_size(type);
    if (size == 0 || n * size > kMaxAttributeBytes) {
        ok = false;
        return out;
    }
    // Reading with the file's own type means no conversion, so padding and length are as stored.
    std::vector<char> buf(n * size, '\0');
    if (H5Aread(attr, type, buf.data()) < 0) {
        ok = false;
        return out;
    }
    bool spacePadded = H5Tget_strpad(type) == H5T_STR_SPACEPAD;
    for (uint64_t i = 0; i < n; ++i) {
        const char* s = buf.data() + i * size;
        std::string str(s, strnlen(s, size));
        if (spacePadded)
            while (!str.empty() && str.back() == ' ') str.pop_back();
        out.push_back(std::move(str));
    }
    return out;
}

}  // namespace

std::optional<std::vector<std::string>> H5Group::stringListAttribute(const std::string& name) const {
    if (!hasAttribute(name)) return std::nullopt;
    std::string where = "attribute '" + name + "' of '" + path_ + "'";
    Handle attr(H5Aopen(id_, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!attr.valid()) corrupt("cannot open " + where);
    Handle type(H5Aget_type(attr.get()), H5Tclose);
    Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (!type.valid() || !space.valid()) corrupt("cannot read " + where);
    hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 0) corrupt("cannot read " + where);
    bool ok = true;
    auto strings = readStrings(attr.get(), type.get(), uint64_t(n), ok);
    if (!ok) corrupt("cannot read " + where);
    if (strings) return strings;
    if (n == 0) return std::vector<std::string>{};
    fail(file_->name + ": " + where + " is not a string");
}

std::optional<std::string> H5Group::stringAttribute(const std::string& name) const {
    auto list = stringListAttribute(name);
    if (!list) return std::nullopt;
    if (list->size() != 1)
        fail(file_->name + ": attribute '" + name + "' of '" + path_ + "' should be one string, has " +
             std::to_string(list->size()));
    return list->front();
}

// ---- crash probe ---------------------------------------------------------------------------------------

namespace {

constexpr int kCrashExit = 70;
constexpr int kProbeTimeoutMs = 300 * 1000;  // far beyond any legitimate read; only a looping HDF5 gets here

void onCrash(int) {
    if (gCrashPipe >= 0) {
        ssize_t ignored = write(gCrashPipe, gCurrentFile, strlen(gCurrentFile));
        (void)ignored;
    }
    _exit(kCrashExit);
}

[[noreturn]] void runProbeChild(const std::function<void()>& read, int pipeFd) {
    gCrashPipe = pipeFd;
    gCurrentFile[0] = '\0';
    // glibc reports heap corruption on stderr; the parent gives the user its own message instead.
    int devNull = ::open("/dev/null", O_WRONLY);
    if (devNull >= 0) {
        dup2(devNull, STDOUT_FILENO);
        dup2(devNull, STDERR_FILENO);
    }
    struct sigaction action {};
    action.sa_handler = onCrash;
    sigemptyset(&action.sa_mask);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &action, nullptr);
    try {
        read();
    } catch (...) {
        // Ordinary errors are reported by the parent's own read.
    }
    _exit(0);
}

}  // namespace

void probeHdf5Read(const std::function<void()>& read, const std::string& fallbackName) {
    if (std::getenv("NNFPGA_HDF5_NO_PROBE")) return;
    int fds[2];
    if (pipe(fds) != 0) return;  // no probe possible: read in-process, as without one
    std::fflush(nullptr);        // or the child's exit could repeat buffered output
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        runProbeChild(read, fds[1]);
    }
    close(fds[1]);

    // The pipe reaches end-of-file when the child exits, however it exits.
    std::string crashedIn;
    bool timedOut = false;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kProbeTimeoutMs);
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            break;
        }
        pollfd pfd{fds[0], POLLIN, 0};
        int ready = poll(&pfd, 1, int(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        char buf[512];
        ssize_t got = ::read(fds[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        crashedIn.append(buf, size_t(got));
    }
    close(fds[0]);
    if (timedOut) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string name = crashedIn.empty() ? fallbackName : crashedIn;
    if (timedOut) fail(name + ": corrupt HDF5 file (reading it did not finish)");
    if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == kCrashExit))
        fail(name + ": corrupt HDF5 file (reading it crashed the HDF5 library)");
}

}  // namespace nnfpga

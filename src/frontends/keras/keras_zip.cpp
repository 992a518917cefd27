// Extracts config.json and model.weights.h5 from a `.keras` zip into memory with libzip; the weights
// image is then opened by HDF5's in-memory driver, so nothing is written to disk.
#include "nnfpga/frontends/keras/keras_zip.h"

#include <zip.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

// Far above any model we could put on an FPGA; stops a corrupt size field from exhausting memory.
constexpr zip_uint64_t kMaxMemberBytes = zip_uint64_t(1) << 32;

std::string zipErrorText(int code) {
    zip_error_t err;
    zip_error_init_with_code(&err, code);
    std::string text = zip_error_strerror(&err);
    zip_error_fini(&err);
    return text;
}

// libzip 1.7 skips the CRC check for stored (uncompressed) members, which is how Keras writes them.
uint32_t crc32(const std::vector<char>& data) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t crc = 0xFFFFFFFFu;
    for (char ch : data) crc = table[(crc ^ uint8_t(ch)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

std::string describeOpenError(int code) {
    if (code == ZIP_ER_NOZIP) return "the zip directory at its end is missing";
    if (code == ZIP_ER_INCONS) return "its zip directory does not match its contents";
    return zipErrorText(code);
}

bool startsWithZipMagic(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, 4) && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

class Archive {
public:
    explicit Archive(const std::string& path) : path_(path) {
        int code = 0;
        // CHECKCONS makes libzip compare the central directory with the local headers, which catches
        // most damaged archives at open time instead of in the middle of a read.
        zip_ = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
        if (zip_) return;
        if (!startsWithZipMagic(path)) fail(path + ": not a .keras archive (not a zip file)");
        fail(path + ": truncated or corrupt .keras archive (" + describeOpenError(code) + ")");
    }
    Archive(const Archive&) = delete;
    Archive& operator=(const Archive&) = delete;
    ~Archive() {
        if (zip_) zip_discard(zip_);  // read-only: nothing to write back
    }

    bool has(const std::string& member) const { return zip_name_locate(zip_, member.c_str(), 0) >= 0; }

    std::vector<char> read(const std::string& member) const {
        zip_int64_t index = zip_name_locate(zip_, member.c_str(), 0);
        if (index < 0) fail(path_ + ": .keras archive has no " + member);
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(zip_, zip_uint64_t(index), 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
            corrupt(member, zip_strerror(zip_));
        if (st.size > kMaxMemberBytes) corrupt(member, "member is implausibly large");
        std::vector<char> data;
        try {
            data.resize(size_t(st.size));
        } catch (const std::bad_alloc&) {
            corrupt(member, "member is implausibly large");
        }
        zip_file_t* file = zip_fopen_index(zip_, zip_uint64_t(index), 0);
        if (!file) corrupt(member, zip_strerror(zip_));
        zip_uint64_t done = 0;
        while (done < st.size) {
            zip_int64_t got = zip_fread(file, data.data() + done, st.size - done);
            if (got <= 0) {
                std::string why = got < 0 ? zip_file_strerror(file) : "unexpected end of data";
                zip_fclose(file);
                corrupt(member, why);
            }
            done += zip_uint64_t(got);
        }
        // The CRC is checked when the whole member has been read, so a read error may surface only here.
        int closeCode = zip_fclose(file);
        if (closeCode != 0) corrupt(member, zipErrorText(closeCode));
        if ((st.valid & ZIP_STAT_CRC) && crc32(data) != st.crc) corrupt(member, "CRC mismatch");
        return data;
    }

private:
    [[noreturn]] void corrupt(const std::string& member, const std::string& why) const {
        fail(path_ + ": corrupt .keras archive (cannot read " + member + ": " + why + ")");
    }

    std::string path_;
    zip_t* zip_ = nullptr;
};

}  // namespace

KerasArchive readKerasArchive(const std::string& path, bool needWeights) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) fail(path + ": no such file");
    if (fs::is_directory(status)) fail(path + ": is a directory, not a model file");
    if (fs::file_size(path, ec) == 0 && !ec) fail(path + ": empty file");

    Archive archive(path);
    if (!archive.has("config.json")) fail(path + ": not a .keras archive (no config.json)");
    KerasArchive result;
    auto config = archive.read("config.json");
    result.configJson.assign(config.begin(), config.end());
    if (needWeights) {
        if (!archive.has("model.weights.h5")) fail(path + ": .keras archive has no model.weights.h5");
        result.weightsImage = archive.read("model.weights.h5");
    }
    return result;
}

}  // namespace nnfpga

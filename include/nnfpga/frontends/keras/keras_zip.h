// Reading the two members of a Keras 3 `.keras` archive (a zip) that the converter needs: config.json and
// model.weights.h5. Errors name the archive: "<path>: not a .keras archive (no config.json)" and so on.
#pragma once

#include <string>
#include <vector>

namespace nnfpga {

struct KerasArchive {
    std::string configJson;
    std::vector<char> weightsImage;  // empty if needWeights was false and the member is absent
};

KerasArchive readKerasArchive(const std::string& path, bool needWeights);

}  // namespace nnfpga

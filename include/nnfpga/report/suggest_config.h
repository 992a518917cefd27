// The configuration `nnfpga profile --output` writes: the user's configuration with a suggested type for every
// profiled variable under LayerName, as hls4ml YAML that loadProjectConfig reads back.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "nnfpga/config/config.h"
#include "nnfpga/report/profile.h"

namespace nnfpga {

// `base` plus, per layer, Precision: {var: suggestType(var, width)} for each configurable variable. An existing
// LayerName scope that matches the layer (case-insensitively, as precision lookup does) is extended.
// `identities` names layers of the model that the pipeline removed as identities (a linear activation whose type
// equals its input's), each with the profiled layer whose values it passes on: they get that layer's suggested
// result type, so that they stay identities instead of converting to the old type.
ProjectConfig suggestConfig(const Profile& p, const ProjectConfig& base, std::optional<int> width,
                            const std::map<std::string, std::string>& identities = {});

// hls4ml YAML for `cfg`: when it was read from a file, its top-level keys (model paths made absolute, so the
// written file works from any folder); then HLSConfig with Model, LayerType and LayerName. `comment` lines are
// written first, each prefixed with "# ".
std::string configYaml(const ProjectConfig& cfg, const std::string& comment);

}  // namespace nnfpga

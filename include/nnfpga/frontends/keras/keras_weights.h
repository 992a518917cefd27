// Attaching weight arrays from a Keras weights HDF5 file to a parsed model. Handles every layout Keras has
// written: layer_names/weight_names (save_weights and model.save .h5, Keras 2 and 3) and the Keras 3
// layers/<group>/vars/<i> layout (.keras archives and *.weights.h5).
#pragma once

#include "nnfpga/frontends/keras/h5_file.h"
#include "nnfpga/frontends/keras/keras_file.h"

namespace nnfpga {

// root: the file's root group. sequential: the model is a Sequential (Keras 3 layouts then skip the
// InputLayer when numbering groups). Fails "<file>: …" when the weights cannot belong to this model.
void attachKerasWeights(const H5Group& root, KerasModelDesc& model, bool sequential);

// Keras' rule for naming a variable group after a class: "GlobalAveragePooling1D" → "global_average_pooling1d".
std::string kerasSnakeCase(const std::string& className);

}  // namespace nnfpga

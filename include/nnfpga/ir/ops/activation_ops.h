// Attribute structs of element-wise activations and softmax, with hls4ml's table parameters.
#pragma once

#include <string>
#include <vector>

#include "nnfpga/fixed/fixed_type.h"

namespace nnfpga {

enum class ActKind {
    Linear,
    Relu,
    Sigmoid,
    Tanh,
    Elu,
    Selu,
    Softplus,
    Softsign,
    HardSigmoid,
    LeakyRelu,
    ThresholdedRelu,
    PRelu,
};
const char* toString(ActKind k);
// Sigmoid, Tanh, Softplus, Softsign, Elu and Selu are computed from a lookup table.
bool usesTable(ActKind k);

struct ActivationAttrs {
    ActKind kind = ActKind::Linear;
    double param = 0.0;         // LeakyReLU/ELU alpha, ThresholdedReLU theta
    std::vector<double> alpha;  // PReLU, one per element
    double slope = 0.2;         // hard_sigmoid: clip(slope*x + shift, 0, 1)
    double shift = 0.5;
    int tableSize = 1024;
    FixedType tableT = FixedType::fixed(18, 8);
    FixedType paramT;  // alpha/theta/PReLU weights
    FixedType slopeT = FixedType::fixed(16, 0, false);
    FixedType shiftT = FixedType::fixed(2, 0, false);
};

enum class SoftmaxImpl { Stable, Latency, Legacy, Argmax };
const char* toString(SoftmaxImpl s);

struct SoftmaxAttrs {
    SoftmaxImpl impl = SoftmaxImpl::Stable;
    int tableSize = 1024;
    FixedType expTableT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    FixedType invTableT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    FixedType invInpT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    FixedType accumT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    int nInner = 1;  // softmax over the last axis: nOuter groups of nIn/nOuter, stride 1
};

}  // namespace nnfpga

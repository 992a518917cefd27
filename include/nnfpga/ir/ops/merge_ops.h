// Attribute structs of the merge family: element-wise merges of same-shape tensors, concatenation, dot.
#pragma once

#include "nnfpga/fixed/fixed_type.h"

namespace nnfpga {

enum class MergeOp { Add, Subtract, Multiply, Average, Maximum, Minimum };
const char* toString(MergeOp op);

// Element-wise over 2 or more inputs of the same shape. Add/Subtract/Multiply: exact result, one cast to the
// output type (Subtract: exactly 2 inputs). Average: the exact sum times 1/n (n a power of two; exact), one cast.
// Maximum/Minimum: compare the exact values, one cast.
struct MergeAttrs {
    MergeOp op = MergeOp::Add;
};

// Concatenation along `axis` (0-based over the sample's axes) with a conversion to the output type.
struct ConcatAttrs {
    int axis = 0;
};

// Dot product of two vectors of n values: each product cast to accum_t, summed in accum_t, one cast to the
// result (shape [1]).
struct DotAttrs {
    FixedType accumT;
};

}  // namespace nnfpga

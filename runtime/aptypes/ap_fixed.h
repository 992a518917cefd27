// nnfpga's replacement for the Vitis HLS header <ap_fixed.h>: ap_fixed<W, I, Q, O, N>, ap_ufixed<...> (and the
// integer types), for C simulation with plain g++/clang++. See README.md for the supported subset and semantics.
#ifndef NNFPGA_AP_FIXED_H
#define NNFPGA_AP_FIXED_H

#include "nnfpga_ap_print.h"

#endif  // NNFPGA_AP_FIXED_H

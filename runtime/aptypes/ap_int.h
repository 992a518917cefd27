// nnfpga's replacement for the Vitis HLS header <ap_int.h>: ap_int<W>, ap_uint<W> (and, as in Vitis, the
// fixed-point types too), for C simulation with plain g++/clang++. See README.md for the supported subset.
#ifndef NNFPGA_AP_INT_H
#define NNFPGA_AP_INT_H

#include "nnfpga_ap_print.h"

#endif  // NNFPGA_AP_INT_H

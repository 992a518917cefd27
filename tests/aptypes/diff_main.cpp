// Differential test driver: runs every section and prints one line per case. differential.sh builds this program
// against runtime/aptypes and against the Vitis headers that ship with hls4ml and diffs the two outputs.
#include "diff_common.h"

int main() {
    std::cout.sync_with_stdio(false);
    difftest::conversionsA();
    difftest::conversionsB();
    difftest::arithmetic();
    difftest::misc();
    return 0;
}

// Differential test, conversions into wide targets (see diff_conversions.h).
#include "diff_conversions.h"

namespace difftest {
void conversionsB() {
    Rng r(2);
    shape<64, 32, true>(r);
    shape<64, 70, false>(r);
    shape<33, 10, true>(r);
    shape<80, 40, true>(r);
    shape<18, 8, true>(r);
}
}  // namespace difftest

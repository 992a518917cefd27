// Differential test, conversions into narrow targets (see diff_conversions.h).
#include "diff_conversions.h"

namespace difftest {
void conversionsA() {
    Rng r(1);
    shape<8, 4, true>(r);
    shape<8, 4, false>(r);
    shape<5, -2, true>(r);
    shape<6, 9, true>(r);
    shape<1, 1, true>(r);
    shape<2, 0, false>(r);
    shape<3, 3, true>(r);
}
}  // namespace difftest

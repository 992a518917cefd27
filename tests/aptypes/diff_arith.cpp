// Differential test, arithmetic: + - * / and comparisons between many operand type pairs (result type and raw
// bits), with C integers and doubles, compound assignments into saturating/rounding types, %, & | ^ on ap_int.
#include "diff_common.h"

namespace difftest {
namespace {

constexpr int kPerOp = 12;

// Vitis divides wrongly in cases left out here (listed in runtime/aptypes/README.md): mixed signedness when the
// unsigned operand has 32 or more bits or the signed one has 1 bit, and the most negative dividend over -1.
template <class A, class B>
bool vitisDividesRight(const A& a, const B& b) {
    if (kSigned<A> != kSigned<B>) {
        const int uw = kSigned<A> ? B::width : A::width, sw = kSigned<A> ? A::width : B::width;
        if (uw >= 32 || sw == 1) return false;
    }
    const bool aMin = kSigned<A> && getBits(a) == (U128(1) << (A::width - 1));
    const bool bMinusOne = kSigned<B> && getBits(b) == mask128(B::width);
    return !(aMin && bMinusOne);
}

// Vitis compares a signed value with an unsigned one of 32 or more bits whose top bit is set in a way not modelled
// (README.md); those comparisons are left out.
template <class A, class B>
bool vitisComparesAsModelled(const A& a, const B& b) {
    if (kSigned<A> == kSigned<B>) return true;
    if (kSigned<A>) return B::width < 32 || (getBits(b) >> (B::width - 1)) == 0;
    return A::width < 32 || (getBits(a) >> (A::width - 1)) == 0;
}

template <class A, class B>
void pair(Rng& r) {
    for (int k = 0; k < kPerOp; ++k) {
        const A a = randomValue<A>(r, 0);
        const B b = randomValue<B>(r, 0);
        std::cout << "ar " << desc(a) << " " << desc(b) << " + " << desc(a + b) << " - " << desc(a - b) << " * "
                  << desc(a * b);
        if (b != 0 && vitisDividesRight(a, b)) std::cout << " / " << desc(a / b);
        if (vitisComparesAsModelled(a, b)) {
            std::cout << " cmp " << (a == b) << (a != b) << (a < b) << (a <= b) << (a > b) << (a >= b);
        }
        std::cout << "\n";
    }
}

template <class A>
void withCInts(Rng& r) {
    for (int k = 0; k < kPerOp; ++k) {
        const A a = randomValue<A>(r, 0);
        const int i = int(r.next() >> r.below(64));
        const unsigned u = unsigned(r.next() >> r.below(64));
        const long long l = (long long)(r.next() >> r.below(64));
        const unsigned long long ul = r.next() >> r.below(64);
        const char c = char(r.next());
        const bool t = (r.next() & 1) != 0;
        const short sh = short(r.next());
        std::cout << "ac " << desc(a) << " " << i << " " << u << " " << l << " " << ul << " " << int(c) << " " << t
                  << " " << sh << " :";
        std::cout << " " << desc(a + i) << " " << desc(i - a) << " " << desc(a * i) << " " << desc(a + u) << " "
                  << desc(u * a) << " " << desc(a - l) << " " << desc(l * a) << " " << desc(a + ul) << " "
                  << desc(a * c) << " " << desc(a + t) << " " << desc(sh - a);
        // Divisions Vitis gets wrong (mixed signedness with 32 or more unsigned bits) are left out.
        const bool wideUnsignedA = !kSigned<A> && A::width >= 32;
        if (i != 0 && !wideUnsignedA) std::cout << " " << desc(a / i);
        if (u != 0 && !kSigned<A>) std::cout << " " << desc(a / u);
        if (c != 0 && !wideUnsignedA) std::cout << " " << desc(a / c);
        const bool unsignedTopClear = kSigned<A> ? (u >> 31) == 0 && (ul >> 63) == 0
                                                 : A::width < 32 || (getBits(a) >> (A::width - 1)) == 0;
        if (unsignedTopClear) {
            std::cout << " " << (a == i) << (a < i) << (i > a) << (a >= u) << (a < l) << (a == ul) << (a > c) << (a == t);
        }
        const double d = randomDouble(r, A::width, kFrac<A>);
        std::cout << " d " << dbits(d) << " " << (a < d) << (a == d) << (d <= a) << (a != float(d)) << "\n";
    }
}

// Compound assignment converts the exact result back into the left operand's type and modes.
template <class D, class B>
void compound(Rng& r) {
    for (int k = 0; k < kPerOp; ++k) {
        const D a0 = randomValue<D>(r, 0);
        const B b = randomValue<B>(r, kFrac<B> - kFrac<D>);
        D a = a0;
        std::cout << "co " << desc(a0) << " " << desc(b);
        a += b;
        std::cout << " " << desc(a);
        a -= b;
        std::cout << " " << desc(a);
        a *= b;
        std::cout << " " << desc(a);
        if (b != 0) {
            a /= b;
            std::cout << " " << desc(a);
        }
        a = a0;
        const int n = r.below(7) - 1;
        a += n;
        std::cout << " " << desc(a);
        a *= n;
        std::cout << " " << desc(a);
        if (n != 0) {
            a = a0;
            a /= n;
            std::cout << " " << desc(a);
        }
        a = a0;
        ++a;
        std::cout << " " << desc(a);
        a--;
        a--;
        std::cout << " " << desc(a) << " " << desc(-a0) << " " << desc(~a0) << " " << !a0 << "\n";
    }
}

template <class A, class B>
void intOps(Rng& r) {
    for (int k = 0; k < kPerOp; ++k) {
        const A a = randomValue<A>(r, 0);
        const B b = randomValue<B>(r, 0);
        std::cout << "ai " << desc(a) << " " << desc(b) << " & " << desc(a & b) << " | " << desc(a | b) << " ^ "
                  << desc(a ^ b);
        // % with mixed signedness differs in Vitis (not reproduced; README.md), so only same-sign remainders.
        if (b != 0 && kSigned<A> == kSigned<B>) std::cout << " % " << desc(a % b);
        const int i = kSigned<A> ? r.below(200) - 100 : r.below(100) + 1;
        std::cout << " " << desc(a & i) << " " << desc(i | a) << " " << desc(a ^ 3);
        if (i != 0) std::cout << " " << desc(a % i);
        A c = a;
        c %= (i == 0 ? 7 : i);
        std::cout << " " << desc(c);
        c &= b;
        std::cout << " " << desc(c);
        c |= 5;
        std::cout << " " << desc(c);
        c ^= b;
        std::cout << " " << desc(c) << " " << desc(~a) << " " << desc(-a) << "\n";
    }
}

template <class... Ts>
struct Types {};

template <class A, class... Bs>
void rowOf(Rng& r, Types<Bs...>) {
    (pair<A, Bs>(r), ...);
}
template <class... As>
void allPairs(Rng& r, Types<As...> t) {
    (rowOf<As>(r, t), ...);
}

}  // namespace

void arithmetic() {
    Rng r(3);
    typedef Types<ap_fixed<8, 4>, ap_ufixed<8, 3>, ap_fixed<16, 6>, ap_fixed<12, -2>, ap_fixed<10, 14>, ap_int<8>,
                  ap_uint<7>, ap_fixed<64, 32>, ap_ufixed<64, 64>, ap_int<64>, ap_uint<64>,
                  ap_fixed<40, 20, AP_RND, AP_SAT>, ap_int<1>, ap_uint<1>>
        Operands;
    allPairs(r, Operands());
    forEach<ap_fixed<8, 4>, ap_ufixed<8, 3>, ap_fixed<16, 6>, ap_fixed<12, -2>, ap_fixed<10, 14>, ap_int<8>,
            ap_uint<7>, ap_fixed<64, 32>, ap_ufixed<64, 64>, ap_int<64>, ap_uint<64>, ap_int<33>, ap_uint<32>>(
        [&](auto tag) { withCInts<typename decltype(tag)::type>(r); });
    forEach<ap_fixed<8, 4, AP_RND, AP_SAT>, ap_fixed<8, 4, AP_RND_CONV, AP_SAT_SYM>, ap_ufixed<10, 4, AP_RND_INF, AP_SAT>,
            ap_fixed<16, 6>, ap_fixed<12, 2, AP_TRN_ZERO, AP_SAT_ZERO>, ap_fixed<20, 8, AP_RND_ZERO, AP_WRAP_SM>>(
        [&](auto tag) {
            typedef typename decltype(tag)::type D;
            compound<D, ap_fixed<16, 8>>(r);
            compound<D, ap_ufixed<6, 2>>(r);
            compound<D, ap_int<5>>(r);
            compound<D, ap_fixed<24, 3, AP_RND, AP_SAT>>(r);
        });
    forEach<ap_int<8>, ap_uint<8>, ap_int<1>, ap_uint<33>, ap_int<64>, ap_uint<64>, ap_int<100>>([&](auto ta) {
        forEach<ap_int<8>, ap_uint<5>, ap_int<40>, ap_uint<64>>(
            [&](auto tb) { intOps<typename decltype(ta)::type, typename decltype(tb)::type>(r); });
    });
}

}  // namespace difftest

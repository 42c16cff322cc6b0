package org.glovebox.he.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import java.util.stream.Stream;
import org.glovebox.he.math.Modulus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fast base conversion: the output is x + u·A for one small u in [0, |A|) per coefficient (checked with BigInteger). */
class BasisExtenderTest {
    private static final int N = 256;

    static Stream<Arguments> bases() {
        return Stream.of(
                Arguments.of("1 -> 3", RingTestSupport.moduli(N, 60), RingTestSupport.moduli(N, 40, 50, 61)),
                Arguments.of("2 -> 2 (ModDown-like)", RingTestSupport.moduli(N, 49, 50), RingTestSupport.moduli(N, 60, 40)),
                Arguments.of("3 x 61 bits -> 4", RingTestSupport.moduli(N, 61, 61, 61), RingTestSupport.moduli(N, 40, 41, 60, 30)),
                Arguments.of("5 -> 1", RingTestSupport.moduli(N, 40, 40, 40, 40, 60), RingTestSupport.moduli(N, 59)),
                Arguments.of("8 x 61 -> 2", RingTestSupport.moduli(N, 61, 61, 61, 61, 61, 61, 61, 61),
                        RingTestSupport.moduli(N, 30, 58)));
    }

    private static BigInteger[] randomValues(BigInteger bound, long seed) {
        Random r = new Random(seed);
        BigInteger[] xs = new BigInteger[N];
        for (int c = 0; c < N; c++) {
            xs[c] = switch (c) {
                case 0 -> BigInteger.ZERO;
                case 1 -> BigInteger.ONE;
                case 2 -> bound.subtract(BigInteger.ONE);
                case 3 -> bound.shiftRight(1);
                case 4 -> bound.shiftRight(1).add(BigInteger.ONE);
                default -> new BigInteger(bound.bitLength() + 8, r).mod(bound);
            };
        }
        return xs;
    }

    private static long[][] residues(BigInteger[] xs, Modulus[] m) {
        long[][] out = new long[m.length][N];
        for (int i = 0; i < m.length; i++) {
            for (int c = 0; c < N; c++) {
                out[i][c] = RingTestSupport.mod(xs[c], m[i]);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bases")
    void convertGivesXPlusSmallMultipleOfA(String name, Modulus[] from, Modulus[] to) {
        BasisExtender ext = new BasisExtender(from, to);
        assertThat(ext.fromSize()).isEqualTo(from.length);
        assertThat(ext.toSize()).isEqualTo(to.length);
        BigInteger a = RingTestSupport.product(from);
        BigInteger[] xs = randomValues(a, name.hashCode());
        long[][] out = new long[to.length][N];
        ext.convert(residues(xs, from), out, new long[from.length][N]);
        for (int c = 0; c < N; c++) {
            int u = findU(xs[c], a, to, out, c, from.length);
            assertThat(u).as("coefficient %d (x=%s): no u in [0, %d) explains the output", c, xs[c], from.length)
                    .isGreaterThanOrEqualTo(0);
        }
    }

    /** The u in [0, k) with out_j = (x + u·A) mod b_j for every j, or -1. */
    private static int findU(BigInteger x, BigInteger a, Modulus[] to, long[][] out, int c, int k) {
        for (int u = 0; u < k; u++) {
            BigInteger y = x.add(a.multiply(BigInteger.valueOf(u)));
            boolean all = true;
            for (int j = 0; j < to.length; j++) {
                if (out[j][c] != RingTestSupport.mod(y, to[j])) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return u;
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bases")
    void convertIsExactForSmallInputsWithOnePrime(String name, Modulus[] from, Modulus[] to) {
        if (from.length != 1) {
            return;
        }
        // with a single source prime the conversion is exact: u = 0 always
        BasisExtender ext = new BasisExtender(from, to);
        BigInteger a = RingTestSupport.product(from);
        BigInteger[] xs = randomValues(a, 99);
        long[][] out = new long[to.length][N];
        ext.convert(residues(xs, from), out, new long[1][N]);
        for (int c = 0; c < N; c++) {
            for (int j = 0; j < to.length; j++) {
                assertThat(out[j][c]).isEqualTo(RingTestSupport.mod(xs[c], to[j]));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bases")
    void convertCenteredGivesTheResiduesOfTheCenteredRepresentative(String name, Modulus[] from, Modulus[] to) {
        BasisExtender ext = new BasisExtender(from, to);
        BigInteger a = RingTestSupport.product(from);
        BigInteger[] xs = randomValues(a, name.hashCode() + 1L);
        long[][] out = new long[to.length][N];
        ext.convertCentered(residues(xs, from), out, new long[from.length + 1][N]);
        for (int c = 0; c < N; c++) {
            BigInteger centered = RingTestSupport.centered(xs[c], a);
            // Right at +-A/2 the floating-point overflow count cannot tell the two representatives apart: accept either
            // there (coefficients 3 and 4 are (A-1)/2 and (A+1)/2); everywhere else the result must be exact.
            BigInteger other = centered.signum() > 0 ? centered.subtract(a) : centered.add(a);
            boolean exact = true;
            boolean alternative = true;
            for (int j = 0; j < to.length; j++) {
                exact &= out[j][c] == RingTestSupport.mod(centered, to[j]);
                alternative &= out[j][c] == RingTestSupport.mod(other, to[j]);
            }
            if (c == 3 || c == 4) {
                assertThat(exact || alternative).as("coefficient %d near A/2", c).isTrue();
            } else {
                assertThat(exact).as("coefficient %d: x=%s centered=%s", c, xs[c], centered).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bases")
    void convertCenteredIsExactForSmallSignedValues(String name, Modulus[] from, Modulus[] to) {
        // the ModDown / rescale use case: |x| far below A/2, both signs
        BasisExtender ext = new BasisExtender(from, to);
        BigInteger a = RingTestSupport.product(from);
        java.util.Random r = new java.util.Random(7);
        BigInteger[] xs = new BigInteger[N];
        for (int c = 0; c < N; c++) {
            BigInteger v = new BigInteger(Math.max(1, a.bitLength() - 2 - r.nextInt(40)), r);
            xs[c] = c % 2 == 0 ? v : v.negate();
        }
        long[][] in = new long[from.length][N];
        for (int i = 0; i < from.length; i++) {
            for (int c = 0; c < N; c++) {
                in[i][c] = RingTestSupport.mod(xs[c], from[i]);
            }
        }
        long[][] out = new long[to.length][N];
        ext.convertCentered(in, out, new long[from.length + 1][N]);
        for (int c = 0; c < N; c++) {
            for (int j = 0; j < to.length; j++) {
                assertThat(out[j][c]).as("coefficient %d = %s mod %d", c, xs[c], to[j].value())
                        .isEqualTo(RingTestSupport.mod(xs[c], to[j]));
            }
        }
    }
}

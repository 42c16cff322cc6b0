package org.glovebox.he.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.glovebox.he.math.Modulus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Centered CRT reconstruction as a double, against BigInteger. */
class CrtReconstructorTest {
    private static final int N = 64;
    private static final Modulus[] MODULI = RingTestSupport.moduli(N, 60, 40, 40, 61, 50, 30);

    private static RnsPoly poly(List<BigInteger> xs, Modulus[] m, int count) {
        RnsPoly p = new RnsPoly(N, count);
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < xs.size(); c++) {
                p.limb(i)[c] = RingTestSupport.mod(xs.get(c), m[i]);
            }
        }
        return p;
    }

    private static void assertReconstructs(List<BigInteger> xs, int count) {
        Modulus[] m = java.util.Arrays.copyOf(MODULI, count);
        BigInteger q = RingTestSupport.product(m);
        CrtReconstructor crt = new CrtReconstructor(MODULI);
        assertThat(crt.size()).isEqualTo(MODULI.length);
        RnsPoly p = poly(xs, MODULI, MODULI.length); // extra limbs beyond count must be ignored
        long[] scratch = new long[count];
        for (int c = 0; c < xs.size(); c++) {
            BigInteger expected = RingTestSupport.centered(xs.get(c), q);
            double actual = crt.centered(p, count, c, scratch);
            if (expected.abs().bitLength() <= 53) {
                assertThat(actual).as("x=%s, %d limbs", expected, count).isEqualTo(expected.doubleValue());
            } else {
                double tol = Math.abs(expected.doubleValue()) * 0x1p-50;
                assertThat(new BigDecimal(actual).subtract(new BigDecimal(expected)).abs().doubleValue())
                        .as("x=%s, %d limbs, got %s", expected, count, actual)
                        .isLessThanOrEqualTo(tol);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void matchesBigIntegerCenteredCrtForRandomAndSmallValues(int count) {
        Modulus[] m = java.util.Arrays.copyOf(MODULI, count);
        BigInteger q = RingTestSupport.product(m);
        Random r = new Random(count);
        List<BigInteger> xs = new ArrayList<>();
        for (long v : new long[] {0, 1, -1, 2, -2, 12345, -12345, (1L << 53) - 1, -(1L << 53) + 1}) {
            xs.add(BigInteger.valueOf(v).mod(q));
        }
        while (xs.size() < N) {
            int bits = 1 + r.nextInt(q.bitLength() - 1);
            BigInteger v = new BigInteger(bits, r);
            xs.add((r.nextBoolean() ? v : v.negate()).mod(q));
        }
        assertReconstructs(xs, count);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void valuesBelowHalfTheFirstPrimeTakeTheShortPathAndAgreeWithGarnerBitForBit(int count) {
        BigInteger q = RingTestSupport.product(java.util.Arrays.copyOf(MODULI, count));
        BigInteger q0 = BigInteger.valueOf(MODULI[0].value());
        BigInteger half0 = q0.shiftRight(1);
        Random r = new Random(100 + count);
        List<BigInteger> xs = new ArrayList<>();
        // the first prime's boundary, on both sides and both signs, then random magnitudes up to a few primes
        for (BigInteger x : new BigInteger[] {half0, half0.subtract(BigInteger.ONE), half0.add(BigInteger.ONE),
                half0.add(BigInteger.TWO), q0, q0.subtract(BigInteger.ONE), q0.add(BigInteger.ONE)}) {
            xs.add(x.mod(q));
            xs.add(x.negate().mod(q));
        }
        while (xs.size() < N) {
            int bits = 1 + r.nextInt(Math.min(q.bitLength() - 1, 130));
            BigInteger v = new BigInteger(bits, r);
            xs.add((r.nextBoolean() ? v : v.negate()).mod(q));
        }
        assertReconstructs(xs, count);
        CrtReconstructor crt = new CrtReconstructor(MODULI);
        RnsPoly p = poly(xs, MODULI, count);
        long[] scratch = new long[count];
        for (int c = 0; c < xs.size(); c++) {
            assertThat(crt.centered(p, count, c, scratch)).as("x = %s", RingTestSupport.centered(xs.get(c), q))
                    .isEqualTo(crt.centeredByGarner(p, count, c, scratch));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6})
    void valuesAroundHalfOutsideTheTopDigitWindow(int count) {
        BigInteger q = RingTestSupport.product(java.util.Arrays.copyOf(MODULI, count));
        BigInteger half = q.shiftRight(1); // (Q - 1) / 2, Q odd
        assertReconstructs(List.of(half, half.subtract(BigInteger.ONE), q.subtract(BigInteger.ONE),
                half.add(q.divide(BigInteger.valueOf(MODULI[count - 1].value()))).add(BigInteger.ONE)), count);
    }

    /**
     * Values x in ((Q+1)/2, (Q + Q/q_top)/2) are above Q/2, so their centered representative is x - Q (about -Q/2),
     * but the sign test only looks at the top mixed-radix digit and returns about +Q/2.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 6})
    void valuesJustAboveHalfAreNegative(int count) {
        BigInteger q = RingTestSupport.product(java.util.Arrays.copyOf(MODULI, count));
        BigInteger half = q.shiftRight(1);
        assertReconstructs(List.of(half.add(BigInteger.ONE), half.add(BigInteger.TWO)), count);
    }

    @Test
    void singleLimbUsesTheCenteredResidue() {
        long q0 = MODULI[0].value();
        assertReconstructs(List.of(BigInteger.valueOf(q0 / 2), BigInteger.valueOf(q0 / 2 + 1), BigInteger.valueOf(q0 - 1)), 1);
    }
}

package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.glovebox.he.math.Modulus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Encoding round trips. Rounding each of the N coefficients moves it by at most 1/2, so no slot can move by more
 * than N / (2·scale): that is the bound checked here (plus float64 FFT error).
 */
class EncoderTest {
    private static final Parameters SMALL = TestSupport.smallParams();
    private static final Encoder ENC = new Encoder(SMALL);

    private static double bound(Parameters p, double scale, double magnitude) {
        return p.n() / (2 * scale) + magnitude * 0x1p-40;
    }

    private static double maxError(double[] re, double[] im, double[][] got) {
        double m = 0;
        for (int i = 0; i < re.length; i++) {
            m = Math.max(m, Math.abs(re[i] - got[0][i]));
            m = Math.max(m, Math.abs((im == null ? 0 : im[i]) - got[1][i]));
        }
        return m;
    }

    @ParameterizedTest(name = "scale 2^{0}")
    @ValueSource(ints = {10, 20, 30, 40, 50, 55})
    void realRoundTripErrorIsBoundedByNOverTwoScale(int logScale) {
        double scale = Math.scalb(1.0, logScale);
        double[] x = Slots.random(SMALL.maxSlots(), logScale);
        double[][] got = ENC.decodeComplex(ENC.encode(x, SMALL.maxLevel(), scale));
        double err = maxError(x, null, got);
        System.out.printf("encode round trip at N=2^11, scale 2^%d: %.2f bits%n", logScale, -Slots.log2(err));
        assertThat(err).isLessThanOrEqualTo(bound(SMALL, scale, 1));
        // and the error is not much better than the bound suggests either: the scale is really used
        assertThat(err).isGreaterThan(0x1p-20 / scale);
    }

    @ParameterizedTest(name = "{0} slots")
    @ValueSource(ints = {1, 2, 4, 16, 128, 512, 1024})
    void complexRoundTripForEverySlotCount(int slots) {
        double[] re = Slots.random(slots, 1000 + slots);
        double[] im = Slots.random(slots, 2000 + slots);
        Plaintext pt = ENC.encode(re, im, slots, SMALL.maxLevel(), SMALL.defaultScale());
        assertThat(pt.slots()).isEqualTo(slots);
        assertThat(pt.level()).isEqualTo(SMALL.maxLevel());
        assertThat(pt.scale()).isEqualTo(SMALL.defaultScale());
        double[][] got = ENC.decodeComplex(pt);
        assertThat(got[0]).hasSize(slots);
        assertThat(maxError(re, im, got)).isLessThanOrEqualTo(bound(SMALL, SMALL.defaultScale(), 1));
    }

    @Test
    void shortVectorsAreZeroPaddedAndRealInputsDecodeWithZeroImaginaryParts() {
        double[] re = {0.5, -0.25, 1};
        double[][] got = ENC.decodeComplex(ENC.encode(re, null, 8, 2, SMALL.defaultScale()));
        double[] expected = {0.5, -0.25, 1, 0, 0, 0, 0, 0};
        assertThat(maxError(expected, null, got)).isLessThan(1e-9);
        assertThat(ENC.decode(ENC.encode(re, null, 8, 0, 0x1p30))).hasSize(8);
    }

    @Test
    void sparsePackingReplicatesTheVectorAcrossTheRing() {
        // A plaintext with n sparse slots is a polynomial in X^(N/2n): its coefficients off that lattice are zero.
        int slots = 16;
        Plaintext pt = ENC.encode(Slots.random(slots, 5), Slots.random(slots, 6), slots, 0, SMALL.defaultScale());
        var coeff = pt.poly().copy();
        SMALL.ringQ().intt(coeff, org.glovebox.he.ring.Parallelism.SERIAL);
        int gap = SMALL.n() / (2 * slots);
        for (int c = 0; c < SMALL.n(); c++) {
            if (c % gap != 0) {
                assertThat(coeff.limb(0)[c]).as("coefficient %d", c).isZero();
            }
        }
    }

    @Test
    void everyLevelDecodesTheSameValues() {
        double[] x = Slots.random(SMALL.maxSlots(), 9);
        for (int level = 0; level <= SMALL.maxLevel(); level++) {
            Plaintext pt = ENC.encode(x, level, SMALL.defaultScale());
            assertThat(pt.level()).isEqualTo(level);
            assertThat(maxError(x, null, ENC.decodeComplex(pt))).isLessThanOrEqualTo(bound(SMALL, SMALL.defaultScale(), 1));
        }
    }

    @ParameterizedTest(name = "magnitude 2^{0}")
    @ValueSource(ints = {20, 22, 23, 24, 30, 45, 60})
    void hugeValuesBeyondTwoTo63AfterScaling(int logMagnitude) {
        // scale 2^40: coefficients reach about 2^(40 + logMagnitude), beyond the range of a long from 2^23 on
        double mag = Math.scalb(1.0, logMagnitude);
        double[] re = Slots.scale(Slots.random(SMALL.maxSlots(), 70 + logMagnitude), mag);
        double[] im = Slots.scale(Slots.random(SMALL.maxSlots(), 80 + logMagnitude), mag);
        re[0] = mag; // exact powers of two and their negatives
        re[1] = -mag;
        double[][] got = ENC.decodeComplex(ENC.encode(re, im, SMALL.maxSlots(), SMALL.maxLevel(), SMALL.defaultScale()));
        double err = maxError(re, im, got);
        System.out.printf("encode round trip of values up to 2^%d at scale 2^40: relative error 2^%.1f%n", logMagnitude,
                Slots.log2(err / mag));
        assertThat(err).isLessThanOrEqualTo(bound(SMALL, SMALL.defaultScale(), mag));
    }

    @Test
    void residueOfHugeIntegerValuedDoublesIsExact() {
        Modulus[] moduli = {SMALL.ringQ().modulus(0), SMALL.ringQ().modulus(1), new Modulus(65537)};
        double[] values = {0, -0.0, 1, -1, 0x1p62 - 1024, 0x1p62, -0x1p62, 0x1p63, -0x1p63, 0x1p64 + 0x1p20, 0x1.fffffffffffffp70,
            -0x1.23456789abcdep100, 0x1p200, 1e30, -1e30, 9007199254740993.0 /* rounds to 2^53 */};
        for (Modulus m : moduli) {
            for (double v : values) {
                BigInteger exact = new BigDecimal(v).toBigIntegerExact();
                assertThat(Encoder.residue(v, m)).as("%s mod %d", v, m.value())
                        .isEqualTo(exact.mod(BigInteger.valueOf(m.value())).longValue());
            }
        }
    }

    @Test
    void roundedCoefficientsReachEveryLimbExactlyAroundTheFloatingPointReductionsLimits() {
        // primes of 17 to 61 bits; values at and around 2^52 (the floating-point path's limit), near multiples of
        // each prime (where the floating-point quotient is off by one), huge values, signed zero
        int n = 2048;
        java.util.List<Modulus> primes = new java.util.ArrayList<>(java.util.List.of(new Modulus(65537)));
        for (int bits : new int[] {30, 40, 50, 55, 60, 61}) {
            primes.add(new Modulus(org.glovebox.he.math.Primes.nttPrimes(bits, 1, n, java.util.Set.of()).get(0)));
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        java.util.List<Double> values = new java.util.ArrayList<>(java.util.List.of(0.0, -0.0, 1.0, -1.0, 0x1p52 - 1,
                -(0x1p52 - 1), 0x1p52, -0x1p52, 0x1p52 + 2, 0x1p62, -0x1p63, 0x1p80, -1e30));
        for (Modulus m : primes) {
            for (long k : new long[] {1, 2, 3, 1L << 20}) {
                for (long d : new long[] {-1, 0, 1}) {
                    double v = (double) (k * m.value() + d);
                    if (Math.abs(v) < 0x1p62) {
                        values.add(v);
                        values.add(-v);
                    }
                }
            }
        }
        while (values.size() < n) {
            values.add(Math.rint(r.nextDouble(-1, 1) * Math.scalb(1.0, r.nextInt(60))));
        }
        double[] coeffs = values.stream().mapToDouble(Double::doubleValue).toArray();
        Modulus[] mods = primes.toArray(new Modulus[0]);
        org.glovebox.he.ring.RnsBasis basis = new org.glovebox.he.ring.RnsBasis(n,
                primes.stream().mapToLong(Modulus::value).toArray());
        org.glovebox.he.ring.RnsPoly out = basis.newPoly(mods.length);
        Encoder.writeRounded(coeffs, basis, out); // some values are large: the per-value path
        double[] small = java.util.Arrays.stream(coeffs).map(v -> Math.abs(v) < 0x1p52 ? v : 7).toArray();
        org.glovebox.he.ring.RnsPoly outSmall = basis.newPoly(mods.length);
        Encoder.writeRounded(small, basis, outSmall); // every value small: the loop over whole limbs
        for (int j = 0; j < mods.length; j++) {
            BigInteger q = BigInteger.valueOf(mods[j].value());
            for (int c = 0; c < coeffs.length; c++) {
                assertThat(out.limb(j)[c]).as("%s mod %d", coeffs[c], mods[j].value())
                        .isEqualTo(new BigDecimal(coeffs[c]).toBigIntegerExact().mod(q).longValue());
                assertThat(outSmall.limb(j)[c]).as("%s mod %d", small[c], mods[j].value())
                        .isEqualTo(new BigDecimal(small[c]).toBigIntegerExact().mod(q).longValue());
            }
        }
    }

    @Test
    void rejectsInvalidInputsWithClearMessages() {
        double[] x = {1, 2, 3};
        int top = SMALL.maxLevel();
        double s = SMALL.defaultScale();
        assertThatThrownBy(() -> ENC.encode(x, null, 3, top, s)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> ENC.encode(x, null, 2048, top, s)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> ENC.encode(x, null, 0, top, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ENC.encode(x, null, 2, top, s)).hasMessageContaining("3 values for 2 slots");
        assertThatThrownBy(() -> ENC.encode(x, new double[5], 4, top, s)).hasMessageContaining("5 values for 4 slots");
        assertThatThrownBy(() -> ENC.encode(x, top + 1, s)).hasMessageContaining("level");
        assertThatThrownBy(() -> ENC.encode(x, -1, s)).hasMessageContaining("level");
        assertThatThrownBy(() -> ENC.encode(x, top, 0.5)).hasMessageContaining("scale");
        assertThatThrownBy(() -> ENC.encode(x, top, Double.NaN)).hasMessageContaining("scale");
        assertThatThrownBy(() -> ENC.encode(x, top, Double.POSITIVE_INFINITY)).hasMessageContaining("scale");
        assertThatThrownBy(() -> ENC.encode(new double[] {1, Double.NaN})).hasMessageContaining("slot 1");
        assertThatThrownBy(() -> ENC.encode(new double[] {1}, new double[] {Double.NEGATIVE_INFINITY}, 1, top, s))
                .hasMessageContaining("slot 0");
        Plaintext other = new Encoder(ParameterSets.n13()).encode(new double[] {1});
        assertThatThrownBy(() -> ENC.decode(other)).hasMessageContaining("different parameter set");
    }
    @ParameterizedTest(name = "level {0}")
    @ValueSource(ints = {0, 1, 2})
    void decodingFromCoefficientsEqualsDecodingThePlaintext(int level) {
        int lvl = Math.min(level, SMALL.maxLevel());
        for (int slots : new int[] {1, 4, SMALL.maxSlots()}) {
            double[] re = Slots.random(slots, 7 + slots);
            double[] im = Slots.random(slots, 11 + slots);
            Plaintext pt = ENC.encode(re, im, slots, lvl, 0x1p30);
            org.glovebox.he.ring.RnsPoly coeffs = pt.poly().copy();
            SMALL.ringQ().intt(coeffs, org.glovebox.he.ring.Parallelism.SERIAL);
            double[][] direct = ENC.decodeComplexFromCoefficients(coeffs, pt.scale(), slots);
            double[][] viaPlaintext = ENC.decodeComplex(pt);
            assertThat(direct[0]).containsExactly(viaPlaintext[0]);
            assertThat(direct[1]).containsExactly(viaPlaintext[1]);
        }
    }

    @Test
    void decodingFromCoefficientsRefusesWhatDoesNotBelongToTheParameters() {
        org.glovebox.he.ring.RnsPoly ok = SMALL.ringQ().newPoly(1);
        assertThatThrownBy(() -> ENC.decodeComplexFromCoefficients(ok, 0x1p30, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> ENC.decodeComplexFromCoefficients(ok, 0x1p30, 2 * SMALL.maxSlots()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> ENC.decodeComplexFromCoefficients(ok, bad, 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
        }
        org.glovebox.he.ring.RnsPoly tooMany = new org.glovebox.he.ring.RnsPoly(
                new long[SMALL.maxLevel() + 2][SMALL.n()]);
        assertThatThrownBy(() -> ENC.decodeComplexFromCoefficients(tooMany, 0x1p30, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not belong");
        org.glovebox.he.ring.RnsPoly otherDegree = new org.glovebox.he.ring.RnsPoly(new long[1][SMALL.n() / 2]);
        assertThatThrownBy(() -> ENC.decodeComplexFromCoefficients(otherDegree, 0x1p30, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not belong");
    }
}

package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Precision of every operation against float64 at N = 2^14 ({@link ParameterSets#n14()}, scale 2^40), values uniform
 * in [-1, 1], measured as -log2(max abs error) over the real and imaginary parts of all 8192 slots. Inputs are
 * public-key encryptions unless stated. The bars: 24 bits for fresh encryption and one multiplication (SEAL gives
 * 25.2 for the multiplication); one bit less where two independent errors add up; log2(k) less where an error is
 * multiplied by k (integer multiples, x^k), log2(k)/2 less (plus one bit) for a sum of k slots, since the float64
 * comparison is in absolute terms.
 */
class PrecisionN14Test {
    private static final Map<String, double[]> RESULTS = new LinkedHashMap<>();
    static CkksFixture f;
    static double[] x;
    static double[] y;
    static Ciphertext cx;
    static Ciphertext cy;

    @BeforeAll
    static void setUp() {
        f = CkksFixture.n14();
        x = Slots.random(f.slots(), 1);
        y = Slots.random(f.slots(), 2);
        cx = f.encrypt(x);
        cy = f.encrypt(y);
    }

    static void record(String op, double bits, double bar) {
        synchronized (RESULTS) {
            RESULTS.put(op, new double[] {bits, bar});
        }
        System.out.printf("N=2^14 precision  %-44s %6.2f bits (bar %4.1f)%n", op, bits, bar);
        assertThat(bits).as("%s precision in bits", op).isGreaterThanOrEqualTo(bar);
    }

    @AfterAll
    static void printTable() {
        StringBuilder sb = new StringBuilder("\n=== CKKS precision at N=2^14, scale 2^40 (-log2 max abs error, all slots) ===\n");
        RESULTS.forEach((op, v) -> sb.append(String.format("  %-46s %6.2f   (bar %4.1f)%n", op, v[0], v[1])));
        System.out.println(sb);
    }

    @Test
    void encodeDecodeOnly() {
        record("encode/decode (no encryption)", Slots.bits(x, null, f.encoder.decodeComplex(f.encoder.encode(x))), 30);
    }

    @Test
    void freshPublicKeyEncryption() {
        record("fresh public-key encryption", f.bits(x, cx), 24);
        record("fresh public-key encryption (2nd vector)", f.bits(y, cy), 24);
    }

    @Test
    void freshSecretKeyEncryption() {
        record("fresh secret-key encryption", f.bits(x, f.skEncryptor.encrypt(f.encoder.encode(x))), 24);
    }

    @Test
    void addSubNegate() {
        record("add", f.bits(Slots.add(x, y), f.evaluator.add(cx, cy)), 23);
        record("sub", f.bits(Slots.sub(x, y), f.evaluator.sub(cx, cy)), 23);
        record("negate", f.bits(Slots.scale(x, -1), f.evaluator.negate(cx)), 24);
    }

    @Test
    void plaintextOperations() {
        Plaintext py = f.encoder.encode(y);
        record("addPlain", f.bits(Slots.add(x, y), f.evaluator.addPlain(cx, py)), 24);
        record("subPlain", f.bits(Slots.sub(x, y), f.evaluator.subPlain(cx, py)), 24);
        Ciphertext mp = f.evaluator.multiplyPlain(cx, py);
        assertThat(mp.scale()).isEqualTo(cx.scale() * py.scale());
        Ciphertext mpr = f.evaluator.rescale(mp);
        assertThat(mpr.level()).isEqualTo(cx.level() - 1);
        record("multiplyPlain + rescale", f.bits(Slots.mul(x, y), mpr), 24);
    }

    @Test
    void constantOperations() {
        record("addConst(0.3)", f.bits(Slots.plus(x, 0.3), f.evaluator.addConst(cx, 0.3)), 24);
        record("addConst(-17.25)", f.bits(Slots.plus(x, -17.25), f.evaluator.addConst(cx, -17.25)), 24);
        Ciphertext mc = f.evaluator.rescale(f.evaluator.multiplyConst(cx, 0.7));
        assertThat(mc.scale()).as("multiplyConst + rescale restores the scale exactly").isEqualTo(cx.scale());
        record("multiplyConst(0.7) + rescale", f.bits(Slots.scale(x, 0.7), mc), 24);
        Ciphertext mneg = f.evaluator.rescale(f.evaluator.multiplyConst(cx, -0.123456789));
        record("multiplyConst(-0.123456789) + rescale", f.bits(Slots.scale(x, -0.123456789), mneg), 24);
        Ciphertext mi = f.evaluator.multiplyInteger(cx, 3);
        assertThat(mi.level()).isEqualTo(cx.level());
        assertThat(mi.scale()).isEqualTo(cx.scale());
        record("multiplyInteger(3)", f.bits(Slots.scale(x, 3), mi), 24 - Slots.log2(3));
        record("multiplyInteger(-5)", f.bits(Slots.scale(x, -5), f.evaluator.multiplyInteger(cx, -5)), 24 - Slots.log2(5));
    }

    @Test
    void multiplyRelinearizeRescale() {
        Ciphertext m = f.evaluator.multiply(cx, cy);
        assertThat(m.size()).isEqualTo(3);
        record("multiply (size 3, no relin/rescale)", f.bits(Slots.mul(x, y), m), 24);
        Ciphertext r = f.evaluator.relinearize(m);
        assertThat(r.size()).isEqualTo(2);
        Ciphertext rs = f.evaluator.rescale(r);
        assertThat(rs.level()).isEqualTo(f.params.maxLevel() - 1);
        assertThat(rs.scale()).isEqualTo(cx.scale() * cy.scale() / f.params.q(f.params.maxLevel()));
        record("multiply + relinearize + rescale", f.bits(Slots.mul(x, y), rs), 24);
        record("square + relinearize + rescale",
                f.bits(Slots.mul(x, x), f.evaluator.rescale(f.evaluator.relinearize(f.evaluator.square(cx)))), 23);
        Ciphertext sk = f.skEncryptor.encrypt(f.encoder.encode(y));
        record("multiply (pk x sk encryption) + relin + rescale", f.bits(Slots.mul(x, y), f.evaluator.multiplyRelinRescale(cx, sk)), 24);
    }

    @ParameterizedTest(name = "rotate by {0}")
    @ValueSource(ints = {1, 2, 3, 7, -1, -3, 64, 1000, -4095, 4096}) // CkksFixture.N14_ROTATIONS
    void rotate(int steps) {
        Ciphertext r = f.evaluator.rotate(cx, steps);
        record("rotate(" + steps + ")", f.bits(Slots.rotate(x, steps), r), 24);
    }

    @Test
    void rotationByZeroAndByAFullTurnIsTheIdentity() {
        assertThat(f.evaluator.rotate(cx, 0)).isSameAs(cx);
        record("rotate(8192) (full turn)", f.bits(x, f.evaluator.rotate(cx, f.slots())), 24);
    }

    @Test
    void conjugateComplex() {
        double[] re = Slots.random(f.slots(), 3);
        double[] im = Slots.random(f.slots(), 4);
        Ciphertext c = f.encrypt(re, im);
        record("fresh public-key encryption (complex)", f.bits(re, im, c), 24);
        record("conjugate (complex)", f.bits(re, Slots.scale(im, -1), f.evaluator.conjugate(c)), 24);
        Ciphertext rc = f.evaluator.rotate(f.evaluator.conjugate(c), 3);
        record("conjugate then rotate(3) (complex)", f.bits(Slots.rotate(re, 3), Slots.scale(Slots.rotate(im, 3), -1), rc), 23);
    }

    @Test
    void rotateHoisted() {
        int[] steps = {1, -1, 7, 0, 1000, -4095};
        Ciphertext[] out = f.evaluator.rotateHoisted(cx, steps);
        assertThat(out).hasSize(steps.length);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < steps.length; i++) {
            min = Math.min(min, f.bits(Slots.rotate(x, steps[i]), out[i]));
        }
        assertThat(out[3]).isSameAs(cx);
        record("rotateHoisted {1,-1,7,0,1000,-4095} (worst)", min, 24);
    }

    @ParameterizedTest(name = "innerSum batch={0} count={1}")
    @CsvSource({"1, 8192", "1, 3", "4, 5", "3, 7", "16, 100", "8, 1"}) // CkksFixture.N14_INNER_SUMS
    void innerSum(int batch, int count) {
        Ciphertext s = f.evaluator.innerSum(cx, batch, count);
        // per-slot errors are independent: they add up like a random walk over the count terms
        double bar = 23 - Slots.log2(count) / 2;
        record("innerSum(batch=" + batch + ", count=" + count + ")", f.bits(Slots.innerSum(x, batch, count), s), bar);
    }

    @Test
    void dropLevel() {
        Ciphertext d = f.evaluator.dropLevel(cx, 3);
        assertThat(d.level()).isEqualTo(3);
        assertThat(d.scale()).isEqualTo(cx.scale());
        record("dropLevel(7 -> 3)", f.bits(x, d), 24);
        Ciphertext d0 = f.evaluator.dropLevel(cx, 0);
        record("dropLevel(7 -> 0)", f.bits(x, d0), 24);
        Ciphertext m = f.evaluator.multiplyRelinRescale(d, f.evaluator.dropLevel(cy, 3));
        record("dropLevel(3) then multiply + relin + rescale", f.bits(Slots.mul(x, y), m), 24);
    }

    @Test
    void chainOfMultiplicationsThroughAllSevenLevels() {
        Ciphertext acc = cx;
        double[] expected = x.clone();
        double worst = Double.POSITIVE_INFINITY;
        for (int k = 1; k <= f.params.maxLevel(); k++) {
            double[] v = Slots.random(f.slots(), 100 + k);
            Ciphertext cv = f.encryptAt(v, acc.level(), f.params.defaultScale());
            acc = f.evaluator.multiplyRelinRescale(acc, cv);
            expected = Slots.mul(expected, v);
            assertThat(acc.level()).isEqualTo(f.params.maxLevel() - k);
            double bits = f.bits(expected, acc);
            System.out.printf("  chain: after multiplication %d (level %d, scale 2^%.4f): %.2f bits%n", k, acc.level(),
                    Slots.log2(acc.scale()), bits);
            worst = Math.min(worst, bits);
        }
        assertThat(acc.level()).isZero();
        record("chain of 7 multiplications (to level 0, worst)", worst, 24 - Slots.log2(7));
        // the same chain on squares: x^(2^k) with x near +-1 keeps the values large
        double[] z = Slots.random(f.slots(), 9, 0.9, 1.0);
        Ciphertext cz = f.encrypt(z);
        double[] ez = z.clone();
        for (int k = 1; k <= f.params.maxLevel(); k++) {
            cz = f.evaluator.rescale(f.evaluator.relinearize(f.evaluator.square(cz)));
            ez = Slots.mul(ez, ez);
        }
        record("7 successive squarings of [0.9, 1] (to level 0)", f.bits(ez, cz), 24 - 7);
    }

    @Test
    void keySwitchingAtEveryLevel() {
        // the key-switching digits cover different primes at every level; each must switch correctly
        double worstRotate = Double.POSITIVE_INFINITY;
        double worstSquare = Double.POSITIVE_INFINITY;
        double worstRelinAgreement = Double.POSITIVE_INFINITY;
        for (int level = f.params.maxLevel(); level >= 0; level--) {
            Ciphertext c = f.evaluator.dropLevel(cx, level);
            double rot = f.bits(Slots.rotate(x, 1), f.evaluator.rotate(c, 1));
            worstRotate = Math.min(worstRotate, rot);
            // a product at scale 2^80 does not fit the 60-bit modulus of level 0: square at scale 2^25 there
            Ciphertext in = level > 0 ? c : f.encryptAt(x, 0, 0x1p25);
            Ciphertext three = f.evaluator.square(in);
            Ciphertext relin = f.evaluator.relinearize(three);
            double agreement = Slots.bits(f.decrypt(three)[0], f.decrypt(three)[1], f.decrypt(relin));
            worstRelinAgreement = Math.min(worstRelinAgreement, agreement);
            String sq = "";
            if (level > 0) {
                double bits = f.bits(Slots.mul(x, x), relin);
                worstSquare = Math.min(worstSquare, bits);
                sq = String.format(", square + relinearize %.2f bits", bits);
            }
            System.out.printf("  level %d: rotate(1) %.2f bits, relinearized = size-3 decryption to %.2f bits%s%n", level,
                    rot, agreement, sq);
        }
        record("rotate(1) at every level 7..0 (worst)", worstRotate, 24);
        record("square + relinearize at every level 7..1 (worst)", worstSquare, 23);
        // relinearization adds key-switching noise only: ~2^-35 at scale 2^50 (level 0), far less at 2^80
        record("relinearize vs size-3 decryption, levels 7..0 (worst)", worstRelinAgreement, 30);
    }
}

package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The statistics set (55-bit scale) and a sparse-secret test ring work end to end. */
class OtherParameterSetsTest {
    private static void record(String set, String op, double bits, double bar) {
        System.out.printf("%s precision  %-40s %6.2f bits (bar %4.1f)%n", set, op, bits, bar);
        assertThat(bits).as("%s %s", set, op).isGreaterThanOrEqualTo(bar);
    }

    @Test
    void statisticsSetGivesAboutFortyBits() {
        CkksFixture f = CkksFixture.shared("STATS", ParameterSets::statistics, 1, 4096);
        assertThat(f.params.defaultScale()).isEqualTo(0x1p55);
        double[] x = Slots.random(f.slots(), 201);
        double[] y = Slots.random(f.slots(), 202);
        Ciphertext cx = f.encrypt(x);
        Ciphertext cy = f.encrypt(y);
        // fresh noise is about 2^15 at scale 2^55: 15 bits better than at scale 2^40
        record("STATS", "fresh public-key encryption", f.bits(x, cx), 38);
        record("STATS", "multiply + relinearize + rescale", f.bits(Slots.mul(x, y), f.evaluator.multiplyRelinRescale(cx, cy)), 38);
        record("STATS", "rotate(1)", f.bits(Slots.rotate(x, 1), f.evaluator.rotate(cx, 1)), 38);
        // an exact-looking sum: 8192 values summed by innerSum
        Ciphertext sum = f.evaluator.innerSum(cx, 1, 1);
        record("STATS", "innerSum(1, 1)", f.bits(x, sum), 38);
        Ciphertext c = cx;
        double[] e = x;
        for (int k = 0; k < f.params.maxLevel(); k++) {
            double[] v = Slots.random(f.slots(), 210 + k);
            c = f.evaluator.multiplyRelinRescale(c, f.encryptAt(v, c.level(), f.params.defaultScale()));
            e = Slots.mul(e, v);
        }
        assertThat(c.level()).isZero();
        record("STATS", "chain of 5 multiplications", f.bits(e, c), 38 - Slots.log2(5));
    }

    @Test
    void sparseSecretRingWorksEndToEnd() {
        Parameters p = Parameters.builder().logN(11).primeBits(new int[] {55, 40, 40}, new int[] {55})
                .logScale(40).secretHammingWeight(64).insecureForTestingOnly().build();
        CkksFixture f = CkksFixture.shared("small-sparse-secret", () -> p, 1, -1);
        assertThat(java.util.stream.LongStream.of(f.sk.coefficients()).filter(v -> v != 0).count()).isEqualTo(64);
        double[] x = Slots.random(f.slots(), 301);
        double[] y = Slots.random(f.slots(), 302);
        Ciphertext cx = f.encrypt(x);
        record("h=64", "fresh public-key encryption", f.bits(x, cx), 24);
        record("h=64", "multiply + relinearize + rescale", f.bits(Slots.mul(x, y), f.evaluator.multiplyRelinRescale(cx, f.encrypt(y))), 24);
        record("h=64", "rotate(-1)", f.bits(Slots.rotate(x, -1), f.evaluator.rotate(cx, -1)), 24);
    }

    @Test
    void sparseSlotCiphertextsRotateWithinTheirSlots() {
        CkksFixture f = CkksFixture.small();
        int slots = 16;
        double[] re = Slots.random(slots, 401);
        double[] im = Slots.random(slots, 402);
        Ciphertext c = f.pkEncryptor.encrypt(f.encoder.encode(re, im, slots, f.params.maxLevel(), f.params.defaultScale()));
        assertThat(c.slots()).isEqualTo(slots);
        for (int k : new int[] {1, 3, -5, 15, 16, 17}) {
            double bits = f.bits(Slots.rotate(re, k), Slots.rotate(im, k), f.evaluator.rotate(c, k));
            assertThat(bits).as("sparse rotate by %d", k).isGreaterThan(24);
        }
        assertThat(f.bits(re, Slots.scale(im, -1), f.evaluator.conjugate(c))).isGreaterThan(24);
        Ciphertext s = f.evaluator.innerSum(c, 1, slots);
        double[] total = Slots.innerSum(re, 1, slots);
        double[] totalIm = Slots.innerSum(im, 1, slots);
        assertThat(f.bits(total, totalIm, s)).isGreaterThan(22);
        Ciphertext m = f.evaluator.multiplyRelinRescale(c, c);
        double[] sqRe = new double[slots];
        double[] sqIm = new double[slots];
        for (int i = 0; i < slots; i++) {
            sqRe[i] = re[i] * re[i] - im[i] * im[i];
            sqIm[i] = 2 * re[i] * im[i];
        }
        assertThat(f.bits(sqRe, sqIm, m)).as("complex square").isGreaterThan(23);
    }
}

package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A few operations at N = 2^13 ({@link ParameterSets#n13()}: q = {60, 40, 40}, P = 60 bits, scale 2^40). Bars: 24 bits
 * for fresh encryption and multiplication as at N = 2^14; 23.5 for rotations and conjugation, whose key-switching
 * noise (one 60-bit special prime against a 60-bit first digit) is about as large as the fresh encryption noise it adds
 * to (measured 24.6 to 25.0 bits over repeated runs).
 */
class PrecisionN13Test {
    private static final double KEY_SWITCH_BAR = 23.5;
    static CkksFixture f;
    static double[] x;
    static double[] y;
    static Ciphertext cx;
    static Ciphertext cy;

    @BeforeAll
    static void setUp() {
        f = CkksFixture.shared("N13", ParameterSets::n13, 1, -1, 5, 1024, -2047);
        x = Slots.random(f.slots(), 21);
        y = Slots.random(f.slots(), 22);
        cx = f.encrypt(x);
        cy = f.encrypt(y);
    }

    private static void record(String op, double bits, double bar) {
        System.out.printf("N=2^13 precision  %-44s %6.2f bits (bar %4.1f)%n", op, bits, bar);
        assertThat(bits).as("%s precision in bits", op).isGreaterThanOrEqualTo(bar);
    }

    @Test
    void parameterSetShape() {
        assertThat(f.params.n()).isEqualTo(8192);
        assertThat(f.params.maxLevel()).isEqualTo(2);
        assertThat(f.params.defaultScale()).isEqualTo(0x1p40);
    }

    @Test
    void freshEncryption() {
        record("fresh public-key encryption", f.bits(x, cx), 24);
        record("fresh secret-key encryption", f.bits(x, f.skEncryptor.encrypt(f.encoder.encode(x))), 24);
    }

    @Test
    void multiplicationsThroughBothLevels() {
        Ciphertext m = f.evaluator.multiplyRelinRescale(cx, cy);
        record("multiply + relinearize + rescale", f.bits(Slots.mul(x, y), m), 24);
        double[] z = Slots.random(f.slots(), 23);
        Ciphertext m2 = f.evaluator.multiplyRelinRescale(m, f.encryptAt(z, m.level(), f.params.defaultScale()));
        assertThat(m2.level()).isZero();
        record("second multiplication (to level 0)", f.bits(Slots.mul(Slots.mul(x, y), z), m2), 23);
    }

    @Test
    void rotationsAndConjugation() {
        for (int s : new int[] {1, -1, 5, 1024, -2047}) {
            record("rotate(" + s + ")", f.bits(Slots.rotate(x, s), f.evaluator.rotate(cx, s)), KEY_SWITCH_BAR);
        }
        double[] im = Slots.random(f.slots(), 24);
        Ciphertext c = f.encrypt(x, im);
        record("conjugate (complex)", f.bits(x, Slots.scale(im, -1), f.evaluator.conjugate(c)), KEY_SWITCH_BAR);
        Ciphertext low = f.evaluator.dropLevel(cx, 0);
        record("rotate(5) at level 0", f.bits(Slots.rotate(x, 5), f.evaluator.rotate(low, 5)), KEY_SWITCH_BAR);
    }
}

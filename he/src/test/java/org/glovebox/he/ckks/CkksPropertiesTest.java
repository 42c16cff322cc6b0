package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Algebraic laws of CKKS on the small insecure ring (N = 2^11, 1024 slots), checked by jqwik on random vectors with
 * entries in [-1, 1]. Every ciphertext here is a fresh public-key encryption; "≈" means at least 20 bits of absolute
 * precision (fresh encryption gives about 28 on this ring).
 */
class CkksPropertiesTest {
    private static final double BITS = 20;
    private static final CkksFixture F = CkksFixture.small();

    @Provide
    Arbitrary<double[]> vectors() {
        return Arbitraries.doubles().between(-1, 1).array(double[].class).ofSize(F.slots());
    }

    private static Ciphertext enc(double[] v) {
        return F.encrypt(v);
    }

    private static void assertClose(String what, double[] expected, Ciphertext ct) {
        double bits = F.bits(expected, ct);
        assertThat(bits).as("%s: %.2f bits", what, bits).isGreaterThanOrEqualTo(BITS);
    }

    private static void assertSameValues(String what, Ciphertext a, Ciphertext b) {
        double bits = Slots.bits(F.decrypt(a)[0], F.decrypt(a)[1], F.decrypt(b));
        assertThat(bits).as("%s: decryptions agree to %.2f bits", what, bits).isGreaterThanOrEqualTo(BITS);
    }

    @Property(tries = 10)
    void decryptionOfSumIsSumOfPlaintexts(@ForAll("vectors") double[] a, @ForAll("vectors") double[] b) {
        assertClose("Enc(a) + Enc(b)", Slots.add(a, b), F.evaluator.add(enc(a), enc(b)));
        assertClose("Enc(a) - Enc(b)", Slots.sub(a, b), F.evaluator.sub(enc(a), enc(b)));
    }

    @Property(tries = 10)
    void decryptionOfProductIsProductOfPlaintexts(@ForAll("vectors") double[] a, @ForAll("vectors") double[] b) {
        assertClose("Enc(a) * Enc(b)", Slots.mul(a, b), F.evaluator.multiplyRelinRescale(enc(a), enc(b)));
    }

    @Property(tries = 10)
    void rotationsCompose(@ForAll("vectors") double[] a, @ForAll @IntRange(min = -20, max = 20) int i,
            @ForAll @IntRange(min = -20, max = 20) int j) {
        Ciphertext ca = enc(a);
        Ciphertext twice = F.evaluator.rotate(F.evaluator.rotate(ca, i), j);
        Ciphertext once = F.evaluator.rotate(ca, i + j);
        assertSameValues("rotate(rotate(x, " + i + "), " + j + ") vs rotate(x, " + (i + j) + ")", twice, once);
        assertClose("rotate(rotate(x, i), j)", Slots.rotate(a, i + j), twice);
    }

    @Property(tries = 10)
    void conjugatingTwiceIsTheIdentity(@ForAll("vectors") double[] re, @ForAll("vectors") double[] im) {
        Ciphertext c = F.encrypt(re, im);
        Ciphertext cc = F.evaluator.conjugate(F.evaluator.conjugate(c));
        assertThat(F.bits(re, im, cc)).isGreaterThanOrEqualTo(BITS);
        assertThat(F.bits(re, Slots.scale(im, -1), F.evaluator.conjugate(c))).isGreaterThanOrEqualTo(BITS);
    }

    @Property(tries = 10)
    void multiplicationCommutes(@ForAll("vectors") double[] a, @ForAll("vectors") double[] b) {
        Ciphertext ca = enc(a);
        Ciphertext cb = enc(b);
        Ciphertext ab = F.evaluator.multiplyRelinRescale(ca, cb);
        Ciphertext ba = F.evaluator.multiplyRelinRescale(cb, ca);
        assertSameValues("a*b vs b*a", ab, ba);
        assertClose("b*a", Slots.mul(a, b), ba);
    }

    @Property(tries = 10)
    void multiplicationDistributesOverAddition(@ForAll("vectors") double[] a, @ForAll("vectors") double[] b,
            @ForAll("vectors") double[] c) {
        Ciphertext ca = enc(a);
        Ciphertext cb = enc(b);
        Ciphertext cc = enc(c);
        Ciphertext left = F.evaluator.multiplyRelinRescale(ca, F.evaluator.add(cb, cc));
        Ciphertext right = F.evaluator.add(F.evaluator.multiplyRelinRescale(ca, cb), F.evaluator.multiplyRelinRescale(ca, cc));
        assertSameValues("a*(b+c) vs a*b + a*c", left, right);
        assertClose("a*(b+c)", Slots.mul(a, Slots.add(b, c)), left);
    }

    @Property(tries = 10)
    void multiplyPlainAgreesWithMultiply(@ForAll("vectors") double[] a, @ForAll("vectors") double[] b) {
        Ciphertext ca = enc(a);
        Ciphertext viaPlain = F.evaluator.rescale(F.evaluator.multiplyPlain(ca, F.encoder.encode(b)));
        Ciphertext viaCipher = F.evaluator.multiplyRelinRescale(ca, enc(b));
        assertThat(viaPlain.level()).isEqualTo(viaCipher.level());
        assertThat(viaPlain.scale()).isEqualTo(viaCipher.scale());
        assertSameValues("multiplyPlain vs multiply", viaPlain, viaCipher);
        assertClose("multiplyPlain", Slots.mul(a, b), viaPlain);
    }

    @Property(tries = 10)
    void subtractionIsAdditionOfTheNegation(@ForAll("vectors") double[] a, @ForAll("vectors") double[] b) {
        Ciphertext ca = enc(a);
        Ciphertext cb = enc(b);
        EvaluatorSemanticsTest.assertSameCiphertext(F.evaluator.sub(ca, cb), F.evaluator.add(ca, F.evaluator.negate(cb)));
    }

    @Property(tries = 10)
    void plaintextAndConstantOperationsMatchTheirCiphertextTwins(@ForAll("vectors") double[] a,
            @ForAll("vectors") double[] b, @ForAll @net.jqwik.api.constraints.DoubleRange(min = -4, max = 4) double k) {
        Ciphertext ca = enc(a);
        assertClose("addPlain", Slots.add(a, b), F.evaluator.addPlain(ca, F.encoder.encode(b)));
        assertClose("addConst", Slots.plus(a, k), F.evaluator.addConst(ca, k));
        assertClose("multiplyConst", Slots.scale(a, k), F.evaluator.rescale(F.evaluator.multiplyConst(ca, k)));
    }
}

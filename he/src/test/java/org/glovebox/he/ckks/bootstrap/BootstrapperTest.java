package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glovebox.he.ckks.Ciphertext;
import org.junit.jupiter.api.Test;

/** End-to-end bootstrapping at small insecure rings: full and sparse packing, real and complex slots. */
class BootstrapperTest {

    private static double[] check(BootstrapFixture f, boolean complex, int inputLevel, long seed, double minMean,
            double minWorst) {
        int n = f.bp.slots();
        double[][] z = BootstrapFixture.randomComplex(n, seed, complex);
        Ciphertext in = f.encrypt(z, Math.max(inputLevel, f.bp.inputLevel()));
        long t0 = System.nanoTime();
        Ciphertext out = f.bootstrapper.bootstrap(in);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(f.bp.outputLevel(), out.level());
        assertEquals(f.params.defaultScale(), out.scale(), 0);
        assertEquals(n, out.slots());
        double[] prec = BootstrapFixture.precision(z, f.decrypt(out));
        System.out.printf("[bootstrap] %s %s slots=%d: %.2f s, precision mean %.1f bits, worst %.1f bits%n",
                f.params.n() == 1 << f.params.logN() ? "N=2^" + f.params.logN() : "", complex ? "complex" : "real", n,
                secs, prec[0], prec[1]);
        assertTrue(prec[0] >= minMean, "mean precision " + prec[0] + " bits");
        assertTrue(prec[1] >= minWorst, "worst precision " + prec[1] + " bits");
        return prec;
    }

    @Test
    void fullPackingComplex() {
        check(BootstrapFixture.fullSparseSecret(), true, 0, 11, 18, 14);
    }

    @Test
    void fullPackingReal() {
        check(BootstrapFixture.fullSparseSecret(), false, 0, 12, 18, 14);
    }

    @Test
    void sparsePackingComplex() {
        check(BootstrapFixture.sparseSlotsSparseSecret(), true, 0, 13, 18, 14);
    }

    @Test
    void sparsePackingReal() {
        check(BootstrapFixture.sparseSlotsSparseSecret(), false, 0, 14, 18, 14);
    }

    @Test
    void inputAboveTheInputLevelIsBroughtDownFirst() {
        BootstrapFixture f = BootstrapFixture.fullSparseSecret();
        check(f, true, f.bp.outputLevel(), 15, 18, 14);
    }

    @Test
    void modRaiseFirstFullPacking() {
        check(BootstrapFixture.raiseFirstFull(), true, 0, 17, 18, 14);
    }

    @Test
    void modRaiseFirstSparsePacking() {
        check(BootstrapFixture.raiseFirstSparse(), true, 0, 18, 18, 14);
    }

    @Test
    void denseSecretWithSparseSecretEncapsulation() {
        BootstrapFixture f = BootstrapFixture.encapsulated();
        assertEquals(0, f.params.secretHammingWeight());
        assertEquals(16, f.bp.k());
        check(f, true, 0, 16, 18, 14);
    }

    @Test
    void arcsineCorrectionRemovesTheSineErrorOfLargeCoefficients() {
        // sparse packing with ModRaise first has large message coefficients (18.6 bits without the correction)
        check(BootstrapFixture.raiseFirstSparseArcsine(), true, 0, 18, 20, 18);
    }

    @Test
    void refusesOtherSlotCounts() {
        BootstrapFixture f = BootstrapFixture.sparseSlotsSparseSecret();
        Ciphertext other = f.encryptor.encrypt(f.encoder.encode(new double[] {1}, null, 8, 0, f.params.defaultScale()));
        assertThrows(IllegalArgumentException.class, () -> f.bootstrapper.bootstrap(other));
    }
}

package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.math.Modulus;
import org.glovebox.he.math.Ntt;
import org.glovebox.he.math.SpecialFft;
import org.glovebox.he.ring.CrtReconstructor;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.RnsPoly;
import org.junit.jupiter.api.Test;

/** The stages of the pipeline one by one at a tiny ring: linear transforms, ModRaise, EvalMod. */
class BootstrapStagesTest {

    /** c = V^-1 z (the complex coefficients the encoder writes), in bit-reversed order. */
    private static double[][] bitReversedCoefficients(double[][] z) {
        int n = z[0].length;
        double[] re = z[0].clone();
        double[] im = z[1].clone();
        new SpecialFft(n).inverse(re, im);
        int log = Integer.numberOfTrailingZeros(n);
        double[][] out = new double[2][n];
        for (int i = 0; i < n; i++) {
            out[0][i] = re[Ntt.bitReverse(i, log)];
            out[1][i] = im[Ntt.bitReverse(i, log)];
        }
        return out;
    }

    private static double maxErr(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void coeffToSlotPutsTheCoefficientsInTheSlotsFullPacking() {
        BootstrapFixture f = BootstrapFixture.fullSparseSecret();
        int n = f.bp.slots();
        double[][] z = BootstrapFixture.randomComplex(n, 1, true);
        Ciphertext[] parts = f.bootstrapper.coeffToSlot(f.encrypt(z, f.params.maxLevel()));
        assertEquals(2, parts.length);
        assertEquals(f.bp.evalModStart(), parts[0].level());
        double[][] c = bitReversedCoefficients(z);
        double[][] re = f.decrypt(parts[0]);
        double[][] im = f.decrypt(parts[1]);
        for (int i = 0; i < n; i++) {
            c[0][i] *= 2;
            c[1][i] *= 2;
        }
        assertTrue(maxErr(c[0], re[0]) < 1e-6, "real coefficients off by " + maxErr(c[0], re[0]));
        assertTrue(maxErr(c[1], im[0]) < 1e-6, "imaginary coefficients off by " + maxErr(c[1], im[0]));
        assertTrue(maxErr(new double[n], re[1]) < 1e-6, "real part has an imaginary component");
    }

    @Test
    void coeffToSlotPacksRealAndImaginaryCoefficientsSparsePacking() {
        BootstrapFixture f = BootstrapFixture.sparseSlotsSparseSecret();
        int n = f.bp.slots();
        double[][] z = BootstrapFixture.randomComplex(n, 2, true);
        Ciphertext[] parts = f.bootstrapper.coeffToSlot(f.encrypt(z, f.params.maxLevel()));
        assertEquals(1, parts.length);
        assertEquals(2 * n, parts[0].slots());
        double[][] c = bitReversedCoefficients(z);
        double[][] got = f.decrypt(parts[0]);
        double[] expected = new double[2 * n];
        for (int i = 0; i < n; i++) {
            expected[i] = 2 * c[0][i];
            expected[n + i] = 2 * c[1][i];
        }
        assertTrue(maxErr(expected, got[0]) < 1e-6, "packed coefficients off by " + maxErr(expected, got[0]));
    }

    private static void roundTrip(BootstrapFixture f, long seed) {
        int n = f.bp.slots();
        double[][] z = BootstrapFixture.randomComplex(n, seed, true);
        Ciphertext[] parts = f.bootstrapper.coeffToSlot(f.encrypt(z, f.params.maxLevel()));
        // delta0 = q0/(2π) makes the SlotToCoeff relabelling the identity.
        Ciphertext back = f.bootstrapper.slotToCoeff(parts, f.params.q(0) / (2 * Math.PI));
        assertEquals(f.params.defaultScale(), back.scale(), 0);
        assertEquals(n, back.slots());
        double[][] got = f.decrypt(back);
        double[][] twice = {new double[n], new double[n]};
        for (int i = 0; i < n; i++) {
            twice[0][i] = 2 * z[0][i];
            twice[1][i] = 2 * z[1][i];
        }
        double[] prec = BootstrapFixture.precision(twice, got);
        assertTrue(prec[1] > 20, "SlotToCoeff(CoeffToSlot(x)) worst precision " + prec[1] + " bits");
    }

    @Test
    void slotToCoeffInvertsCoeffToSlotFullPacking() {
        roundTrip(BootstrapFixture.raiseFirstFull(), 3);
    }

    @Test
    void slotToCoeffInvertsCoeffToSlotSparsePacking() {
        roundTrip(BootstrapFixture.raiseFirstSparse(), 4);
    }

    /** SlotToCoeff first: the level-0 ciphertext holds the slot values, bit-reversed, as its coefficients. */
    private static void slotToCoeffFirstWritesTheSlotsIntoTheCoefficients(BootstrapFixture f, long seed) {
        Parameters p = f.params;
        int n = f.bp.slots();
        double[][] z = BootstrapFixture.randomComplex(n, seed, true);
        Ciphertext low = f.bootstrapper.prepare(f.encryptForBootstrap(z));
        assertEquals(0, low.level());
        assertEquals(p.q(0) / Math.scalb(1.0, f.bp.logMessageRatio()), low.scale(), low.scale() * 1e-12);
        RnsPoly coeffs = coefficients(p, f.decryptor.decrypt(low));
        long q0 = p.q(0);
        int gap = p.n() / (2 * n);
        int log = Integer.numberOfTrailingZeros(n);
        double worst = 0;
        for (int k = 0; k < n; k++) {
            int src = Ntt.bitReverse(k, log);
            for (int part = 0; part < 2; part++) {
                long v = coeffs.limb(0)[(k + part * n) * gap];
                double x = (v > q0 / 2 ? v - q0 : v) / low.scale();
                worst = Math.max(worst, Math.abs(x - z[part][src]));
            }
        }
        assertTrue(worst < 1e-6, "coefficients differ from the bit-reversed slots by " + worst);
    }

    @Test
    void slotToCoeffFirstFullPacking() {
        slotToCoeffFirstWritesTheSlotsIntoTheCoefficients(BootstrapFixture.fullSparseSecret(), 21);
    }

    @Test
    void slotToCoeffFirstSparsePacking() {
        slotToCoeffFirstWritesTheSlotsIntoTheCoefficients(BootstrapFixture.sparseSlotsSparseSecret(), 22);
    }

    @Test
    void plainTransformsMatchTheirMatrices() {
        BootstrapFixture f = BootstrapFixture.raiseFirstSparse();
        for (BsgsTransform t : f.bootstrapper.coeffToSlotTransforms()) {
            assertTrue(t.rotationSteps().length > 0);
        }
        // The BSGS plan reproduces M·x for the repacking SlotToCoeff level (offsets modulo 2n, not n).
        int m = 2 * f.bp.slots();
        double[][] x = BootstrapFixture.randomComplex(m, 5, true);
        BsgsTransform first = f.bootstrapper.slotToCoeffTransforms().get(0);
        double[][] viaPlan = first.applyPlain(x[0], x[1]);
        assertEquals(m, viaPlan[0].length);
    }

    @Test
    void modRaiseAddsAMultipleOfQ0() {
        BootstrapFixture f = BootstrapFixture.fullSparseSecret();
        Parameters p = f.params;
        int n = f.bp.slots();
        Ciphertext low = f.bootstrapper.scaleDown(f.encrypt(BootstrapFixture.randomComplex(n, 6, true), 0));
        Ciphertext raised = ModRaise.raise(low);
        assertEquals(p.maxLevel(), raised.level());
        RnsPoly t = coefficients(p, f.decryptor.decrypt(low));
        RnsPoly big = coefficients(p, f.decryptor.decrypt(raised));
        CrtReconstructor crt = new CrtReconstructor(p.ringQ().moduli(p.maxLevel() + 1));
        long q0 = p.q(0);
        Modulus q1 = p.ringQ().modulus(1);
        long[] scratch = new long[p.maxLevel() + 1];
        int maxI = 0;
        for (int i = 0; i < p.n(); i++) {
            long ti = t.limb(0)[i] > q0 / 2 ? t.limb(0)[i] - q0 : t.limb(0)[i];
            double v = crt.centered(big, p.maxLevel() + 1, i, scratch);
            long bigI = Math.round((v - ti) / q0);
            maxI = Math.max(maxI, (int) Math.abs(bigI));
            // exact check modulo q_1: t' = t + q0·I
            long expected = q1.add(q1.reduce(ti), q1.mul(q1.reduceUnsigned(q0), q1.reduce(bigI)));
            assertEquals(expected, big.limb(1)[i], "coefficient " + i);
        }
        assertTrue(maxI <= f.bp.k(), "|I| = " + maxI + " exceeds K = " + f.bp.k());
    }

    private static RnsPoly coefficients(Parameters p, Plaintext pt) {
        RnsPoly c = ProtocolAccess.plaintextPoly(pt).copy();
        p.ringQ().intt(c, Parallelism.SERIAL);
        return c;
    }

    @Test
    void evalModApproximatesSineNearIntegers() {
        BootstrapFixture f = BootstrapFixture.fullSparseSecret();
        EvalMod em = f.bootstrapper.evalModCircuit();
        double worst = 0;
        for (int i = -f.bp.k(); i <= f.bp.k(); i++) {
            for (double eps = -1.0 / 64; eps <= 1.0 / 64; eps += 1.0 / 1024) {
                double y = i + eps;
                double err = Math.abs(em.applyPlain(y / em.kc()) - Math.sin(2 * Math.PI * y));
                worst = Math.max(worst, err);
            }
        }
        assertTrue(worst < 1e-11, "cosine + double angle approximation error " + worst);
    }

    @Test
    void evalModHomomorphicallyReducesModuloOne() {
        BootstrapFixture f = BootstrapFixture.fullSparseSecret();
        EvalMod em = f.bootstrapper.evalModCircuit();
        int n = f.bp.slots();
        double[] y = new double[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(-f.bp.k(), f.bp.k() + 1) + r.nextDouble(-0.01, 0.01);
            u[i] = y[i] / em.kc();
        }
        Ciphertext ct = f.encryptor.encrypt(f.encoder.encode(u, null, n, f.bp.evalModStart(), em.inputScale()));
        Ciphertext out = f.bootstrapper.evalMod(ct);
        assertEquals(f.bp.evalModStart() - f.bp.evalModLevels(), out.level());
        double[] got = f.decrypt(out)[0];
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(got[i] - Math.sin(2 * Math.PI * y[i])));
        }
        assertTrue(worst < 1e-8, "homomorphic EvalMod error " + worst);
    }
}

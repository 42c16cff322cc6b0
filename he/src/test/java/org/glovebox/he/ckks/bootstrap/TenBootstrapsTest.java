package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Evaluator;
import org.junit.jupiter.api.Test;

/**
 * Ten bootstraps in a row on the same ciphertext with a multiplication between each: the error stays at the level of
 * one bootstrap (it adds, it does not compound).
 */
class TenBootstrapsTest {

    /** Runs the chain and returns the worst precision over all rounds. */
    static double chain(BootstrapFixture f, int rounds, long seed) {
        int n = f.bp.slots();
        SplittableRandom r = new SplittableRandom(seed);
        double[][] z = BootstrapFixture.randomComplex(n, seed, false);
        double[] expected = z[0].clone();
        Evaluator ev = f.bootstrapper.evaluator();
        Ciphertext ct = f.encryptForBootstrap(z);
        double worst = 64;
        for (int round = 0; round < rounds; round++) {
            ct = f.bootstrapper.bootstrap(ct);
            // multiply by a fresh encryption of values of modulus in [0.75, 1] with random signs
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = (r.nextBoolean() ? 1 : -1) * r.nextDouble(0.75, 1);
                expected[i] *= w[i];
            }
            Ciphertext cw = f.encrypt(new double[][] {w, new double[n]}, ct.level());
            ct = ev.multiplyRelinRescale(ct, cw);
            double[] prec = BootstrapFixture.precision(new double[][] {expected, new double[n]}, f.decrypt(ct));
            System.out.printf("[ten bootstraps] round %d: level %d, precision mean %.1f bits, worst %.1f bits%n",
                    round + 1, ct.level(), prec[0], prec[1]);
            worst = Math.min(worst, prec[1]);
        }
        return worst;
    }

    @Test
    void tenBootstrapsWithAMultiplicationBetweenEachKeepSixteenBits() {
        BootstrapFixture f = BootstrapFixture.tiny();
        double worst = chain(f, 10, 41);
        assertTrue(worst >= 16, "worst precision over ten bootstraps " + worst);
    }
}

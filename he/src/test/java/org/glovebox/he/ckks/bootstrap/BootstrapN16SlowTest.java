package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.SecurityStandard;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 128-bit N = 2^16 set (several minutes; run with -Pslow-tests): one bootstrap at full packing meets 20 bits mean
 * and 16 bits worst slot for inputs uniform in [-1, 1]; ten bootstraps with a multiplication between each keep 16
 * bits; keys fit in 4 GB and survive a round trip through a directory.
 */
@Tag("slow")
class BootstrapN16SlowTest {

    @Test
    void everySparseN16SetIsSecure() {
        for (int logSlots = 3; logSlots < 15; logSlots++) {
            BootstrappingParameters bp = BootstrappingParameters.n16(logSlots);
            assertTrue(bp.isSparse());
            BootstrappingParametersTest.check(bp);
        }
    }

    @Test
    void secureFullPackingBootstrap(@TempDir Path dir) throws Exception {
        BootstrappingParameters bp = BootstrappingParameters.n16();
        assertFalse(bp.parameters().isInsecure());
        assertEquals(0, bp.parameters().secretHammingWeight(), "uniform ternary main secret");
        assertTrue(bp.parameters().logQP() <= SecurityStandard.maxLogQP128(16));
        assertFalse(bp.slotToCoeffParameters().isInsecure());
        assertTrue(bp.levelsAfterBootstrap() >= 9);
        BootstrapFixture f = new BootstrapFixture(bp, null, null);
        assertTrue(f.keys.sizeBytes() <= 4e9, "keys take " + f.keys.sizeBytes() / 1e9 + " GB");

        double[][] z = BootstrapFixture.randomComplex(bp.slots(), 7, false);
        long t0 = System.nanoTime();
        Ciphertext out = f.bootstrapper.bootstrap(f.encryptForBootstrap(z));
        double secs = (System.nanoTime() - t0) / 1e9;
        double[] prec = BootstrapFixture.precision(z, f.decrypt(out));
        System.out.printf("[N16] one bootstrap: %.1f s, precision mean %.1f bits, worst %.1f bits, keys %.2f GB%n",
                secs, prec[0], prec[1], f.keys.sizeBytes() / 1e9);
        assertEquals(bp.outputLevel(), out.level());
        assertTrue(prec[0] >= 20 && prec[1] >= 16, "precision mean " + prec[0] + ", worst " + prec[1]);

        double worst = TenBootstrapsTest.chain(f, 10, 8);
        assertTrue(worst >= 16, "worst precision over ten bootstraps " + worst);

        f.keys.writeTo(dir);
        // Keys read back on demand (one stage's keys in memory at a time), with the same secret key for checking.
        BootstrapFixture g = new BootstrapFixture(bp, f.sk,
                BootstrappingKeys.readFrom(dir, bp, BootstrappingKeys.Loading.ON_DEMAND));
        f = null;
        System.gc();
        Ciphertext again = g.bootstrapper.bootstrap(g.encryptForBootstrap(z));
        double[] p2 = BootstrapFixture.precision(z, g.decrypt(again));
        assertTrue(p2[0] >= 20 && p2[1] >= 16, "with keys read on demand: " + p2[0] + " / " + p2[1]);
    }
}

package org.glovebox.he.ckks.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.SecurityStandard;
import org.junit.jupiter.api.Test;

/** The named 128-bit sets pass the library's own validation; the builder refuses inconsistent requests. */
class BootstrappingParametersTest {

    @Test
    void n16IsSecureWithTenLevelsLeft() {
        check(BootstrappingParameters.n16());
        assertFalse(BootstrappingParameters.n16().isSparse());
    }

    /** Also used by the slow test for the sparse sets (building N = 2^16 tables takes seconds). */
    static void check(BootstrappingParameters... sets) {
        for (BootstrappingParameters bp : sets) {
            Parameters p = bp.parameters();
            assertFalse(p.isInsecure());
            assertEquals(0, p.secretHammingWeight(), "dense (uniform ternary) main secret");
            assertTrue(p.logQP() <= SecurityStandard.maxLogQP128(16), "log2(QP) = " + p.logQP());
            assertEquals(10, bp.levelsAfterBootstrap());
            assertEquals(3, bp.inputLevel());
            assertEquals(13, bp.outputLevel());
            assertEquals(p.maxLevel(), bp.outputLevel() + bp.depth() - bp.slotToCoeffLevels());
            assertEquals(32, bp.ephemeralSecretWeight());
            assertEquals(16, bp.k());
            assertEquals(3, p.digitCount(p.maxLevel()));
            // q_0·p_0, the only modulus the sparse ephemeral secret is used with, stays within 121 bits
            double encapsulationBits = (Math.log(p.q(0)) + Math.log(p.pPrimes()[0])) / Math.log(2);
            assertTrue(encapsulationBits <= 121, "encapsulation modulus " + encapsulationBits + " bits");
            Parameters sub = bp.slotToCoeffParameters();
            assertFalse(sub.isInsecure());
            assertArrayEquals(Arrays.copyOf(p.qPrimes(), 4), sub.qPrimes());
            assertArrayEquals(p.pPrimes(), sub.pPrimes());
            assertTrue(bp.galoisElements().length <= 30);
        }
    }

    @Test
    void builderRefusesInconsistentRequests() {
        assertThrows(IllegalArgumentException.class, () -> BootstrappingParameters.n16(2));
        assertThrows(IllegalArgumentException.class,
                () -> BootstrapFixture.small(10, 10).build(), "logSlots above N/2");
        assertThrows(IllegalArgumentException.class,
                () -> BootstrapFixture.small(10, 2).coeffToSlotPrimes(3, 50).build(), "more levels than stages");
        assertThrows(IllegalArgumentException.class,
                () -> BootstrapFixture.small(10, 5).arcsineDegree(4).build(), "even arcsine degree");
        assertThrows(IllegalArgumentException.class,
                () -> BootstrapFixture.small(10, 5).ephemeralSecretWeight(0).build(), "dense secret without K");
        // a secure-size chain beyond the bound is refused by Parameters itself
        assertThrows(IllegalArgumentException.class, () -> BootstrappingParameters.builder().logN(16)
                .computationPrimes(14, 40).coeffToSlotPrimes(4, 58).build());
    }
}

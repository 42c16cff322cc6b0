package org.glovebox.app.bench;

import java.util.Locale;
import org.glovebox.he.ckks.bootstrap.BootstrappingParameters;

/**
 * The bootstrapping parameter sets {@code glovebox bench --bootstrap} accepts, by name: {@code n16} (the 128-bit
 * full-packing set), {@code n16-sparse<k>} (the same with 2^k slots) and {@code test-insecure}, a tiny INSECURE ring
 * that exists only so tests of the command finish in seconds.
 */
public final class BootstrapParameterSets {
    /** The 128-bit-secure full-packing set, {@link BootstrappingParameters#n16()}. */
    public static final String DEFAULT = "n16";

    /** Name of the insecure test ring; the word is in the name so it cannot be mistaken for a real set. */
    public static final String TEST_INSECURE = "test-insecure";

    /** One line naming every accepted set, for help and error messages. */
    public static final String KNOWN = DEFAULT + " (N=2^16, 2^15 slots, 128-bit), n16-sparse<k> (2^k slots, k in 3..14),"
            + " " + TEST_INSECURE + " (N=2^10, INSECURE, for tests only)";

    private static final String SPARSE_PREFIX = "n16-sparse";

    private BootstrapParameterSets() {
    }

    /** The set called {@code name} (case-insensitive); IllegalArgumentException naming the known sets otherwise. */
    public static BootstrappingParameters byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals(DEFAULT)) {
            return BootstrappingParameters.n16();
        }
        if (n.equals(TEST_INSECURE)) {
            return testInsecure();
        }
        if (n.startsWith(SPARSE_PREFIX)) {
            String k = n.substring(SPARSE_PREFIX.length());
            if (k.matches("[0-9]{1,2}")) {
                int logSlots = Integer.parseInt(k);
                // 15 is full packing: that set is called n16.
                if (logSlots >= 3 && logSlots <= 14) {
                    return BootstrappingParameters.n16(logSlots);
                }
            }
        }
        throw new IllegalArgumentException("unknown bootstrapping parameter set '" + name + "'; known: " + KNOWN);
    }

    /**
     * N = 2^10 with full packing (2^9 slots), dense ternary secret and sparse-secret encapsulation (h' = 32), SlotToCoeff
     * first: the circuit of {@link BootstrappingParameters#n16()} on a ring far too small to be secure, with a short
     * chain (two 40-bit computation levels) so keys and one bootstrap take well under a second.
     */
    static BootstrappingParameters testInsecure() {
        return BootstrappingParameters.insecureTestBuilder(10, 9).ephemeralSecretWeight(32).build();
    }
}

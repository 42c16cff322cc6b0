package org.glovebox.he.ckks;

/**
 * The Homomorphic Encryption Standard (Albrecht et al., 2018) bound on the ciphertext modulus for 128-bit classical
 * security with a uniform ternary secret and error sigma = 3.2: the largest admissible log2(Q·P) per ring degree.
 * The N = 2^16 and 2^17 rows are the widely used extrapolations (SEAL, Lattigo).
 */
public final class SecurityStandard {
    private SecurityStandard() {
    }

    /** Largest log2(QP) giving 128-bit security at ring degree 2^logN, or 0 if no such modulus exists. */
    public static int maxLogQP128(int logN) {
        return switch (logN) {
            case 10 -> 27;
            case 11 -> 54;
            case 12 -> 109;
            case 13 -> 218;
            case 14 -> 438;
            case 15 -> 881;
            case 16 -> 1747;
            case 17 -> 3523;
            default -> 0;
        };
    }
}

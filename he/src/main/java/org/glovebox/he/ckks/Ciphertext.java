package org.glovebox.he.ckks;

import org.glovebox.he.ring.RnsPoly;

/**
 * A CKKS ciphertext (c_0, c_1[, c_2]) over q_0 … q_level in the NTT domain, decrypting to c_0 + c_1·s (+ c_2·s^2).
 * It carries its level, its exact scale and its slot count, which the {@link Evaluator} checks on every operation.
 *
 * <p>Immutable through the public API: every evaluator operation returns a new ciphertext. A fresh symmetric
 * encryption remembers the seed of its uniform part c_1, so serialization can store 32 bytes instead of a polynomial.
 */
public final class Ciphertext {
    private final Parameters params;
    private final RnsPoly[] parts;
    private final int level;
    private final double scale;
    private final int slots;
    private final byte[] c1Seed;

    Ciphertext(Parameters params, RnsPoly[] parts, int level, double scale, int slots, byte[] c1Seed) {
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("a ciphertext has 2 or 3 parts, got " + parts.length);
        }
        for (RnsPoly p : parts) {
            if (p.limbCount() != level + 1) {
                throw new IllegalArgumentException("ciphertext at level " + level + " needs " + (level + 1) + " limbs");
            }
        }
        this.params = params;
        this.parts = parts;
        this.level = level;
        this.scale = scale;
        this.slots = slots;
        this.c1Seed = c1Seed;
    }

    Ciphertext(Parameters params, RnsPoly[] parts, int level, double scale, int slots) {
        this(params, parts, level, scale, slots, null);
    }

    public Parameters parameters() {
        return params;
    }

    /** Current level: the number of rescalings still possible. */
    public int level() {
        return level;
    }

    public double scale() {
        return scale;
    }

    public int slots() {
        return slots;
    }

    /** 2 for a normal ciphertext, 3 after a multiplication that has not been relinearized. */
    public int size() {
        return parts.length;
    }

    RnsPoly part(int i) {
        return parts[i];
    }

    /** Seed of c_1 for a fresh symmetric encryption, else null. */
    byte[] c1Seed() {
        return c1Seed == null ? null : c1Seed.clone();
    }

    @Override
    public String toString() {
        return "Ciphertext[size=" + parts.length + ", level=" + level + ", scale=2^"
                + String.format("%.2f", Math.log(scale) / Math.log(2)) + ", slots=" + slots + "]";
    }
}

package org.glovebox.he.ckks;

import org.glovebox.he.ring.RnsPoly;

/**
 * An encoded (not encrypted) message: a polynomial over q_0 … q_level in the NTT domain, the scale its values were
 * multiplied by, and the number of slots it packs. Created by {@link Encoder} or {@link Decryptor}; immutable
 * through the public API.
 */
public final class Plaintext {
    private final Parameters params;
    private final RnsPoly poly;
    private final int level;
    private final double scale;
    private final int slots;

    Plaintext(Parameters params, RnsPoly poly, int level, double scale, int slots) {
        if (poly.limbCount() != level + 1) {
            throw new IllegalArgumentException("plaintext at level " + level + " needs " + (level + 1) + " limbs");
        }
        this.params = params;
        this.poly = poly;
        this.level = level;
        this.scale = scale;
        this.slots = slots;
    }

    public Parameters parameters() {
        return params;
    }

    public int level() {
        return level;
    }

    public double scale() {
        return scale;
    }

    public int slots() {
        return slots;
    }

    RnsPoly poly() {
        return poly;
    }

    @Override
    public String toString() {
        return "Plaintext[level=" + level + ", scale=2^" + String.format("%.2f", Math.log(scale) / Math.log(2))
                + ", slots=" + slots + "]";
    }
}

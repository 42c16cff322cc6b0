package org.glovebox.he.ring;

/**
 * A polynomial of Z_Q[X]/(X^N + 1) in residue-number-system form: one flat {@code long[N]} residue array ("limb")
 * per prime of its basis. Whether the limbs hold coefficients or NTT evaluations is a property of the owner (the
 * CKKS types keep every polynomial in the NTT domain). A plain mutable container: the types built on it decide who
 * may change it.
 */
public final class RnsPoly {
    private final long[][] limbs;

    /** A zero polynomial with {@code limbCount} limbs of degree {@code n}. */
    public RnsPoly(int n, int limbCount) {
        if (limbCount < 0) {
            throw new IllegalArgumentException("limb count must be >= 0");
        }
        limbs = new long[limbCount][n];
    }

    /** Wraps the given limbs without copying; every limb must have the same length. */
    public RnsPoly(long[][] limbs) {
        for (long[] l : limbs) {
            if (l.length != limbs[0].length) {
                throw new IllegalArgumentException("limbs of unequal length");
            }
        }
        this.limbs = limbs;
    }

    public int degree() {
        return limbs.length == 0 ? 0 : limbs[0].length;
    }

    public int limbCount() {
        return limbs.length;
    }

    /** The residues modulo the i-th prime of the basis (live view). */
    public long[] limb(int i) {
        return limbs[i];
    }

    /** A deep copy. */
    public RnsPoly copy() {
        return copyLimbs(limbs.length);
    }

    /** A deep copy of the first {@code count} limbs. */
    public RnsPoly copyLimbs(int count) {
        long[][] c = new long[count][];
        for (int i = 0; i < count; i++) {
            c[i] = limbs[i].clone();
        }
        return new RnsPoly(c);
    }

    /** Sets every residue to zero (used to erase secret material). */
    public void clear() {
        for (long[] l : limbs) {
            java.util.Arrays.fill(l, 0);
        }
    }

    @Override
    public String toString() {
        return "RnsPoly[N=" + degree() + ", limbs=" + limbs.length + "]";
    }
}

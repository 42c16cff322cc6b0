package org.glovebox.he.multiparty;

/**
 * A party of a multiparty group (a hospital): its index in the group, 0 … N-1, and its public Shamir evaluation
 * point, the non-zero integer at which the t-out-of-N secret polynomial is evaluated for it. Points are public; they
 * must be distinct within a group and are small (below 2^30) so that they and their differences are invertible
 * modulo every prime of every parameter set.
 */
public record PartyId(int index, long point) implements Comparable<PartyId> {
    /** Largest group size supported. */
    public static final int MAX_PARTIES = 1024;
    /** Exclusive upper bound of Shamir points. */
    public static final long MAX_POINT = 1L << 30;

    public PartyId {
        if (index < 0 || index >= MAX_PARTIES) {
            throw new IllegalArgumentException("party index must be in [0, " + MAX_PARTIES + "), got " + index);
        }
        if (point < 1 || point >= MAX_POINT) {
            throw new IllegalArgumentException("Shamir point must be in [1, 2^30), got " + point);
        }
    }

    /** The party with index i and the default point i + 1. */
    public static PartyId of(int index) {
        return new PartyId(index, index + 1L);
    }

    @Override
    public int compareTo(PartyId o) {
        return Integer.compare(index, o.index);
    }

    @Override
    public String toString() {
        return "party " + index;
    }
}

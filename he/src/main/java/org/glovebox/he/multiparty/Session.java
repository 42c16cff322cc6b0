package org.glovebox.he.multiparty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.Prng;

/**
 * The public context every party of a multiparty study agrees on before running a protocol: the parameter set, the
 * group of parties (index and public Shamir point), the decryption threshold t (N for N-out-of-N), a 16-byte
 * session id and the 32-byte common reference string (CRS) seed.
 *
 * <p>The CRS seed is public. Every uniform polynomial a protocol needs (the a of the public key, the a_d of
 * relinearization and Galois keys) is expanded from a seed derived from it with SHA-256 and the protocol's domain
 * label, through the AES-CTR generator {@link Prng}, so all parties obtain the same polynomials without sending them.
 * It must be fresh per study (use {@link #create}), not chosen by any single party after seeing others' shares.
 * Immutable.
 */
public final class Session {
    /** Length of a session id in bytes. */
    public static final int ID_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Parameters params;
    private final byte[] id;
    private final byte[] crsSeed;
    private final List<PartyId> parties;
    private final int threshold;

    private Session(Parameters params, byte[] id, byte[] crsSeed, List<PartyId> parties, int threshold) {
        if (id.length != ID_BYTES) {
            throw new IllegalArgumentException("session id must be " + ID_BYTES + " bytes, got " + id.length);
        }
        if (crsSeed.length != Prng.SEED_BYTES) {
            throw new IllegalArgumentException("CRS seed must be " + Prng.SEED_BYTES + " bytes, got " + crsSeed.length);
        }
        List<PartyId> sorted = new ArrayList<>(parties);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a session needs at least one party");
        }
        Set<Long> points = new HashSet<>();
        for (int i = 0; i < sorted.size(); i++) {
            PartyId p = sorted.get(i);
            if (p.index() != i) {
                throw new IllegalArgumentException("party indices must be 0 … " + (sorted.size() - 1)
                        + " without gaps or repeats, found " + p.index() + " at position " + i);
            }
            if (!points.add(p.point())) {
                throw new IllegalArgumentException("Shamir point " + p.point() + " is used by two parties");
            }
        }
        if (threshold < 1 || threshold > sorted.size()) {
            throw new IllegalArgumentException("threshold must be in [1, " + sorted.size() + "], got " + threshold);
        }
        this.params = params;
        this.id = id.clone();
        this.crsSeed = crsSeed.clone();
        this.parties = List.copyOf(sorted);
        this.threshold = threshold;
    }

    /** A new N-out-of-N session with fresh random id and CRS seed for parties 0 … n-1 (points 1 … n). */
    public static Session create(Parameters params, int n) {
        return create(params, n, n);
    }

    /** A new t-out-of-N session with fresh random id and CRS seed for parties 0 … n-1 (points 1 … n). */
    public static Session create(Parameters params, int n, int threshold) {
        List<PartyId> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(PartyId.of(i));
        }
        byte[] id = new byte[ID_BYTES];
        RANDOM.nextBytes(id);
        return new Session(params, id, Prng.freshSeed(), ps, threshold);
    }

    /** A session from agreed values (e.g. received from the coordinator and checked by every hospital). */
    public static Session of(Parameters params, byte[] id, byte[] crsSeed, Collection<PartyId> parties,
            int threshold) {
        return new Session(params, id, crsSeed, new ArrayList<>(parties), threshold);
    }

    public Parameters parameters() {
        return params;
    }

    public byte[] id() {
        return id.clone();
    }

    public byte[] crsSeed() {
        return crsSeed.clone();
    }

    /** All parties, by index. */
    public List<PartyId> parties() {
        return parties;
    }

    public int size() {
        return parties.size();
    }

    /** Number of parties needed to decrypt (N for N-out-of-N). */
    public int threshold() {
        return threshold;
    }

    public PartyId party(int index) {
        if (index < 0 || index >= parties.size()) {
            throw new IllegalArgumentException("party " + index + " is not in this group of " + parties.size());
        }
        return parties.get(index);
    }

    /** Fails unless {@code p} is exactly a member (same index and point). */
    public void requireMember(PartyId p) {
        if (p.index() >= parties.size() || !parties.get(p.index()).equals(p)) {
            throw new IllegalArgumentException(p + " (point " + p.point() + ") is not a member of this session's group"
                    + " of " + parties.size() + " parties");
        }
    }

    boolean sameId(byte[] other) {
        return MessageDigest.isEqual(id, other);
    }

    /**
     * The 32-byte seed of the common reference polynomials for one protocol and label (e.g. a Galois element):
     * SHA-256("glovebox-mp-crs-v1" || session id || CRS seed || protocol code || label).
     */
    byte[] crsFor(ProtocolType protocol, long label) {
        MessageDigest md = sha256();
        md.update("glovebox-mp-crs-v1".getBytes(StandardCharsets.US_ASCII));
        md.update(id);
        md.update(crsSeed);
        md.update((byte) protocol.code());
        for (int i = 0; i < 8; i++) {
            md.update((byte) (label >>> (8 * i)));
        }
        return md.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Session s && params.sameAs(s.params) && Arrays.equals(id, s.id)
                && Arrays.equals(crsSeed, s.crsSeed) && parties.equals(s.parties) && threshold == s.threshold;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "Session[" + HexFormat.of().formatHex(id) + ", " + threshold + "-out-of-" + parties.size() + ", "
                + params + "]";
    }
}

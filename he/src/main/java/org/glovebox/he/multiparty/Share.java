package org.glovebox.he.multiparty;

import java.security.MessageDigest;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ring.RnsBasis;
import org.glovebox.he.ring.RnsPoly;

/**
 * A protocol message: one party's share of one round of one protocol run, or the aggregate (sum) of several
 * parties' shares. It names its protocol, round, session, the parties whose shares it contains, and a 32-byte
 * context digest binding it to its input (the ciphertext being decrypted, the Galois element, the round-1
 * aggregate, …), so shares of different runs cannot be mixed: {@link #aggregate} refuses them, and refuses to count
 * a party twice. Public (except Thresholdizer shares, which go to their recipient only, over a private channel).
 *
 * <p>Payload: {@code count} polynomials over q_0 … q_level, each optionally extended by its special-prime part, in
 * the NTT domain; a key-switching share may instead be in coefficient form ({@link #inCoefficientForm}: made or read for
 * compressed transport, which is in coefficient form), and then only combines with shares in coefficient form.
 * Immutable through the public API.
 */
public final class Share {
    private final Parameters params;
    private final ProtocolType protocol;
    private final int round;
    private final byte[] sessionId;
    private final byte[] context;
    private final int level;
    private final int galoisElement;
    private final int recipient;
    private final BitSet contributors;
    private final RnsPoly[] q;
    private final RnsPoly[] p;
    private final boolean coefficientForm;
    /** True for a share made by a protocol's allocateShare: aggregation adds into it in place. */
    private boolean accumulator;
    /** An accumulator whose polynomials were handed to a finished key or ciphertext: no longer writable. */
    private boolean sealed;

    Share(Parameters params, ProtocolType protocol, int round, byte[] sessionId, byte[] context, int level,
            int galoisElement, int recipient, BitSet contributors, RnsPoly[] q, RnsPoly[] p) {
        this(params, protocol, round, sessionId, context, level, galoisElement, recipient, contributors, q, p, false);
    }

    Share(Parameters params, ProtocolType protocol, int round, byte[] sessionId, byte[] context, int level,
            int galoisElement, int recipient, BitSet contributors, RnsPoly[] q, RnsPoly[] p, boolean coefficientForm) {
        if (coefficientForm && (p != null || protocol != ProtocolType.KEY_SWITCH)) {
            throw new IllegalArgumentException("only key-switching shares over Q can be held in coefficient form");
        }
        this.coefficientForm = coefficientForm;
        this.params = params;
        this.protocol = protocol;
        this.round = round;
        this.sessionId = sessionId.clone();
        this.context = context.clone();
        this.level = level;
        this.galoisElement = galoisElement;
        this.recipient = recipient;
        this.contributors = (BitSet) contributors.clone();
        this.q = q;
        this.p = p;
    }

    public Parameters parameters() {
        return params;
    }

    Share asAccumulator() {
        this.accumulator = true;
        return this;
    }

    /** True for an accumulator from allocateShare that aggregation still adds into in place. */
    public boolean isAccumulator() {
        return accumulator && !sealed;
    }

    /** Marks the polynomials as owned by a finished object (finish takes them without copying). */
    void seal() {
        sealed = true;
    }

    /** The i-th chain polynomial for a finished object: the share's own if it can no longer change, else a copy. */
    RnsPoly qForResult(int i) {
        if (accumulator) {
            sealed = true;
        }
        return q[i];
    }

    RnsPoly pForResult(int i) {
        if (accumulator) {
            sealed = true;
        }
        return p[i];
    }

    public ProtocolType protocol() {
        return protocol;
    }

    /** Round number, starting at 1. */
    public int round() {
        return round;
    }

    public byte[] sessionId() {
        return sessionId.clone();
    }

    public byte[] context() {
        return context.clone();
    }

    /** Level of the chain part of the polynomials. */
    public int level() {
        return level;
    }

    /** The Galois element of a Galois-key share, else 0. */
    public int galoisElement() {
        return galoisElement;
    }

    /** The recipient's index for a Thresholdizer share, else -1. */
    public int recipient() {
        return recipient;
    }

    /** Indices of the parties whose shares this one contains, ascending. */
    public List<Integer> contributors() {
        return contributors.stream().boxed().toList();
    }

    public int contributorCount() {
        return contributors.cardinality();
    }

    BitSet contributorSet() {
        return (BitSet) contributors.clone();
    }

    /**
     * True if the polynomials are in coefficient form (a key-switching share made or read for compressed transport),
     * false for the NTT domain. Shares of different forms never combine.
     */
    public boolean inCoefficientForm() {
        return coefficientForm;
    }

    /** The i-th chain polynomial in the NTT domain: the share's own, or a transformed copy of a coefficient form. */
    RnsPoly qInNttForm(int i) {
        if (!coefficientForm) {
            return q[i];
        }
        RnsPoly t = q[i].copy();
        params.ringQ().ntt(t, org.glovebox.he.ring.Parallelism.SERIAL);
        return t;
    }

    boolean hasSpecialPart() {
        return p != null;
    }

    int count() {
        return q.length;
    }

    RnsPoly q(int i) {
        return q[i];
    }

    RnsPoly p(int i) {
        return p[i];
    }

    /** Fails with a message naming the difference unless {@code o} belongs to the same protocol run and round. */
    void requireCompatible(Share o) {
        if (!params.sameAs(o.params)) {
            throw new IllegalArgumentException("share belongs to a different parameter set");
        }
        if (protocol != o.protocol || round != o.round) {
            throw new IllegalArgumentException("cannot combine a " + o.protocol + " round " + o.round + " share with a "
                    + protocol + " round " + round + " share");
        }
        if (!MessageDigest.isEqual(sessionId, o.sessionId)) {
            throw new IllegalArgumentException("share belongs to another session ("
                    + HexFormat.of().formatHex(o.sessionId) + " vs " + HexFormat.of().formatHex(sessionId) + ")");
        }
        if (!MessageDigest.isEqual(context, o.context)) {
            throw new IllegalArgumentException(protocol + " share was made for a different input (context digest"
                    + " differs: another ciphertext, key, Galois element or round-1 aggregate)");
        }
        if (level != o.level || galoisElement != o.galoisElement || recipient != o.recipient || q.length != o.q.length
                || (p == null) != (o.p == null)) {
            throw new IllegalArgumentException(protocol + " shares differ in level, Galois element, recipient or size");
        }
        if (coefficientForm != o.coefficientForm) {
            throw new IllegalArgumentException("cannot add a " + protocol + " share in " + form(o.coefficientForm)
                    + " to one in " + form(coefficientForm));
        }
    }

    private static String form(boolean coefficients) {
        return coefficients ? "coefficient form" : "the NTT domain";
    }

    /**
     * The sum of two shares of the same run and round with disjoint contributors. If {@code a} is an accumulator
     * (from allocateShare), b is added into it in place and a is returned; otherwise a new share is made.
     */
    static Share aggregate(Share a, Share b) {
        a.requireCompatible(b);
        if (a.contributors.intersects(b.contributors)) {
            BitSet both = a.contributorSet();
            both.and(b.contributors);
            throw new IllegalArgumentException("party " + both.nextSetBit(0) + "'s " + a.protocol
                    + " share would be counted twice");
        }
        if (a.accumulator && a.sealed) {
            throw new IllegalStateException("this accumulator was already turned into a key or ciphertext");
        }
        Parameters params = a.params;
        if (a.accumulator) {
            for (int i = 0; i < a.q.length; i++) {
                params.ringQ().add(a.q[i], b.q[i], a.q[i]);
                if (a.p != null) {
                    params.ringP().add(a.p[i], b.p[i], a.p[i]);
                }
            }
            a.contributors.or(b.contributors);
            return a;
        }
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly[] q = new RnsPoly[a.q.length];
        RnsPoly[] p = a.p == null ? null : new RnsPoly[a.q.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = Polys.newQ(params, a.level);
            rq.add(a.q[i], b.q[i], q[i]);
            if (p != null) {
                p[i] = Polys.newP(params);
                rp.add(a.p[i], b.p[i], p[i]);
            }
        }
        BitSet c = a.contributorSet();
        c.or(b.contributors);
        return new Share(params, a.protocol, a.round, a.sessionId, a.context, a.level, a.galoisElement, a.recipient, c,
                q, p, a.coefficientForm);
    }

    /** The sum of shares of one run and round with pairwise disjoint contributors (one allocation). */
    static Share sum(java.util.Collection<Share> shares) {
        java.util.Iterator<Share> it = shares.iterator();
        Share first = it.next();
        Parameters params = first.params;
        RnsBasis rq = params.ringQ();
        RnsBasis rp = params.ringP();
        RnsPoly[] q = new RnsPoly[first.q.length];
        RnsPoly[] p = first.p == null ? null : new RnsPoly[first.q.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = first.q[i].copy();
            if (p != null) {
                p[i] = first.p[i].copy();
            }
        }
        BitSet c = first.contributorSet();
        while (it.hasNext()) {
            Share b = it.next();
            first.requireCompatible(b);
            if (c.intersects(b.contributors)) {
                BitSet both = (BitSet) c.clone();
                both.and(b.contributors);
                throw new IllegalArgumentException("party " + both.nextSetBit(0) + "'s " + first.protocol
                        + " share would be counted twice");
            }
            c.or(b.contributors);
            for (int i = 0; i < q.length; i++) {
                rq.add(q[i], b.q[i], q[i]);
                if (p != null) {
                    rp.add(p[i], b.p[i], p[i]);
                }
            }
        }
        return new Share(params, first.protocol, first.round, first.sessionId, first.context, first.level,
                first.galoisElement, first.recipient, c, q, p, first.coefficientForm);
    }

    @Override
    public String toString() {
        return "Share[" + protocol + " round " + round + ", parties " + contributors + ", level " + level
                + (galoisElement != 0 ? ", Galois element " + galoisElement : "")
                + (recipient >= 0 ? ", for party " + recipient : "") + (coefficientForm ? ", coefficient form" : "")
                + "]";
    }
}

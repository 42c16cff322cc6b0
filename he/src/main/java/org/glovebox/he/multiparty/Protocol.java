package org.glovebox.he.multiparty;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsPoly;

/**
 * What every protocol shares: the session, the active parties (all of them, or t of them after {@link Combiner}),
 * the per-instance round guard, and share validation and aggregation.
 */
abstract class Protocol {
    static final byte[] NO_CONTEXT = new byte[32];

    final Session session;
    final Parameters params;
    final List<PartyId> active;
    final BitSet activeBits = new BitSet();
    final ProtocolType type;
    /** Noise for this instance's shares (fresh from SecureRandom), made on first use: aggregators need none. */
    private Prng noise;
    private final java.util.Set<String> generated = new java.util.HashSet<>();

    Protocol(ProtocolType type, Session session, Collection<PartyId> activeParties) {
        this.type = type;
        this.session = session;
        this.params = session.parameters();
        List<PartyId> a = new ArrayList<>(activeParties);
        java.util.Collections.sort(a);
        for (PartyId p : a) {
            session.requireMember(p);
            if (activeBits.get(p.index())) {
                throw new IllegalArgumentException(p + " is listed twice in the active set");
            }
            activeBits.set(p.index());
        }
        if (a.size() < session.threshold()) {
            throw new IllegalArgumentException(type + " needs at least t = " + session.threshold() + " of the "
                    + session.size() + " parties, got " + a.size());
        }
        this.active = List.copyOf(a);
    }

    /** This instance's noise generator (seeded from SecureRandom on first use). */
    final Prng noise() {
        if (noise == null) {
            noise = Prng.fresh();
        }
        return noise;
    }

    /** Same-package tests: this instance's noise from a given generator, to compare two paths on the same noise. */
    final void useNoise(Prng prng) {
        if (noise != null) {
            throw new IllegalStateException("this instance already drew noise");
        }
        noise = prng;
    }

    /** The parties whose shares this run needs. */
    public List<PartyId> activeParties() {
        return active;
    }

    /** Checks that {@code sk} may take part in this run, and records the use (guard against a second share). */
    void admit(SecretKeyShare sk, int round, byte[] context) {
        if (!params.sameAs(sk.parameters())) {
            throw new IllegalArgumentException("secret share belongs to a different parameter set");
        }
        PartyId owner = sk.owner();
        session.requireMember(owner);
        if (!activeBits.get(owner.index())) {
            throw new IllegalArgumentException(owner + " is not in this run's active set " + active);
        }
        if (sk.activeSet() != null) {
            if (!sk.activeSet().equals(active) || sk.sessionId() == null || !session.sameId(sk.sessionId())) {
                throw new IllegalArgumentException(owner + "'s share was combined for " + sk.activeSet()
                        + " (or another session), but this run's active set is " + active);
            }
        } else if (active.size() != session.size()) {
            throw new IllegalArgumentException("this run has " + active.size() + " of " + session.size()
                    + " parties: combine each Shamir share for this active set with Combiner first");
        }
        String key = round + "/" + java.util.HexFormat.of().formatHex(context);
        if (!generated.add(key)) {
            throw new IllegalStateException("this " + type + " instance already generated its round " + round
                    + " share for this input: a second share with fresh noise would leak the secret");
        }
        sk.markUsed(session.id(), type, round, context);
    }

    Share newShare(PartyId owner, int round, byte[] context, int level, int galois, int recipient, RnsPoly[] q,
            RnsPoly[] p) {
        return newShare(owner, round, context, level, galois, recipient, q, p, false);
    }

    Share newShare(PartyId owner, int round, byte[] context, int level, int galois, int recipient, RnsPoly[] q,
            RnsPoly[] p, boolean coefficientForm) {
        BitSet c = new BitSet();
        if (owner != null) {
            c.set(owner.index());
        }
        return new Share(params, type, round, session.id(), context, level, galois, recipient, c, q, p,
                coefficientForm);
    }

    Share zeroShare(int round, byte[] context, int level, int galois, int recipient, int count, boolean withP) {
        RnsPoly[] q = new RnsPoly[count];
        RnsPoly[] p = withP ? new RnsPoly[count] : null;
        for (int i = 0; i < count; i++) {
            q[i] = Polys.newQ(params, level);
            if (withP) {
                p[i] = Polys.newP(params);
            }
        }
        return newShare(null, round, context, level, galois, recipient, q, p).asAccumulator();
    }

    /** Validates a received share against this run (session, protocol, round, membership of contributors). */
    void validate(Share s, int round) {
        if (!params.sameAs(s.parameters())) {
            throw new IllegalArgumentException("share belongs to a different parameter set");
        }
        if (s.protocol() != type) {
            throw new IllegalArgumentException("expected a " + type + " share, got a " + s.protocol() + " share");
        }
        if (s.round() != round) {
            throw new IllegalArgumentException("expected a " + type + " round " + round + " share, got round "
                    + s.round());
        }
        if (!session.sameId(s.sessionId())) {
            throw new IllegalArgumentException("share belongs to another session");
        }
        BitSet extra = s.contributorSet();
        extra.andNot(activeBits);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException("share contains party " + extra.nextSetBit(0)
                    + ", which is not in this run's active set " + active);
        }
    }

    Share aggregate(Share a, Share b, int round) {
        validate(a, round);
        validate(b, round);
        return Share.aggregate(a, b);
    }

    Share aggregateAll(Collection<Share> shares, int round) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares to aggregate");
        }
        for (Share s : shares) {
            validate(s, round);
        }
        return Share.sum(shares);
    }

    /** Fails unless the aggregate holds exactly the active parties' shares. */
    void requireComplete(Share agg, int round) {
        validate(agg, round);
        BitSet missing = (BitSet) activeBits.clone();
        missing.andNot(agg.contributorSet());
        if (!missing.isEmpty()) {
            String names = missing.stream().mapToObj(Integer::toString).collect(Collectors.joining(", "));
            throw new IllegalArgumentException(type + " round " + round + ": the aggregate holds " + agg.contributorCount()
                    + " of the " + active.size() + " required shares (missing parties: " + names + ")");
        }
    }

    static byte[] digest(String label, long[] numbers, RnsPoly... polys) {
        MessageDigest md = Session.sha256();
        md.update(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] buf = new byte[8];
        for (long v : numbers) {
            putLong(md, buf, v);
        }
        for (RnsPoly p : polys) {
            putLong(md, buf, p.limbCount());
            for (int i = 0; i < p.limbCount(); i++) {
                long[] l = p.limb(i);
                int stride = Math.max(1, l.length / 64);
                for (int j = 0; j < l.length; j += stride) {
                    putLong(md, buf, l[j]);
                }
            }
        }
        return md.digest();
    }

    private static void putLong(MessageDigest md, byte[] buf, long v) {
        for (int i = 0; i < 8; i++) {
            buf[i] = (byte) (v >>> (8 * i));
        }
        md.update(buf);
    }

    /** Binds a share to a ciphertext: level, scale, slots and a sample of both parts. */
    static byte[] ciphertextDigest(Ciphertext ct) {
        if (ct.size() != 2) {
            throw new IllegalArgumentException("relinearize the ciphertext before collective decryption");
        }
        return digest("ct", new long[] {ct.level(), Double.doubleToLongBits(ct.scale()), ct.slots()},
                ProtocolAccess.ciphertextPart(ct, 0), ProtocolAccess.ciphertextPart(ct, 1));
    }
}

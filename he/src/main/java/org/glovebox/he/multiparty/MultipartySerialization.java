package org.glovebox.he.multiparty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.BinaryReader;
import org.glovebox.he.io.BinaryWriter;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.io.ObjectType;
import org.glovebox.he.ring.RnsPoly;

/**
 * The binary format of multiparty objects, in the versioned Glovebox HE format (header with magic, version, object
 * type and parameter fingerprint; residues bit-packed at their modulus width).
 *
 * <p>{@link Share} (type MULTIPARTY_SHARE): protocol code, round, session id, context digest, level, Galois element,
 * recipient, contributor indices, polynomial count, special-part flag, polynomials. Secret shares (type
 * THRESHOLD_SECRET_SHARE): a kind byte (1 ternary additive share at 2 bits per coefficient, 2 combined additive share,
 * 3 Shamir share; 2 and 3 at full residue width), the owner, and for 2 and 3 the session id (and active set or
 * threshold). Readers take the trusted {@link Session} or {@link Parameters} and refuse, with
 * {@link MalformedDataException}, anything truncated, out of range, from another parameter set, session, protocol or
 * round, or naming a party outside the group. Sizes always come from the trusted side.
 *
 * <p>Compressed shares (type COMPRESSED_MULTIPARTY_SHARE, {@link #writeCompressedShare}): key-switching and
 * decryption shares of level-0 ciphertexts with their coefficients rounded to fewer bits by modulus switching; lossy,
 * for transport, with the width in the data.
 */
public final class MultipartySerialization {
    private static final int KIND_TERNARY = 1;
    private static final int KIND_COMBINED = 2;
    private static final int KIND_SHAMIR = 3;

    private MultipartySerialization() {
    }

    // ---------------------------------------------------------------- protocol shares

    public static void writeShare(Share s, OutputStream os) throws IOException {
        Parameters params = s.parameters();
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.MULTIPARTY_SHARE, params.fingerprint());
        writeShareFields(w, s);
        for (int i = 0; i < s.count(); i++) {
            w.writePoly(s.qInNttForm(i), params.ringQ()); // the format is in the NTT domain
            if (s.hasSpecialPart()) {
                w.writePoly(s.p(i), params.ringP());
            }
        }
        w.flush();
    }

    private static void writeShareFields(BinaryWriter w, Share s) throws IOException {
        w.writeByte(s.protocol().code());
        w.writeByte(s.round());
        w.writeBytes(s.sessionId());
        w.writeBytes(s.context());
        w.writeInt(s.level());
        w.writeInt(s.galoisElement());
        w.writeInt(s.recipient());
        List<Integer> c = s.contributors();
        w.writeInt(c.size());
        for (int i : c) {
            w.writeInt(i);
        }
        w.writeByte(s.count());
        w.writeByte(s.hasSpecialPart() ? 1 : 0);
    }

    /** Reads a share of the given protocol and round for this session. */
    public static Share readShare(InputStream is, Session session, ProtocolType expected, int expectedRound)
            throws IOException {
        Share s = readShare(is, session);
        if (s.protocol() != expected) {
            throw new MalformedDataException("expected a " + expected + " share but the data holds a " + s.protocol()
                    + " share");
        }
        if (s.round() != expectedRound) {
            throw new MalformedDataException("expected a " + expected + " round " + expectedRound
                    + " share but the data holds round " + s.round());
        }
        return s;
    }

    /** Reads a share of any protocol for this session, validating every field. */
    public static Share readShare(InputStream is, Session session) throws IOException {
        Parameters params = session.parameters();
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.MULTIPARTY_SHARE, params.fingerprint());
        ShareFields f = readShareFields(r, session);
        boolean keyGen = keyGen(f.type);
        RnsPoly[] q = new RnsPoly[f.count];
        RnsPoly[] p = keyGen ? new RnsPoly[f.count] : null;
        for (int i = 0; i < f.count; i++) {
            q[i] = r.readPoly(params.ringQ(), f.level + 1, f.type + " share polynomial " + i);
            if (keyGen) {
                p[i] = r.readPoly(params.ringP(), params.specialPrimeCount(), f.type + " share polynomial " + i);
            }
        }
        return new Share(params, f.type, f.round, f.sid, f.context, f.level, f.galois, f.recipient, f.contributors,
                q, p);
    }

    /** The fields of a share before its polynomials, validated against the session. */
    private record ShareFields(ProtocolType type, int round, byte[] sid, byte[] context, int level, int galois,
            int recipient, BitSet contributors, int count) { }

    private static ShareFields readShareFields(BinaryReader r, Session session) throws IOException {
        Parameters params = session.parameters();
        ProtocolType type = ProtocolType.fromCode(r.readUnsignedByte());
        int round = r.readUnsignedByte();
        if (round < 1 || round > type.rounds()) {
            throw new MalformedDataException(type + " has rounds 1.." + type.rounds() + ", the data says round " + round);
        }
        byte[] sid = r.readBytes(Session.ID_BYTES);
        if (!session.sameId(sid)) {
            throw new MalformedDataException("the share belongs to another session");
        }
        byte[] context = r.readBytes(32);
        boolean keyGen = keyGen(type);
        int level = keyGen ? r.readInt("level", params.maxLevel(), params.maxLevel())
                : r.readInt("level", 0, params.maxLevel());
        int g = r.readInt();
        if (type == ProtocolType.GALOIS_KEY_GEN) {
            if ((g & 1) == 0 || g < 3 || g >= 2 * params.n()) {
                throw new MalformedDataException("invalid Galois element " + g);
            }
        } else if (g != 0) {
            throw new MalformedDataException("a " + type + " share carries no Galois element, found " + g);
        }
        int recipient = r.readInt();
        if (type == ProtocolType.THRESHOLDIZER) {
            if (recipient < 0 || recipient >= session.size()) {
                throw new MalformedDataException("recipient " + recipient + " is outside the group of "
                        + session.size() + " parties");
            }
        } else if (recipient != -1) {
            throw new MalformedDataException("a " + type + " share has no recipient, found " + recipient);
        }
        int n = r.readInt("contributor count", 0, session.size());
        BitSet contributors = new BitSet();
        int last = -1;
        for (int i = 0; i < n; i++) {
            int idx = r.readInt();
            if (idx < 0 || idx >= session.size()) {
                throw new MalformedDataException("party " + idx + " is outside the group of " + session.size()
                        + " parties");
            }
            if (idx <= last) {
                throw new MalformedDataException("contributor indices must be strictly ascending");
            }
            contributors.set(idx);
            last = idx;
        }
        int count = r.readUnsignedByte();
        int expectedCount = expectedCount(type, round, params);
        if (count != expectedCount) {
            throw new MalformedDataException(type + " share must hold " + expectedCount + " polynomials, found " + count);
        }
        int hasP = r.readUnsignedByte();
        if (hasP != (keyGen ? 1 : 0)) {
            throw new MalformedDataException("invalid special-prime flag " + hasP + " for a " + type + " share");
        }
        return new ShareFields(type, round, sid, context, level, g, recipient, contributors, count);
    }

    // ---------------------------------------------------------------- compressed (lossy) shares

    /** Version of the compressed share layout (written after the share fields). */
    private static final int COMPRESSED_LAYOUT = 1;

    /**
     * Writes a key-switching or decryption share ({@link KeySwitch}, {@link PublicKeySwitch}) of a level-0
     * (single-prime) ciphertext compressed for transport by modulus switching
     * ({@link org.glovebox.he.io.ResidueCompression}): the coefficients of each polynomial at {@code bits} bits
     * instead of the width of q_0. Layout: header (type COMPRESSED_MULTIPARTY_SHARE), the same fields as
     * {@link #writeShare}, layout version (1 byte, 1), width (1 byte), then the packed coefficients.
     *
     * <p>Lossy: each coefficient of the share changes by at most q/2^(bits+1) + 1/2, with variance about
     * (q/2^bits)²/12, which adds directly (not multiplied by a secret) to the combined result. A share already carries
     * flooding noise of standard deviation σ_f ({@link Smudging}); a step q/2^bits ≤ σ_f (variance at most 1/12 of
     * the flooding's) is below that noise floor. Compression is a public function of the share: it reveals nothing
     * the share does not.
     *
     * @throws IllegalArgumentException if the share is not a KEY_SWITCH or PUBLIC_KEY_SWITCH share at level 0, or the
     *     width is outside [1, bit width of q_0]
     */
    public static void writeCompressedShare(Share s, int bits, OutputStream os) throws IOException {
        Parameters params = s.parameters();
        if (keyGen(s.protocol()) || s.hasSpecialPart() || s.level() != 0) {
            throw new IllegalArgumentException("only key-switching and decryption shares at level 0 (one prime) can be"
                    + " compressed by modulus switching; got a " + s.protocol() + " share at level " + s.level());
        }
        org.glovebox.he.io.ResidueCompression.checkWidth(params.q(0), bits);
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.COMPRESSED_MULTIPARTY_SHARE, params.fingerprint());
        writeShareFields(w, s);
        w.writeByte(COMPRESSED_LAYOUT);
        w.writeByte(bits);
        for (int i = 0; i < s.count(); i++) {
            if (s.inCoefficientForm()) {
                w.writeCompressedCoefficients(s.q(i).limb(0).clone(), params.q(0), bits); // already untransformed
            } else {
                w.writeCompressedPoly(s.q(i), params.ringQ(), bits);
            }
        }
        w.flush();
    }

    /**
     * Reads a share written by {@link #writeCompressedShare}, of the given protocol and round, validating every field
     * as {@link #readShare(InputStream, Session, ProtocolType, int)} does, plus level 0, the layout version and the
     * width (in [1, bit width of q_0]). The result is an ordinary share carrying the extra rounding noise.
     */
    public static Share readCompressedShare(InputStream is, Session session, ProtocolType expected, int expectedRound)
            throws IOException {
        return readCompressedShare(is, session, expected, expectedRound, 0);
    }

    /**
     * As {@link #readCompressedShare(InputStream, Session, ProtocolType, int)}, and refuses a width other than
     * {@code bits} (0: any admissible width), for receivers whose noise budget assumes a given width.
     */
    public static Share readCompressedShare(InputStream is, Session session, ProtocolType expected, int expectedRound,
            int bits) throws IOException {
        return readCompressedShare(is, session, expected, expectedRound, bits, false);
    }

    private static Share readCompressedShare(InputStream is, Session session, ProtocolType expected, int expectedRound,
            int bits, boolean coefficientForm) throws IOException {
        Parameters params = session.parameters();
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.COMPRESSED_MULTIPARTY_SHARE, params.fingerprint());
        ShareFields f = readShareFields(r, session);
        if (keyGen(f.type) || f.level != 0) {
            throw new MalformedDataException("a compressed share must be a key-switching share at level 0, found a "
                    + f.type + " share at level " + f.level);
        }
        if (f.type != expected) {
            throw new MalformedDataException("expected a " + expected + " share but the data holds a " + f.type
                    + " share");
        }
        if (f.round != expectedRound) {
            throw new MalformedDataException("expected a " + expected + " round " + expectedRound
                    + " share but the data holds round " + f.round);
        }
        int layout = r.readUnsignedByte();
        if (layout != COMPRESSED_LAYOUT) {
            throw new MalformedDataException("unsupported compressed-share layout " + layout + " (this build reads "
                    + COMPRESSED_LAYOUT + ")");
        }
        int width = r.readCompressedWidth(params.q(0), "compressed share");
        if (bits != 0 && width != bits) {
            throw new MalformedDataException("share compressed to " + width + " bits, expected " + bits);
        }
        if (coefficientForm && f.type != ProtocolType.KEY_SWITCH) {
            throw new MalformedDataException("only key-switching shares are read in coefficient form, found a "
                    + f.type + " share");
        }
        RnsPoly[] q = new RnsPoly[f.count];
        for (int i = 0; i < f.count; i++) {
            if (coefficientForm) {
                q[i] = params.ringQ().newPoly(1);
                r.readCompressedCoefficients(q[i].limb(0), params.q(0), width, f.type + " share polynomial " + i);
            } else {
                q[i] = r.readCompressedPoly(params.ringQ(), width, f.type + " share polynomial " + i);
            }
        }
        return new Share(params, f.type, f.round, f.sid, f.context, 0, f.galois, f.recipient, f.contributors, q, null,
                coefficientForm);
    }

    /** {@link #writeCompressedShare} to a byte array. */
    public static byte[] toCompressedBytes(Share s, int bits) {
        // sized for the packed polynomials plus the fields (it grows if a header is longer)
        ByteArrayOutputStream bos = new ByteArrayOutputStream(512 + s.count()
                * ((s.parameters().n() * Math.max(1, Math.min(bits, 64)) + 7) / 8));
        try {
            writeCompressedShare(s, bits, bos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Reads a compressed share of the given protocol and round from bytes, requiring that nothing follows it. */
    public static Share compressedShareFromBytes(byte[] data, Session session, ProtocolType expected, int round)
            throws MalformedDataException {
        return Serialization.fromBytes(data, in -> readCompressedShare(in, session, expected, round));
    }

    /** Reads a compressed share of exactly {@code bits} bits from bytes, requiring that nothing follows it. */
    public static Share compressedShareFromBytes(byte[] data, Session session, ProtocolType expected, int round,
            int bits) throws MalformedDataException {
        return Serialization.fromBytes(data, in -> readCompressedShare(in, session, expected, round, bits));
    }

    /**
     * As {@link #compressedShareFromBytes(byte[], Session, ProtocolType, int, int)} for a key-switching share, kept in
     * coefficient form as it was sent ({@link Share#inCoefficientForm}: no transform), for an aggregator that combines
     * the shares with a ciphertext part in coefficient form ({@link KeySwitch#combinedSharesInCoefficientForm}).
     */
    public static Share compressedShareCoefficientsFromBytes(byte[] data, Session session, ProtocolType expected,
            int round, int bits) throws MalformedDataException {
        return Serialization.fromBytes(data, in -> readCompressedShare(in, session, expected, round, bits, true));
    }

    /** Key-generation shares live over Q·P at the top level; key-switching shares over Q at the ciphertext level. */
    private static boolean keyGen(ProtocolType type) {
        return type != ProtocolType.KEY_SWITCH && type != ProtocolType.PUBLIC_KEY_SWITCH;
    }

    private static int expectedCount(ProtocolType type, int round, Parameters params) {
        int digits = ProtocolAccess.digits(params);
        return switch (type) {
            case PUBLIC_KEY_GEN, KEY_SWITCH, THRESHOLDIZER -> 1;
            case PUBLIC_KEY_SWITCH -> 2;
            case RELIN_KEY_GEN -> round == 1 ? 2 * digits : digits;
            case GALOIS_KEY_GEN -> digits;
        };
    }

    // ---------------------------------------------------------------- secret shares (keep private)

    /** Writes a party's secret share. Keep the output private (owner-only storage). */
    public static void writeSecretKeyShare(SecretKeyShare sk, OutputStream os) throws IOException {
        Parameters params = sk.parameters();
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.THRESHOLD_SECRET_SHARE, params.fingerprint());
        w.writeByte(sk.isTernary() ? KIND_TERNARY : KIND_COMBINED);
        writeParty(w, sk.owner());
        if (sk.isTernary()) {
            long[] s = sk.ternaryCoefficients();
            long[] packed = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                packed[i] = s[i] + 1;
            }
            w.writePacked(packed, 2);
            java.util.Arrays.fill(packed, 0);
        } else {
            w.writeBytes(sk.sessionId());
            w.writeInt(sk.activeSet().size());
            for (PartyId p : sk.activeSet()) {
                writeParty(w, p);
            }
            w.writePoly(sk.q(), params.ringQ());
            w.writePoly(sk.p(), params.ringP());
        }
        w.flush();
    }

    public static SecretKeyShare readSecretKeyShare(InputStream is, Parameters params) throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.THRESHOLD_SECRET_SHARE, params.fingerprint());
        int kind = r.readUnsignedByte();
        if (kind != KIND_TERNARY && kind != KIND_COMBINED) {
            throw new MalformedDataException(kind == KIND_SHAMIR ? "the data holds a Shamir share, not an additive"
                    + " secret share" : "unknown secret share kind " + kind);
        }
        PartyId owner = readParty(r);
        if (kind == KIND_TERNARY) {
            long[] s = new long[params.n()];
            r.readPacked(s, 2, 3, "secret share");
            for (int i = 0; i < s.length; i++) {
                s[i] -= 1;
            }
            return SecretKeyShare.fromTernary(params, owner, s);
        }
        byte[] sid = r.readBytes(Session.ID_BYTES);
        int count = r.readInt("active set size", 1, PartyId.MAX_PARTIES);
        List<PartyId> active = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            active.add(readParty(r));
        }
        if (!active.contains(owner)) {
            throw new MalformedDataException("the share's owner is not in its active set");
        }
        RnsPoly q = r.readPoly(params.ringQ(), params.maxLevel() + 1, "secret share");
        RnsPoly p = r.readPoly(params.ringP(), params.specialPrimeCount(), "secret share");
        return new SecretKeyShare(params, owner, q, p, null, sid, active, null);
    }

    /** Writes a Shamir share. Keep the output private (owner-only storage). */
    public static void writeShamirShare(ShamirShare s, OutputStream os) throws IOException {
        Parameters params = s.parameters();
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.THRESHOLD_SECRET_SHARE, params.fingerprint());
        w.writeByte(KIND_SHAMIR);
        writeParty(w, s.owner());
        w.writeBytes(s.sessionId());
        w.writeInt(s.threshold());
        w.writePoly(s.q(), params.ringQ());
        w.writePoly(s.p(), params.ringP());
        w.flush();
    }

    public static ShamirShare readShamirShare(InputStream is, Session session) throws IOException {
        Parameters params = session.parameters();
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.THRESHOLD_SECRET_SHARE, params.fingerprint());
        int kind = r.readUnsignedByte();
        if (kind != KIND_SHAMIR) {
            throw new MalformedDataException("expected a Shamir share, found secret share kind " + kind);
        }
        PartyId owner = readParty(r);
        try {
            session.requireMember(owner);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException(e.getMessage(), e);
        }
        byte[] sid = r.readBytes(Session.ID_BYTES);
        if (!session.sameId(sid)) {
            throw new MalformedDataException("the Shamir share belongs to another session");
        }
        int t = r.readInt("threshold", session.threshold(), session.threshold());
        RnsPoly q = r.readPoly(params.ringQ(), params.maxLevel() + 1, "Shamir share");
        RnsPoly p = r.readPoly(params.ringP(), params.specialPrimeCount(), "Shamir share");
        return new ShamirShare(params, owner, sid, t, q, p);
    }

    // ---------------------------------------------------------------- helpers

    private static void writeParty(BinaryWriter w, PartyId p) throws IOException {
        w.writeInt(p.index());
        w.writeLong(p.point());
    }

    private static PartyId readParty(BinaryReader r) throws IOException {
        int idx = r.readInt();
        long point = r.readLong();
        try {
            return new PartyId(idx, point);
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid party: " + e.getMessage(), e);
        }
    }

    /** Serializes a {@link Share}, {@link SecretKeyShare} or {@link ShamirShare} to bytes. */
    public static byte[] toBytes(Object o) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            switch (o) {
                case Share s -> writeShare(s, bos);
                case SecretKeyShare s -> writeSecretKeyShare(s, bos);
                case ShamirShare s -> writeShamirShare(s, bos);
                default -> throw new IllegalArgumentException("cannot serialize " + o.getClass().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Reads a share of the given protocol and round from bytes, requiring that nothing follows it. */
    public static Share shareFromBytes(byte[] data, Session session, ProtocolType expected, int round)
            throws MalformedDataException {
        return Serialization.fromBytes(data, in -> readShare(in, session, expected, round));
    }
}

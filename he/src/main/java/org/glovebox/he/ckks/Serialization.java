package org.glovebox.he.ckks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.glovebox.he.io.BinaryReader;
import org.glovebox.he.io.BinaryWriter;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.io.ObjectType;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsPoly;

/**
 * Reads and writes parameters, plaintexts, ciphertexts and keys in the versioned Glovebox HE binary format.
 *
 * <p>Every object begins with a header (magic, version, type, parameter fingerprint); residues are bit-packed at
 * their modulus width; the uniform halves of symmetric ciphertexts and of keys are stored as their 32-byte seeds.
 * Readers take the trusted {@link Parameters} as an argument, refuse data made with any other set, validate every
 * field and residue, and throw {@link MalformedDataException} on truncated, inconsistent or hostile input.
 * Allocation is bounded by the parameters, never by lengths claimed in the input.
 *
 * <p>One lossy variant for transport: {@link #writeCompressedCiphertext} stores a level-0 (single-prime) ciphertext
 * with its coefficients rounded to fewer bits by modulus switching (type COMPRESSED_CIPHERTEXT, widths in the data);
 * the standard format stays exact.
 */
public final class Serialization {
    private static final int MAX_GALOIS_KEYS = 1 << 16;

    private Serialization() {
    }

    // ---------------------------------------------------------------- parameters

    public static void writeParameters(Parameters p, OutputStream os) throws IOException {
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.PARAMETERS, p.fingerprint());
        w.writeByte(p.logN());
        long[] q = p.qPrimes();
        long[] sp = p.pPrimes();
        w.writeByte(q.length);
        w.writeByte(sp.length);
        for (long v : q) {
            w.writeLong(v);
        }
        for (long v : sp) {
            w.writeLong(v);
        }
        w.writeDouble(p.defaultScale());
        w.writeInt(p.secretHammingWeight());
        w.writeDouble(p.sigma());
        w.writeByte(p.isInsecure() ? 1 : 0);
        w.flush();
    }

    /**
     * Reads a parameter set. The set is re-validated; an insecure set is refused unless {@code allowInsecure} (for
     * tests), so a file cannot smuggle weak parameters into an application.
     */
    public static Parameters readParameters(InputStream is, boolean allowInsecure) throws IOException {
        BinaryReader r = new BinaryReader(is);
        ObjectType type = r.headerType(null);
        if (type != ObjectType.PARAMETERS) {
            throw new MalformedDataException("expected PARAMETERS but the data holds a " + type);
        }
        int logN = r.readUnsignedByte();
        int qn = r.readUnsignedByte();
        int pn = r.readUnsignedByte();
        if (logN < 2 || logN > 17 || qn < 1 || qn > 64 || pn < 1 || pn > 16) {
            throw new MalformedDataException("parameter header out of range (logN=" + logN + ", chain primes=" + qn
                    + ", special primes=" + pn + ")");
        }
        long[] q = new long[qn];
        long[] sp = new long[pn];
        for (int i = 0; i < qn; i++) {
            q[i] = r.readLong();
        }
        for (int i = 0; i < pn; i++) {
            sp[i] = r.readLong();
        }
        double scale = r.readDouble();
        int h = r.readInt();
        double sigma = r.readDouble();
        boolean insecure = r.readUnsignedByte() != 0;
        if (insecure && !allowInsecure) {
            throw new MalformedDataException("the data holds an INSECURE test-only parameter set");
        }
        Parameters.Builder b = Parameters.builder().logN(logN).primes(q, sp).defaultScale(scale)
                .secretHammingWeight(h).sigma(sigma);
        if (insecure) {
            b.insecureForTestingOnly();
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException("invalid parameters: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- polynomials

    private static void writeQP(BinaryWriter w, Parameters p, QPPoly x) throws IOException {
        w.writePoly(x.q(), p.ringQ());
        w.writePoly(x.p(), p.ringP());
    }

    private static QPPoly readQP(BinaryReader r, Parameters p, String what) throws IOException {
        RnsPoly q = r.readPoly(p.ringQ(), p.maxLevel() + 1, what);
        RnsPoly sp = r.readPoly(p.ringP(), p.specialPrimeCount(), what);
        return new QPPoly(q, sp);
    }

    // ---------------------------------------------------------------- plaintexts and ciphertexts

    public static void writePlaintext(Plaintext pt, OutputStream os) throws IOException {
        Parameters p = pt.parameters();
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.PLAINTEXT, p.fingerprint());
        w.writeInt(pt.level());
        w.writeInt(pt.slots());
        w.writeDouble(pt.scale());
        w.writePoly(pt.poly(), p.ringQ());
        w.flush();
    }

    public static Plaintext readPlaintext(InputStream is, Parameters p) throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.PLAINTEXT, p.fingerprint());
        int level = r.readInt("level", 0, p.maxLevel());
        int slots = readSlots(r, p);
        double scale = readScale(r);
        return new Plaintext(p, r.readPoly(p.ringQ(), level + 1, "plaintext"), level, scale, slots);
    }

    public static void writeCiphertext(Ciphertext ct, OutputStream os) throws IOException {
        Parameters p = ct.parameters();
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.CIPHERTEXT, p.fingerprint());
        w.writeInt(ct.level());
        w.writeInt(ct.slots());
        w.writeDouble(ct.scale());
        w.writeByte(ct.size());
        byte[] seed = ct.c1Seed();
        w.writeByte(seed != null ? 1 : 0);
        w.writePoly(ct.part(0), p.ringQ());
        if (seed != null) {
            w.writeBytes(seed);
        } else {
            w.writePoly(ct.part(1), p.ringQ());
        }
        if (ct.size() == 3) {
            w.writePoly(ct.part(2), p.ringQ());
        }
        w.flush();
    }

    public static Ciphertext readCiphertext(InputStream is, Parameters p) throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.CIPHERTEXT, p.fingerprint());
        int level = r.readInt("level", 0, p.maxLevel());
        int slots = readSlots(r, p);
        double scale = readScale(r);
        int size = r.readUnsignedByte();
        if (size != 2 && size != 3) {
            throw new MalformedDataException("ciphertext size must be 2 or 3, got " + size);
        }
        int seeded = r.readUnsignedByte();
        if (seeded > 1 || (seeded == 1 && size != 2)) {
            throw new MalformedDataException("invalid seed flag " + seeded);
        }
        RnsPoly[] parts = new RnsPoly[size];
        parts[0] = r.readPoly(p.ringQ(), level + 1, "ciphertext part 0");
        byte[] seed = null;
        if (seeded == 1) {
            seed = r.readBytes(Prng.SEED_BYTES);
            parts[1] = Encryptor.uniformAtLevel(p, seed, level);
        } else {
            parts[1] = r.readPoly(p.ringQ(), level + 1, "ciphertext part 1");
        }
        if (size == 3) {
            parts[2] = r.readPoly(p.ringQ(), level + 1, "ciphertext part 2");
        }
        return new Ciphertext(p, parts, level, scale, slots, seed);
    }

    // ---------------------------------------------------------------- compressed (lossy) ciphertexts

    /** Version of the compressed ciphertext layout below (written after the header). */
    private static final int COMPRESSED_LAYOUT = 1;

    /**
     * Writes a level-0 (single-prime) ciphertext compressed for transport by modulus switching
     * ({@link org.glovebox.he.io.ResidueCompression}): the coefficients of c_0 at {@code c0Bits} bits and those of c_1
     * at {@code c1Bits} bits instead of the full width of q_0. Layout after the header (type COMPRESSED_CIPHERTEXT):
     * layout version (1 byte, 1), level (int, 0), slots (int), scale (double), size (byte, 2), c0Bits, c1Bits (bytes),
     * then the packed coefficients of c_0 and of c_1.
     *
     * <p>Lossy: the receiver's ciphertext decrypts to m + e + δ_0 + δ_1·s with |δ_i| ≤ q/2^(b_i+1) + 1/2 per
     * coefficient, of variance about (q/2^b_i)²/12 each, so δ_1·s has variance N·Var(s_j)·(q/2^b_1)²/12 (Var(s_j) =
     * 2/3 for a ternary secret, 2k/3 for a collective secret of k ternary shares). Choose the widths from the noise
     * budget of the application. Widths equal to the bit width of q_0 are exact. Compression is a public,
     * deterministic function of the ciphertext: it reveals nothing the ciphertext does not.
     *
     * @throws IllegalArgumentException if the ciphertext is not of size 2 at level 0 (one limb), or a width is
     *     outside [1, bit width of q_0]
     */
    public static void writeCompressedCiphertext(Ciphertext ct, int c0Bits, int c1Bits, OutputStream os)
            throws IOException {
        Parameters p = ct.parameters();
        if (ct.level() != 0 || ct.size() != 2) {
            throw new IllegalArgumentException("only level-0 ciphertexts of size 2 (one prime) can be compressed by"
                    + " modulus switching; got level " + ct.level() + ", size " + ct.size());
        }
        long q = p.q(0);
        org.glovebox.he.io.ResidueCompression.checkWidth(q, c0Bits);
        org.glovebox.he.io.ResidueCompression.checkWidth(q, c1Bits);
        BinaryWriter w = compressedHeader(p, ct.slots(), ct.scale(), c0Bits, c1Bits, os);
        w.writeCompressedPoly(ct.part(0), p.ringQ(), c0Bits);
        w.writeCompressedPoly(ct.part(1), p.ringQ(), c1Bits);
        w.flush();
    }

    private static BinaryWriter compressedHeader(Parameters p, int slots, double scale, int c0Bits, int c1Bits,
            OutputStream os) throws IOException {
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.COMPRESSED_CIPHERTEXT, p.fingerprint());
        w.writeByte(COMPRESSED_LAYOUT);
        w.writeInt(0); // level
        w.writeInt(slots);
        w.writeDouble(scale);
        w.writeByte(2); // size
        w.writeByte(c0Bits);
        w.writeByte(c1Bits);
        return w;
    }

    /**
     * {@link #writeCompressedCiphertext} of a level-0 ciphertext given by the coefficient form of its parts (residues
     * modulo q_0, overwritten), to a byte array: the same bytes, without transforming the parts.
     */
    static byte[] compressedFromCoefficients(Parameters p, long[] c0, long[] c1, int slots, double scale, int c0Bits,
            int c1Bits) {
        long q = p.q(0);
        org.glovebox.he.io.ResidueCompression.checkWidth(q, c0Bits);
        org.glovebox.he.io.ResidueCompression.checkWidth(q, c1Bits);
        ByteArrayOutputStream bos = new ByteArrayOutputStream(compressedCiphertextBytes(p, c0Bits, c1Bits));
        try {
            BinaryWriter w = compressedHeader(p, slots, scale, c0Bits, c1Bits, bos);
            w.writeCompressedCoefficients(c0, q, c0Bits);
            w.writeCompressedCoefficients(c1, q, c1Bits);
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * Reads a ciphertext written by {@link #writeCompressedCiphertext}, validating the header, layout version, level
     * (0), size (2), slot count, scale and both widths (in [1, bit width of q_0]); sizes come from the parameters.
     * The result is an ordinary level-0 ciphertext carrying the extra compression noise.
     */
    public static Ciphertext readCompressedCiphertext(InputStream is, Parameters p) throws IOException {
        return readCompressedCiphertext(is, p, 0, 0);
    }

    /**
     * As {@link #readCompressedCiphertext(InputStream, Parameters)}, and refuses widths other than {@code c0Bits} and
     * {@code c1Bits} (0: any admissible width), for receivers whose noise budget assumes given widths.
     */
    public static Ciphertext readCompressedCiphertext(InputStream is, Parameters p, int c0Bits, int c1Bits)
            throws IOException {
        CompressedParts parts = readCompressedParts(is, p, c0Bits, c1Bits);
        p.ringQ().ntt(0).forward(parts.c0());
        p.ringQ().ntt(0).forward(parts.c1());
        return new Ciphertext(p, new RnsPoly[] {new RnsPoly(new long[][] {parts.c0()}),
            new RnsPoly(new long[][] {parts.c1()})}, 0, parts.scale(), parts.slots(), null);
    }

    /**
     * The fields of a compressed ciphertext, its parts decompressed but in coefficient form (residues mod q_0). Read
     * from a {@link ObjectType#COMPRESSED_CIPHERTEXT_PART}, one part is null; a mask part (c_1 alone) has no slot
     * count or scale (0 for both).
     */
    record CompressedParts(int slots, double scale, long[] c0, long[] c1) { }

    /** Reads and validates a compressed ciphertext as {@link #readCompressedCiphertext}, without the transforms. */
    static CompressedParts readCompressedParts(InputStream is, Parameters p, int c0Bits, int c1Bits)
            throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.COMPRESSED_CIPHERTEXT, p.fingerprint());
        return readCompressedBody(r, p, c0Bits, c1Bits);
    }

    /**
     * Reads a compressed ciphertext or one of its parts ({@link #compressedPartFromCoefficients}), whichever the data
     * holds, validated as {@link #readCompressedParts}; the widths are required exactly (a part of either width).
     */
    static CompressedParts readCompressedCiphertextOrPart(InputStream is, Parameters p, int c0Bits, int c1Bits)
            throws IOException {
        BinaryReader r = new BinaryReader(is);
        ObjectType t = r.headerType(p.fingerprint());
        if (t == ObjectType.COMPRESSED_CIPHERTEXT) {
            return readCompressedBody(r, p, c0Bits, c1Bits);
        }
        if (t != ObjectType.COMPRESSED_CIPHERTEXT_PART) {
            throw new MalformedDataException("expected a " + ObjectType.COMPRESSED_CIPHERTEXT + " or a "
                    + ObjectType.COMPRESSED_CIPHERTEXT_PART + " but the data holds a " + t);
        }
        int layout = r.readUnsignedByte();
        if (layout != COMPRESSED_LAYOUT) {
            throw new MalformedDataException("unsupported compressed-part layout " + layout + " (this build reads "
                    + COMPRESSED_LAYOUT + ")");
        }
        int part = r.readUnsignedByte();
        if (part > 1) {
            throw new MalformedDataException("a ciphertext part is 0 (message) or 1 (mask), got " + part);
        }
        r.readInt("level of a compressed ciphertext part", 0, 0);
        int slots = part == 0 ? readSlots(r, p) : 0;
        double scale = part == 0 ? readScale(r) : 0;
        long q = p.q(0);
        String what = "ciphertext part " + part;
        int bits = r.readCompressedWidth(q, what);
        int expected = part == 0 ? c0Bits : c1Bits;
        if (bits != expected) {
            throw new MalformedDataException(what + " compressed to " + bits + " bits, expected " + expected);
        }
        long[] c = new long[p.n()];
        r.readCompressedCoefficients(c, q, bits, what);
        return part == 0 ? new CompressedParts(slots, scale, c, null) : new CompressedParts(0, 0, null, c);
    }

    /**
     * One part of a level-0 ciphertext in coefficient form (residues modulo q_0, overwritten) compressed on its own,
     * to a byte array: part 0, a message part c_0 whose mask the receiver knows (an encryption under a key share with a
     * common seeded mask, {@code multiparty.KeyShareEncryptor}), carries the slot count and scale; part 1, a mask c_1,
     * carries neither (it does not depend on them). Layout after the header ({@link ObjectType#COMPRESSED_CIPHERTEXT_PART}): layout version (1 byte, 1), part
     * (1 byte), level (int, 0), for part 0 slots (int) and scale (double), width (1 byte), packed coefficients. The
     * coefficients are those {@link #writeCompressedCiphertext} would write for that part, bit for bit.
     */
    static byte[] compressedPartFromCoefficients(Parameters p, int part, long[] coefficients, int slots, double scale,
            int bits) {
        if (part != 0 && part != 1) {
            throw new IllegalArgumentException("a ciphertext part is 0 or 1, got " + part);
        }
        long q = p.q(0);
        org.glovebox.he.io.ResidueCompression.checkWidth(q, bits);
        ByteArrayOutputStream bos = new ByteArrayOutputStream(compressedPartBytes(p, part, bits));
        try {
            BinaryWriter w = new BinaryWriter(bos);
            w.header(ObjectType.COMPRESSED_CIPHERTEXT_PART, p.fingerprint());
            w.writeByte(COMPRESSED_LAYOUT);
            w.writeByte(part);
            w.writeInt(0); // level
            if (part == 0) {
                w.writeInt(slots);
                w.writeDouble(scale);
            }
            w.writeByte(bits);
            w.writeCompressedCoefficients(coefficients, q, bits);
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Size in bytes of a compressed ciphertext part ({@link #compressedPartFromCoefficients}). */
    public static int compressedPartBytes(Parameters p, int part, int bits) {
        return 4 + 2 + 1 + 32 + 1 + 1 + 4 + (part == 0 ? 4 + 8 : 0) + 1 + (p.n() * bits + 7) / 8;
    }

    private static CompressedParts readCompressedBody(BinaryReader r, Parameters p, int c0Bits, int c1Bits)
            throws IOException {
        int layout = r.readUnsignedByte();
        if (layout != COMPRESSED_LAYOUT) {
            throw new MalformedDataException("unsupported compressed-ciphertext layout " + layout + " (this build reads "
                    + COMPRESSED_LAYOUT + ")");
        }
        r.readInt("level of a compressed ciphertext", 0, 0);
        int slots = readSlots(r, p);
        double scale = readScale(r);
        int size = r.readUnsignedByte();
        if (size != 2) {
            throw new MalformedDataException("a compressed ciphertext has size 2, got " + size);
        }
        long q = p.q(0);
        int b0 = r.readCompressedWidth(q, "ciphertext part 0");
        int b1 = r.readCompressedWidth(q, "ciphertext part 1");
        if ((c0Bits != 0 && b0 != c0Bits) || (c1Bits != 0 && b1 != c1Bits)) {
            throw new MalformedDataException("ciphertext compressed to " + b0 + " + " + b1 + " bits, expected "
                    + c0Bits + " + " + c1Bits);
        }
        long[] c0 = new long[p.n()];
        long[] c1 = new long[p.n()];
        r.readCompressedCoefficients(c0, q, b0, "ciphertext part 0");
        r.readCompressedCoefficients(c1, q, b1, "ciphertext part 1");
        return new CompressedParts(slots, scale, c0, c1);
    }

    /** {@link #writeCompressedCiphertext} to a byte array. */
    public static byte[] toCompressedBytes(Ciphertext ct, int c0Bits, int c1Bits) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(compressedCiphertextBytes(ct.parameters(),
                Math.max(1, Math.min(c0Bits, 64)), Math.max(1, Math.min(c1Bits, 64))));
        try {
            writeCompressedCiphertext(ct, c0Bits, c1Bits, bos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Reads a compressed ciphertext from bytes, requiring that nothing follows it. */
    public static Ciphertext compressedCiphertextFromBytes(byte[] data, Parameters p) throws MalformedDataException {
        return fromBytes(data, in -> readCompressedCiphertext(in, p));
    }

    /** Reads a compressed ciphertext of exactly these widths from bytes, requiring that nothing follows it. */
    public static Ciphertext compressedCiphertextFromBytes(byte[] data, Parameters p, int c0Bits, int c1Bits)
            throws MalformedDataException {
        return fromBytes(data, in -> readCompressedCiphertext(in, p, c0Bits, c1Bits));
    }

    /**
     * Size in bytes of {@link #writeCompressedCiphertext} output for these parameters and widths: header, fixed
     * fields and N·c0Bits + N·c1Bits bits, each polynomial padded to a whole byte.
     */
    public static int compressedCiphertextBytes(Parameters p, int c0Bits, int c1Bits) {
        return 4 + 2 + 1 + 32 + 1 + 4 + 4 + 8 + 1 + 1 + 1 + (p.n() * c0Bits + 7) / 8 + (p.n() * c1Bits + 7) / 8;
    }

    private static int readSlots(BinaryReader r, Parameters p) throws IOException {
        int slots = r.readInt("slots", 1, p.maxSlots());
        if (Integer.bitCount(slots) != 1) {
            throw new MalformedDataException("slot count " + slots + " is not a power of two");
        }
        return slots;
    }

    private static double readScale(BinaryReader r) throws IOException {
        double scale = r.readDouble();
        if (!(scale >= 1) || Double.isInfinite(scale)) {
            throw new MalformedDataException("scale " + scale + " is not a finite value >= 1");
        }
        return scale;
    }

    // ---------------------------------------------------------------- keys

    /** Writes the secret key: ternary coefficients at 2 bits each. Keep the output private (owner-only file). */
    public static void writeSecretKey(SecretKey sk, OutputStream os) throws IOException {
        Parameters p = sk.parameters();
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.SECRET_KEY, p.fingerprint());
        long[] s = sk.coefficients();
        long[] packed = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            packed[i] = s[i] + 1; // {-1, 0, 1} -> {0, 1, 2}
        }
        w.writePacked(packed, 2);
        java.util.Arrays.fill(packed, 0);
        w.flush();
    }

    public static SecretKey readSecretKey(InputStream is, Parameters p) throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.SECRET_KEY, p.fingerprint());
        long[] s = new long[p.n()];
        r.readPacked(s, 2, 3, "secret key");
        int weight = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] -= 1;
            weight += s[i] != 0 ? 1 : 0;
        }
        if (p.secretHammingWeight() > 0 && weight != p.secretHammingWeight()) {
            throw new MalformedDataException("secret key has Hamming weight " + weight + ", parameters require "
                    + p.secretHammingWeight());
        }
        return KeyGenerator.secretKeyFromCoefficients(p, s, Parallelism.SERIAL);
    }

    public static void writePublicKey(PublicKey pk, OutputStream os) throws IOException {
        Parameters p = pk.parameters();
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.PUBLIC_KEY, p.fingerprint());
        w.writeBytes(pk.seed());
        writeQP(w, p, pk.b());
        w.flush();
    }

    public static PublicKey readPublicKey(InputStream is, Parameters p) throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.PUBLIC_KEY, p.fingerprint());
        byte[] seed = r.readBytes(Prng.SEED_BYTES);
        QPPoly b = readQP(r, p, "public key");
        return new PublicKey(p, b, KeyGenerator.uniformQP(p, Prng.fromSeed(seed)), seed);
    }

    /**
     * A key-switching key: its 32-byte seed, then the b_d. A key whose uniform parts are not seeded (collective
     * relinearization keys, see org.glovebox.he.multiparty) is written with an all-zero seed followed by the b_d and
     * then the a_d in full; an all-zero seed never comes from SecureRandom in practice, and if a seeded key had one
     * it would simply be stored in full too, so the rule is unambiguous.
     */
    private static void writeSwitchingKey(BinaryWriter w, KeySwitchingKey k) throws IOException {
        Parameters p = k.parameters();
        byte[] seed = k.seed();
        boolean full = seed == null || isZero(seed);
        w.writeBytes(full ? new byte[Prng.SEED_BYTES] : seed);
        for (int d = 0; d < k.digits(); d++) {
            writeQP(w, p, k.b(d));
        }
        if (full) {
            for (int d = 0; d < k.digits(); d++) {
                writeQP(w, p, k.a(d));
            }
        }
    }

    private static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static KeySwitchingKey readSwitchingKey(BinaryReader r, Parameters p) throws IOException {
        byte[] seed = r.readBytes(Prng.SEED_BYTES);
        int digits = p.digitCount(p.maxLevel());
        QPPoly[] b = new QPPoly[digits];
        for (int d = 0; d < digits; d++) {
            b[d] = readQP(r, p, "key-switching key digit " + d);
        }
        if (isZero(seed)) {
            QPPoly[] a = new QPPoly[digits];
            for (int d = 0; d < digits; d++) {
                a[d] = readQP(r, p, "key-switching key uniform part " + d);
            }
            return new KeySwitchingKey(p, b, a, null);
        }
        return new KeySwitchingKey(p, b, KeyGenerator.uniformDigits(p, seed), seed);
    }

    public static void writeRelinearizationKey(RelinearizationKey rlk, OutputStream os) throws IOException {
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.RELINEARIZATION_KEY, rlk.parameters().fingerprint());
        writeSwitchingKey(w, rlk.key());
        w.flush();
    }

    public static RelinearizationKey readRelinearizationKey(InputStream is, Parameters p) throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.RELINEARIZATION_KEY, p.fingerprint());
        return new RelinearizationKey(readSwitchingKey(r, p));
    }

    public static void writeGaloisKeys(GaloisKeys gk, OutputStream os) throws IOException {
        BinaryWriter w = new BinaryWriter(os);
        w.header(ObjectType.GALOIS_KEYS, gk.parameters().fingerprint());
        w.writeInt(gk.keys().size());
        for (Map.Entry<Integer, KeySwitchingKey> e : gk.keys().entrySet()) {
            w.writeInt(e.getKey());
            writeSwitchingKey(w, e.getValue());
        }
        w.flush();
    }

    public static GaloisKeys readGaloisKeys(InputStream is, Parameters p) throws IOException {
        BinaryReader r = new BinaryReader(is);
        r.header(ObjectType.GALOIS_KEYS, p.fingerprint());
        int count = r.readInt("Galois key count", 0, Math.min(MAX_GALOIS_KEYS, p.n()));
        Map<Integer, KeySwitchingKey> keys = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            int g = r.readInt("Galois element", 3, 2 * p.n() - 1);
            if ((g & 1) == 0) {
                throw new MalformedDataException("Galois element " + g + " is even");
            }
            if (keys.containsKey(g)) {
                throw new MalformedDataException("Galois element " + g + " appears twice");
            }
            keys.put(g, readSwitchingKey(r, p));
        }
        return new GaloisKeys(p, keys);
    }

    // ---------------------------------------------------------------- byte-array conveniences

    /** Serializes any supported object to bytes. */
    public static byte[] toBytes(Object o) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            switch (o) {
                case Parameters p -> writeParameters(p, bos);
                case Plaintext pt -> writePlaintext(pt, bos);
                case Ciphertext ct -> writeCiphertext(ct, bos);
                case SecretKey sk -> writeSecretKey(sk, bos);
                case PublicKey pk -> writePublicKey(pk, bos);
                case RelinearizationKey rk -> writeRelinearizationKey(rk, bos);
                case GaloisKeys gk -> writeGaloisKeys(gk, bos);
                default -> throw new IllegalArgumentException("cannot serialize " + o.getClass().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Reads a ciphertext from bytes, requiring that nothing follows it. */
    public static Ciphertext ciphertextFromBytes(byte[] data, Parameters p) throws MalformedDataException {
        return fromBytes(data, in -> readCiphertext(in, p));
    }

    /** Reads a plaintext from bytes, requiring that nothing follows it. */
    public static Plaintext plaintextFromBytes(byte[] data, Parameters p) throws MalformedDataException {
        return fromBytes(data, in -> readPlaintext(in, p));
    }

    /** A reading step over an input stream. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(InputStream in) throws IOException;
    }

    /** Runs {@code reader} on {@code data} and requires that the whole input was consumed. */
    public static <T> T fromBytes(byte[] data, Reader<T> reader) throws MalformedDataException {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            T t = reader.read(in);
            if (in.available() > 0) {
                throw new MalformedDataException(in.available() + " unexpected bytes after the end of the object");
            }
            return t;
        } catch (MalformedDataException e) {
            throw e;
        } catch (IOException e) {
            throw new MalformedDataException("unreadable data: " + e.getMessage(), e);
        }
    }
}

package org.glovebox.he.io;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the format of {@link BinaryWriter}, validating as it goes: a truncated input, a wrong magic, version, object
 * type or fingerprint, or a residue outside its modulus raises {@link MalformedDataException}. Sizes always come
 * from the caller's trusted parameters, never from the input alone, so hostile input cannot make the reader
 * allocate more than the parameters allow.
 */
public final class BinaryReader {
    private final DataInputStream in;

    public BinaryReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** Reads and checks the header; returns nothing if it matches. */
    public void header(ObjectType expected, byte[] expectedFingerprint) throws IOException {
        ObjectType found = headerType(expectedFingerprint);
        if (found != expected) {
            throw new MalformedDataException("expected a " + expected + " but the data holds a " + found);
        }
    }

    /** Reads and checks magic, version and fingerprint; returns the object type found. */
    public ObjectType headerType(byte[] expectedFingerprint) throws IOException {
        int magic = readInt();
        if (magic != BinaryWriter.MAGIC) {
            throw new MalformedDataException(String.format(
                    "not Glovebox HE data (magic 0x%08X, expected 0x%08X)", magic, BinaryWriter.MAGIC));
        }
        int version = readUnsignedShort();
        if (version != BinaryWriter.VERSION) {
            throw new MalformedDataException("unsupported format version " + version + " (this build reads version "
                    + BinaryWriter.VERSION + ")");
        }
        ObjectType type = ObjectType.fromCode(readUnsignedByte());
        byte[] fp = readBytes(32);
        if (expectedFingerprint != null && !Arrays.equals(fp, expectedFingerprint)) {
            throw new MalformedDataException("the data was made with a different parameter set (fingerprint mismatch)");
        }
        return type;
    }

    public int readUnsignedByte() throws IOException {
        try {
            return in.readUnsignedByte();
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    public int readUnsignedShort() throws IOException {
        try {
            return in.readUnsignedShort();
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    public int readInt() throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    /** An int that must lie in [min, max]. */
    public int readInt(String what, int min, int max) throws IOException {
        int v = readInt();
        if (v < min || v > max) {
            throw new MalformedDataException(what + " = " + v + " is outside [" + min + ", " + max + "]");
        }
        return v;
    }

    public long readLong() throws IOException {
        try {
            return in.readLong();
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    public double readDouble() throws IOException {
        try {
            return in.readDouble();
        } catch (EOFException e) {
            throw truncated(e);
        }
    }

    /** Exactly n bytes (n is bounded by the caller). */
    public byte[] readBytes(int n) throws IOException {
        byte[] b = new byte[n];
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw truncated(e);
        }
        return b;
    }

    /** Reads values packed at {@code bits} bits, each checked to be below {@code bound}, into {@code out}. */
    public void readPacked(long[] out, int bits, long bound, String what) throws IOException {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("bits must be in [1, 64], got " + bits);
        }
        long totalBits = (long) out.length * bits;
        if (totalBits > 8L * Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("too many packed values: " + out.length);
        }
        // the whole array at once (its size comes from the caller's parameters), then unpacked from memory: the
        // bit layout is that of BinaryWriter.writePacked (least significant bits first, padded to a whole byte)
        byte[] b = readBytes((int) ((totalBits + 7) >>> 3));
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long pos = 0;
        for (int i = 0; i < out.length; i++, pos += bits) {
            int at = (int) (pos >>> 3);
            int shift = (int) (pos & 7);
            long v;
            if (at + 9 <= b.length) {
                long w = (long) LE_LONG.get(b, at) >>> shift;
                if (bits + shift > 64) {
                    w |= (b[at + 8] & 0xFFL) << (64 - shift);
                }
                v = w & mask;
            } else {
                v = 0;
                int filled = 0;
                int p = at;
                int skip = shift;
                while (filled < bits) {
                    long byteBits = (b[p++] & 0xFFL) >>> skip;
                    v |= filled < 64 ? byteBits << filled : 0;
                    filled += 8 - skip;
                    skip = 0;
                }
                v &= mask;
            }
            if (Long.compareUnsigned(v, bound) >= 0) {
                throw new MalformedDataException(what + ": value at index " + i + " is not below its modulus " + bound);
            }
            out[i] = v;
        }
    }

    private static final java.lang.invoke.VarHandle LE_LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Reads a polynomial of {@code limbs} limbs over the first primes of {@code basis}, every residue checked to be
     * below its modulus; {@code what} names it in error messages.
     */
    public org.glovebox.he.ring.RnsPoly readPoly(org.glovebox.he.ring.RnsBasis basis, int limbs, String what)
            throws IOException {
        org.glovebox.he.ring.RnsPoly poly = basis.newPoly(limbs);
        for (int i = 0; i < limbs; i++) {
            var m = basis.modulus(i);
            readPacked(poly.limb(i), m.bits(), m.value(), what + " limb " + i);
        }
        return poly;
    }

    /**
     * Reads a compressed width byte and checks it against the modulus q: in [1, bit width of q].
     *
     * @throws MalformedDataException for a width of 0, above the modulus width (and so above 64), or truncated input
     */
    public int readCompressedWidth(long q, String what) throws IOException {
        int bits = readUnsignedByte();
        if (bits < ResidueCompression.MIN_BITS || bits > ResidueCompression.modulusBits(q)) {
            throw new MalformedDataException(what + ": compressed width " + bits + " is outside [1, "
                    + ResidueCompression.modulusBits(q) + "] (the bit width of the modulus)");
        }
        return bits;
    }

    /**
     * Reads a single-limb polynomial written by {@link BinaryWriter#writeCompressedPoly} at a width already checked
     * by {@link #readCompressedWidth}: N packed values (N from the trusted basis), mapped back to residues and
     * transformed to the NTT domain. Every bit pattern is a valid compressed value, so only truncation can fail.
     */
    public org.glovebox.he.ring.RnsPoly readCompressedPoly(org.glovebox.he.ring.RnsBasis basis, int bits, String what)
            throws IOException {
        long q = basis.modulus(0).value();
        if (bits < ResidueCompression.MIN_BITS || bits > ResidueCompression.modulusBits(q)) {
            throw new MalformedDataException(what + ": compressed width " + bits + " is invalid");
        }
        org.glovebox.he.ring.RnsPoly poly = basis.newPoly(1);
        readCompressedCoefficients(poly.limb(0), q, bits, what);
        basis.ntt(0).forward(poly.limb(0));
        return poly;
    }

    /**
     * Reads a polynomial over one prime q written by {@link BinaryWriter#writeCompressedCoefficients} into {@code out}
     * (its length is the degree), decompressed to residues in [0, q), in coefficient form.
     */
    public void readCompressedCoefficients(long[] out, long q, int bits, String what) throws IOException {
        if (bits < ResidueCompression.MIN_BITS || bits > ResidueCompression.modulusBits(q)) {
            throw new MalformedDataException(what + ": compressed width " + bits + " is invalid");
        }
        readPacked(out, bits, 1L << bits, what);
        ResidueCompression.decompress(out, q, bits, out);
    }

    /** Fails unless the input is exhausted (no trailing garbage). */
    public void expectEnd() throws IOException {
        if (in.read() != -1) {
            throw new MalformedDataException("unexpected data after the end of the object");
        }
    }

    private static MalformedDataException truncated(EOFException e) {
        return new MalformedDataException("input is truncated", e);
    }
}

package org.glovebox.he.io;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the Glovebox HE binary format: big-endian integers, IEEE doubles, and residue arrays bit-packed at the
 * width of their modulus (a 40-bit prime costs 40 bits per residue, not 64).
 *
 * <p>Every object starts with the header written by {@link #header}: magic "GBHE", format version, object type and
 * the 32-byte parameter fingerprint.
 */
public final class BinaryWriter {
    /** "GBHE". */
    public static final int MAGIC = 0x47424845;
    /** Current format version; readers accept exactly this version. */
    public static final int VERSION = 1;

    private final DataOutputStream out;

    public BinaryWriter(OutputStream out) {
        this.out = new DataOutputStream(out);
    }

    public void header(ObjectType type, byte[] fingerprint) throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeByte(type.code());
        if (fingerprint.length != 32) {
            throw new IllegalArgumentException("fingerprint must be 32 bytes");
        }
        out.write(fingerprint);
    }

    public void writeByte(int v) throws IOException {
        out.writeByte(v);
    }

    public void writeInt(int v) throws IOException {
        out.writeInt(v);
    }

    public void writeLong(long v) throws IOException {
        out.writeLong(v);
    }

    public void writeDouble(double v) throws IOException {
        out.writeDouble(v);
    }

    public void writeBytes(byte[] b) throws IOException {
        out.write(b);
    }

    /** Writes {@code values} (each in [0, 2^bits)) packed at {@code bits} bits each, padded to a whole byte. */
    public void writePacked(long[] values, int bits) throws IOException {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("bits must be in [1, 64], got " + bits);
        }
        // packed into one array (least significant bits first, padded to a whole byte), written at once; bits are
        // gathered in a 64-bit word stored 8 bytes at a time (little endian), 8 bytes of slack for the last store
        long totalBits = (long) values.length * bits;
        int bytes = (int) ((totalBits + 7) >>> 3);
        byte[] b = new byte[bytes + 8];
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long word = 0;
        int filled = 0; // bits of word in use, always below 64
        int p = 0;
        for (long value : values) {
            long v = value & mask;
            word |= v << filled;
            int total = filled + bits;
            if (total >= 64) {
                LE_LONG.set(b, p, word);
                p += 8;
                word = filled == 0 ? 0 : v >>> (64 - filled); // the bits of v that did not fit
                filled = total - 64;
            } else {
                filled = total;
            }
        }
        LE_LONG.set(b, p, word);
        out.write(b, 0, bytes);
    }

    private static final java.lang.invoke.VarHandle LE_LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** Writes every limb of a polynomial, each packed at the bit width of its modulus in {@code basis}. */
    public void writePoly(org.glovebox.he.ring.RnsPoly poly, org.glovebox.he.ring.RnsBasis basis) throws IOException {
        for (int i = 0; i < poly.limbCount(); i++) {
            writePacked(poly.limb(i), basis.modulus(i).bits());
        }
    }

    /**
     * Writes a single-limb polynomial (NTT domain, as every ciphertext part) compressed for transport: its
     * coefficients (inverse NTT of a copy) are mapped to {@code bits} bits each by {@link ResidueCompression} and
     * packed. Lossy unless {@code bits} is the width of the modulus; read back with
     * {@link BinaryReader#readCompressedPoly}.
     *
     * @throws IllegalArgumentException if the polynomial has more than one limb or the width is not in [1, width of
     *     the modulus]
     */
    public void writeCompressedPoly(org.glovebox.he.ring.RnsPoly poly, org.glovebox.he.ring.RnsBasis basis, int bits)
            throws IOException {
        if (poly.limbCount() != 1) {
            throw new IllegalArgumentException("compression by modulus switching needs a single-limb polynomial, got "
                    + poly.limbCount() + " limbs");
        }
        long q = basis.modulus(0).value();
        ResidueCompression.checkWidth(q, bits);
        long[] c = poly.limb(0).clone();
        basis.ntt(0).inverse(c);
        writeCompressedCoefficients(c, q, bits);
    }

    /**
     * Writes residues modulo q given in coefficient form (no transform) as {@link #writeCompressedPoly} writes the
     * coefficients of a polynomial: each mapped to {@code bits} bits, packed. {@code coeffs} is overwritten with the
     * compressed values.
     */
    public void writeCompressedCoefficients(long[] coeffs, long q, int bits) throws IOException {
        ResidueCompression.compress(coeffs, q, bits, coeffs);
        writePacked(coeffs, bits);
    }

    public void flush() throws IOException {
        out.flush();
    }
}

package org.glovebox.he.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cryptographically secure pseudo-random generator: AES-256 in counter mode keyed by a 32-byte seed.
 *
 * <p>Two instances built from the same seed produce the same stream; this is how uniform polynomials are compressed
 * to a seed (serialization) and how parties derive common reference randomness without sending it. Fresh seeds come
 * only from {@link SecureRandom}. Not thread-safe: use one instance per thread.
 */
public final class Prng {
    /** Seed length in bytes. */
    public static final int SEED_BYTES = 32;
    private static final int BUFFER_BYTES = 4096;
    private static final SecureRandom SECURE_RANDOM = new SecureRandom();
    /** Little-endian 64-bit reads from the byte buffer (the byte order {@link #nextLong} has always used). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher cipher;
    private final byte[] zeros = new byte[BUFFER_BYTES];
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position = BUFFER_BYTES;

    private Prng(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("PRNG seed must be " + SEED_BYTES + " bytes, got " + seed.length);
        }
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CTR is not available in this JVM", e);
        }
    }

    /** A generator whose stream is fully determined by {@code seed} (32 bytes). */
    public static Prng fromSeed(byte[] seed) {
        return new Prng(seed.clone());
    }

    /** A generator seeded with 32 fresh bytes from {@link SecureRandom}. */
    public static Prng fresh() {
        return new Prng(freshSeed());
    }

    /** 32 fresh bytes from {@link SecureRandom}. */
    public static byte[] freshSeed() {
        byte[] seed = new byte[SEED_BYTES];
        SECURE_RANDOM.nextBytes(seed);
        return seed;
    }

    private void refill() {
        int n;
        try {
            n = cipher.update(zeros, 0, BUFFER_BYTES, buffer, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        if (n != BUFFER_BYTES) {
            throw new IllegalStateException("AES-CTR produced " + n + " bytes instead of " + BUFFER_BYTES);
        }
        position = 0;
    }

    /** Fills {@code out} with pseudo-random bytes. */
    public void nextBytes(byte[] out) {
        int off = 0;
        while (off < out.length) {
            if (position == BUFFER_BYTES) {
                refill();
            }
            int n = Math.min(out.length - off, BUFFER_BYTES - position);
            System.arraycopy(buffer, position, out, off, n);
            position += n;
            off += n;
        }
    }

    /** A fresh 32-byte seed derived from this stream (for deriving independent sub-streams). */
    public byte[] nextSeed() {
        byte[] seed = new byte[SEED_BYTES];
        nextBytes(seed);
        return seed;
    }

    /** 64 pseudo-random bits. */
    public long nextLong() {
        if (position > BUFFER_BYTES - 8) {
            refill();
        }
        int p = position;
        long v = (long) LONGS.get(buffer, p);
        position = p + 8;
        return v;
    }

    /**
     * Fills {@code z} with uniform residues modulo {@code q} by rejection: each candidate is {@code nextLong() & mask},
     * kept if below q. Exactly the values (and the stream consumption) of calling {@link #nextLong} in a loop, without
     * the per-call overhead.
     */
    void uniformResidues(long[] z, long q, long mask) {
        int n = z.length;
        int j = 0;
        byte[] b = buffer;
        while (j < n) {
            if (position > BUFFER_BYTES - 8) {
                refill();
            }
            int p = position;
            while (j < n && p <= BUFFER_BYTES - 8) {
                long v = (long) LONGS.get(b, p) & mask;
                p += 8;
                if (v < q) {
                    z[j++] = v;
                }
            }
            position = p;
        }
    }

    /** One pseudo-random byte as an int in [0, 256). */
    public int nextByte() {
        if (position == BUFFER_BYTES) {
            refill();
        }
        return buffer[position++] & 0xFF;
    }

    /** A uniform double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Erases the internal buffer; the instance must not be used afterwards. */
    public void destroy() {
        Arrays.fill(buffer, (byte) 0);
        position = BUFFER_BYTES;
    }
}

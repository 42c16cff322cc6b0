package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.glovebox.he.io.ResidueCompression;
import org.glovebox.he.ring.Parallelism;
import org.glovebox.he.ring.Prng;
import org.glovebox.he.ring.RnsPoly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Public-key encryption in two halves ({@link Encryptor#padWithoutSpecialPrimes}, {@link EncryptionPad}): bit for bit
 * the ciphertext of {@link Encryptor#encryptCompressedWithoutSpecialPrimes} on the same randomness, decryption within
 * the noise the widths predict, sums of parts, and the single use of a pad.
 */
class EncryptionPadTest {
    /** Offsets in the byte layouts: header (magic 4, version 2, type 1, fingerprint 32), then the fields. */
    static final int HEADER = 4 + 2 + 1 + 32;
    /** Packed coefficients of a whole compressed ciphertext: layout 1, level 4, slots 4, scale 8, size 1, widths 2. */
    static final int WHOLE_DATA = HEADER + 1 + 4 + 4 + 8 + 1 + 2;
    /** Packed coefficients of a message part: layout 1, part 1, level 4, slots 4, scale 8, width 1. */
    static final int MESSAGE_DATA = HEADER + 1 + 1 + 4 + 4 + 8 + 1;
    /** Packed coefficients of a mask part: layout 1, part 1, level 4, width 1. */
    static final int MASK_DATA = HEADER + 1 + 1 + 4 + 1;

    static final int B0 = 43;
    static final int B1 = 50;
    static final double SCALE = 0x1p40;

    static Parameters params;
    static SecretKey sk;
    static PublicKey pk;
    static Encoder encoder;

    @BeforeAll
    static void setUp() {
        params = Parameters.builder().logN(12).primeBits(new int[] {60}, new int[] {49}).logScale(40).build();
        KeyGenerator kg = new KeyGenerator(params);
        sk = kg.generateSecretKey();
        pk = kg.generatePublicKey(sk);
        encoder = new Encoder(params);
    }

    private static double[] values(long seed) {
        return TestSupport.randomValues(params.maxSlots(), seed);
    }

    private static Encryptor seeded(byte[] seed) {
        return new Encryptor(params, pk, null, Parallelism.SERIAL, Prng.fromSeed(seed));
    }

    private static Serialization.CompressedParts read(byte[] b, int c0Bits, int c1Bits) throws Exception {
        return Serialization.fromBytes(b, in -> Serialization.readCompressedCiphertextOrPart(in, params, c0Bits,
                c1Bits));
    }

    /**
     * Predicted per-coefficient variance of the decryption error of one ciphertext at these widths: the fresh noise
     * of encryption without special primes (one party's key), the rounding of c_0, and that of c_1 times the ternary
     * secret (variance 2/3 per coefficient).
     */
    static double predictedVariance(int c0Bits, int c1Bits) {
        long q = params.q(0);
        double s2 = params.sigma() * params.sigma();
        return Encryptor.noiseVarianceWithoutSpecialPrimes(params, s2, 2.0 / 3)
                + ResidueCompression.errorVariance(q, c0Bits)
                + params.n() * (2.0 / 3) * ResidueCompression.errorVariance(q, c1Bits);
    }

    /**
     * Bound on the real-part slot error of a sum of {@code terms} ciphertexts: a slot's real part is a sum of N
     * coefficient errors times cosines (variance N·V/2 before the division by the scale); six standard deviations
     * leave a false failure over 2048 slots at about 10^-5.
     */
    static double slotErrorBound(int terms, int c0Bits, int c1Bits, double scale) {
        return 6 * Math.sqrt(params.n() * terms * predictedVariance(c0Bits, c1Bits) / 2) / scale;
    }

    private static double worstError(Ciphertext ct, double[] expected) {
        double[] got = encoder.decode(new Decryptor(sk).decrypt(ct));
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]));
        }
        return worst;
    }

    /** Centered coefficients of dec(ct) − encode(v): the decryption error. */
    private static double measuredVariance(Ciphertext ct, double[] v, double scale) {
        RnsPoly d = ProtocolAccess.plaintextPoly(new Decryptor(sk).decrypt(ct)).copy();
        params.ringQ().sub(d, ProtocolAccess.plaintextPoly(encoder.encode(v, null, params.maxSlots(), 0, scale)), d);
        params.ringQ().intt(d, Parallelism.SERIAL);
        long q = params.q(0);
        double sum = 0;
        for (long c : d.limb(0)) {
            double e = c > q / 2 ? c - q : c;
            sum += e * e;
        }
        return sum / params.n();
    }

    private static Ciphertext assemble(byte[] mask, byte[] message, int c0Bits, int c1Bits) throws Exception {
        CompressedCiphertextSum sum = new CompressedCiphertextSum(params, c0Bits, c1Bits);
        sum.add(mask);
        sum.add(message);
        return sum.toCiphertext();
    }

    @Test
    void maskAndMessagePartAreBitForBitTheCompressedCiphertextOfTheSameRandomness() throws Exception {
        double[][] re = {values(1), values(2), values(3)};
        double[] im = Arrays.copyOf(values(4), params.maxSlots() / 2);
        int full = ResidueCompression.modulusBits(params.q(0));
        for (int[] w : new int[][] {{B0, B1}, {full, full}, {1, full - 1}}) {
            byte[] seed = Prng.freshSeed();
            Encryptor a = seeded(seed);
            Encryptor b = seeded(seed);
            // all pads first, filled in reverse order: a pad keeps its own randomness, not a shared buffer's
            byte[][] whole = new byte[re.length][];
            EncryptionPad[] pads = new EncryptionPad[re.length];
            for (int i = 0; i < re.length; i++) {
                whole[i] = a.encryptCompressedWithoutSpecialPrimes(encoder, re[i], im, params.maxSlots(), SCALE, w[0],
                        w[1]);
                pads[i] = b.padWithoutSpecialPrimes(w[1]);
            }
            for (int i = re.length - 1; i >= 0; i--) {
                byte[] mask = pads[i].maskBytes();
                byte[] message = pads[i].encryptCompressed(encoder, re[i], im, params.maxSlots(), SCALE, w[0]);
                String what = "widths " + Arrays.toString(w) + ", ciphertext " + i;
                int len0 = (params.n() * w[0] + 7) / 8;
                int len1 = (params.n() * w[1] + 7) / 8;
                assertThat(message).as(what).hasSize(MESSAGE_DATA + len0);
                assertThat(mask).as(what).hasSize(MASK_DATA + len1);
                assertThat(Arrays.copyOfRange(message, MESSAGE_DATA, message.length)).as(what + ", c_0 packed")
                        .isEqualTo(Arrays.copyOfRange(whole[i], WHOLE_DATA, WHOLE_DATA + len0));
                assertThat(Arrays.copyOfRange(mask, MASK_DATA, mask.length)).as(what + ", c_1 packed")
                        .isEqualTo(Arrays.copyOfRange(whole[i], WHOLE_DATA + len0, whole[i].length));
                Serialization.CompressedParts ref = read(whole[i], w[0], w[1]);
                Serialization.CompressedParts m0 = read(message, w[0], w[1]);
                Serialization.CompressedParts m1 = read(mask, w[0], w[1]);
                assertThat(m0.c0()).as(what).isEqualTo(ref.c0());
                assertThat(m0.c1()).isNull();
                assertThat(m0.slots()).isEqualTo(params.maxSlots());
                assertThat(m0.scale()).isEqualTo(SCALE);
                assertThat(m1.c1()).as(what).isEqualTo(ref.c1());
                assertThat(m1.c0()).isNull();
                assertThat(m1.slots()).isZero();
                assertThat(m1.scale()).isZero();
            }
        }
    }

    @Test
    void partsAddedToASumDecryptWithinThePredictedNoise() throws Exception {
        Encryptor e = Encryptor.withPublicKey(pk);
        double[] v = values(10);
        EncryptionPad pad = e.padWithoutSpecialPrimes(B1);
        byte[] mask = pad.maskBytes();
        byte[] message = pad.encryptCompressed(encoder, v, null, params.maxSlots(), SCALE, B0);
        Ciphertext ct = assemble(mask, message, B0, B1);
        assertThat(ct.level()).isZero();
        assertThat(ct.scale()).isEqualTo(SCALE);
        assertThat(ct.slots()).isEqualTo(params.maxSlots());
        double bound = slotErrorBound(1, B0, B1, SCALE);
        assertThat(bound).as("the bound leaves room for 15 bits").isLessThan(0x1p-15);
        double worst = worstError(ct, v);
        assertThat(worst).as("worst slot error, bound %s", bound).isLessThan(bound);
        // the noise is that of a whole compressed ciphertext, not merely small: within 15% of the prediction
        assertThat(measuredVariance(ct, v, SCALE) / predictedVariance(B0, B1)).as("measured / predicted variance")
                .isBetween(0.85, 1.15);
        // control: a message part completes its own mask only, so a mismatched pair is far outside the bound
        EncryptionPad other = e.padWithoutSpecialPrimes(B1);
        byte[] otherMessage = other.encryptCompressed(encoder, v, null, params.maxSlots(), SCALE, B0);
        assertThat(worstError(assemble(mask, otherMessage, B0, B1), v)).isGreaterThan(1);
    }

    @Test
    void aSumOfPadsDecryptsToTheSumOfTheirValues() throws Exception {
        Encryptor e = Encryptor.withPublicKey(pk);
        int k = 4;
        EncryptionPad[] pads = new EncryptionPad[k];
        CompressedCiphertextSum sum = new CompressedCiphertextSum(params, B0, B1);
        for (int i = 0; i < k; i++) {
            pads[i] = e.padWithoutSpecialPrimes(B1);
            sum.add(pads[i].maskBytes());
        }
        assertThat(sum.maskTerms()).isEqualTo(k);
        assertThat(sum.messageTerms()).isZero();
        assertThatThrownBy(sum::toCiphertext).isInstanceOf(IllegalStateException.class);
        double[] expected = new double[params.maxSlots()];
        for (int i : new int[] {2, 0, 3, 1}) {
            double[] v = values(20 + i);
            sum.add(pads[i].encryptCompressed(encoder, v, null, params.maxSlots(), SCALE, B0));
            for (int j = 0; j < v.length; j++) {
                expected[j] += v[j];
            }
        }
        assertThat(sum.terms()).isEqualTo(k);
        Ciphertext ct = sum.toCiphertext();
        double bound = slotErrorBound(k, B0, B1, SCALE);
        assertThat(worstError(ct, expected)).as("worst slot error, bound %s", bound).isLessThan(bound);
        assertThat(measuredVariance(ct, expected, SCALE) / (k * predictedVariance(B0, B1)))
                .as("measured / predicted variance").isBetween(0.85, 1.15);
    }

    @Test
    void aPadHidesOneMessageOnly() throws Exception {
        Encryptor e = Encryptor.withPublicKey(pk);
        double[] v = values(30);
        EncryptionPad pad = e.padWithoutSpecialPrimes(B1);
        byte[] mask = pad.maskBytes();
        mask[MASK_DATA] ^= 1;
        assertThat(pad.maskBytes()).as("maskBytes returns a copy").isNotEqualTo(mask);
        mask = pad.maskBytes();
        assertThat(pad.used()).isFalse();
        // refused inputs neither use up nor erase the pad: the later message still decrypts
        Parameters otherParams = Parameters.builder().logN(12).primeBits(new int[] {60}, new int[] {49}).logScale(41)
                .build();
        Encoder otherEncoder = new Encoder(otherParams);
        int s = params.maxSlots();
        java.util.List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> refused = java.util.List.of(
            () -> pad.encryptCompressed(otherEncoder, v, null, s, SCALE, B0),
            () -> pad.encryptCompressed(encoder, v, null, s, SCALE, 0),
            () -> pad.encryptCompressed(encoder, v, null, s, SCALE, 61),
            () -> pad.encryptCompressed(encoder, v, null, 3, SCALE, B0),
            () -> pad.encryptCompressed(encoder, v, null, 2 * s, SCALE, B0),
            () -> pad.encryptCompressed(encoder, v, null, s / 2, SCALE, B0), // more values than slots
            () -> pad.encryptCompressed(encoder, v, null, s, Double.NaN, B0),
            () -> pad.encryptCompressed(encoder, v, null, s, 0.5, B0),
            () -> pad.encryptCompressed(encoder, new double[] {Double.POSITIVE_INFINITY}, null, s, SCALE, B0));
        for (var call : refused) {
            assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class);
            assertThat(pad.used()).isFalse();
        }
        byte[] message = pad.encryptCompressed(encoder, v, null, s, SCALE, B0);
        assertThat(pad.used()).isTrue();
        assertThat(worstError(assemble(mask, message, B0, B1), v)).isLessThan(slotErrorBound(1, B0, B1, SCALE));
        assertThatThrownBy(() -> pad.encryptCompressed(encoder, v, null, s, SCALE, B0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("used");
        assertThat(pad.maskBytes()).as("the mask stays public after use").isEqualTo(mask);
        pad.destroy(); // harmless after use
        assertThat(pad.used()).isTrue();

        EncryptionPad destroyed = e.padWithoutSpecialPrimes(B1);
        destroyed.destroy();
        assertThat(destroyed.used()).isTrue();
        assertThatThrownBy(() -> destroyed.encryptCompressed(encoder, v, null, s, SCALE, B0))
                .isInstanceOf(IllegalStateException.class);
        // a used pad refuses before it looks at the arguments
        assertThatThrownBy(() -> destroyed.encryptCompressed(otherEncoder, v, null, 3, SCALE, 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesTheSecretKeyAndBadWidthsAndKeepsThePadOutOfToString() {
        assertThatThrownBy(() -> Encryptor.withSecretKey(sk).padWithoutSpecialPrimes(B1))
                .isInstanceOf(IllegalStateException.class);
        Encryptor e = Encryptor.withPublicKey(pk);
        int full = ResidueCompression.modulusBits(params.q(0));
        for (int w : new int[] {Integer.MIN_VALUE, -1, 0, full + 1, 64, 65, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> e.padWithoutSpecialPrimes(w)).as("width %d", w)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
        }
        for (int w : new int[] {1, full}) {
            assertThat(e.padWithoutSpecialPrimes(w).maskBytes())
                    .hasSize(Serialization.compressedPartBytes(params, 1, w));
        }
        EncryptionPad pad = e.padWithoutSpecialPrimes(B1);
        String before = pad.toString();
        assertThat(before).contains("unused").doesNotContainPattern("[0-9]").hasSizeLessThan(40);
        pad.encryptCompressed(encoder, values(40), null, params.maxSlots(), SCALE, B0);
        assertThat(pad.toString()).isNotEqualTo(before).doesNotContain("unused").doesNotContainPattern("[0-9]");
    }
}

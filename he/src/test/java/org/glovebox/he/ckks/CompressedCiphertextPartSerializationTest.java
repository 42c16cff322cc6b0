package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.io.ObjectType;
import org.glovebox.he.io.ResidueCompression;
import org.glovebox.he.ring.RnsPoly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input for the parts of a compressed ciphertext sent apart ({@link ObjectType#COMPRESSED_CIPHERTEXT_PART},
 * written by {@link Serialization#compressedPartFromCoefficients}), read through {@link
 * CompressedCiphertextSum#add(byte[])} and the package-private reader: every refusal is a MalformedDataException
 * naming the faulty field, and leaves the sum as it was. The parts are those of whole compressed ciphertexts
 * ({@link #split}). A small insecure ring (N = 2^8) keeps every truncation length cheap.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS) // a reader that loops on hostile input fails instead of hanging
class CompressedCiphertextPartSerializationTest {
    static final int LAYOUT = 4 + 2 + 1 + 32;
    static final int TYPE = 4 + 2;
    static final int FINGERPRINT = TYPE + 1;
    static final int PART = LAYOUT + 1;
    static final int LEVEL = PART + 1;
    /** Message part (0) only: slots and scale, then its width. */
    static final int SLOTS = LEVEL + 4;
    static final int SCALE = SLOTS + 4;
    static final int WIDTH0 = SCALE + 8;
    /** Mask part (1): its width follows the level. */
    static final int WIDTH1 = LEVEL + 4;

    static final int B0 = 43;
    static final int B1 = 50;

    static Parameters params;
    static SecretKey sk;
    static Encoder encoder;
    static Encryptor encryptor;
    static byte[] mask;
    static byte[] message;
    static byte[] laterMask;
    static byte[] laterMessage;

    /** Holds {@link #mask} and {@link #message}; every test checks that refusals leave it so. */
    CompressedCiphertextSum sum;

    @BeforeAll
    static void setUp() throws Exception {
        params = Parameters.builder().logN(8).primeBits(new int[] {60}, new int[] {49}).logScale(40)
                .insecureForTestingOnly().build();
        KeyGenerator kg = new KeyGenerator(params);
        sk = kg.generateSecretKey();
        encryptor = Encryptor.withPublicKey(kg.generatePublicKey(sk));
        encoder = new Encoder(params);
        byte[][] first = split(params, encryptor.encryptCompressedWithoutSpecialPrimes(encoder,
                new double[] {0.5, -0.25}, null, params.maxSlots(), 0x1p40, B0, B1), B0, B1);
        mask = first[0];
        message = first[1];
        byte[][] later = split(params, encryptor.encryptCompressedWithoutSpecialPrimes(encoder, new double[] {0.125},
                null, params.maxSlots(), 0x1p40, B0, B1), B0, B1);
        laterMask = later[0];
        laterMessage = later[1];
    }

    /**
     * The two parts of a whole compressed ciphertext ({@link Encryptor#encryptCompressedWithoutSpecialPrimes}) of
     * widths {@code c0Bits}, {@code c1Bits}, each written on its own at its width: the mask c_1 (part 1) first, then
     * the message part c_0 (part 0) with the ciphertext's slot count and scale. Compressing the decompressed
     * coefficients again gives back the compressed values, so the parts carry the whole ciphertext's packed
     * coefficients bit for bit ({@link #eachPartCarriesThePackedCoefficientsOfTheWholeCiphertextBitForBit}).
     */
    static byte[][] split(Parameters p, byte[] whole, int c0Bits, int c1Bits) throws MalformedDataException {
        Serialization.CompressedParts w = Serialization.fromBytes(whole,
                in -> Serialization.readCompressedParts(in, p, c0Bits, c1Bits));
        return new byte[][] {
            Serialization.compressedPartFromCoefficients(p, 1, w.c1(), 0, 0, c1Bits),
            Serialization.compressedPartFromCoefficients(p, 0, w.c0(), w.slots(), w.scale(), c0Bits)};
    }

    @BeforeEach
    void freshSum() throws Exception {
        sum = new CompressedCiphertextSum(params, B0, B1);
        sum.add(mask);
        sum.add(message);
    }

    private static Serialization.CompressedParts read(byte[] data) throws MalformedDataException {
        return Serialization.fromBytes(data, in -> Serialization.readCompressedCiphertextOrPart(in, params, B0, B1));
    }

    /** Refused by the reader and by the sum, with {@code fragment} in the message, the sum unchanged. */
    private void assertRefused(byte[] data, String fragment) {
        assertThatThrownBy(() -> read(data)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining(fragment);
        assertSumRefuses(data, fragment);
    }

    /** Refused by the sum (the bytes may be a valid part that does not fit it), the sum unchanged. */
    private void assertSumRefuses(byte[] data, String fragment) {
        assertThatThrownBy(() -> sum.add(data)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining(fragment);
        assertSumUnchanged();
    }

    /** The sum still holds exactly {@link #mask} and {@link #message}, and later terms add as to a fresh one. */
    private void assertSumUnchanged() {
        try {
            CompressedCiphertextSum reference = new CompressedCiphertextSum(params, B0, B1);
            reference.add(mask);
            reference.add(message);
            assertThat(sum.messageTerms()).isEqualTo(1);
            assertThat(sum.maskTerms()).isEqualTo(1);
            assertThat(sum.slots()).isEqualTo(params.maxSlots());
            assertThat(sum.scale()).isEqualTo(0x1p40);
            assertThat(sum.c0InCoefficientForm().limb(0)).isEqualTo(reference.c0InCoefficientForm().limb(0));
            assertThat(ProtocolAccess.ciphertextPart(sum.toCiphertext(), 1).limb(0))
                    .isEqualTo(ProtocolAccess.ciphertextPart(reference.toCiphertext(), 1).limb(0));
        } catch (MalformedDataException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] with(byte[] data, int offset, byte... bytes) {
        byte[] b = data.clone();
        System.arraycopy(bytes, 0, b, offset, bytes.length);
        return b;
    }

    private static byte[] withInt(byte[] data, int offset, int v) {
        return with(data, offset, ByteBuffer.allocate(4).putInt(v).array());
    }

    private static byte[] withDouble(byte[] data, int offset, double v) {
        return with(data, offset, ByteBuffer.allocate(8).putDouble(v).array());
    }

    @Test
    void theLayoutIsAsDocumentedAndCompressedPartBytesIsItsLength() throws Exception {
        assertThat(mask).hasSize(Serialization.compressedPartBytes(params, 1, B1));
        assertThat(message).hasSize(Serialization.compressedPartBytes(params, 0, B0));
        assertThat(mask[TYPE]).isEqualTo((byte) 9);
        assertThat(message[TYPE]).isEqualTo((byte) 9);
        assertThat(Arrays.copyOfRange(mask, FINGERPRINT, LAYOUT)).isEqualTo(params.fingerprint());
        assertThat(new byte[] {mask[LAYOUT], mask[PART], message[LAYOUT], message[PART]})
                .containsExactly(1, 1, 1, 0);
        assertThat(ByteBuffer.wrap(mask, LEVEL, 4).getInt()).isZero();
        assertThat(ByteBuffer.wrap(message, LEVEL, 4).getInt()).isZero();
        assertThat(ByteBuffer.wrap(message, SLOTS, 4).getInt()).isEqualTo(params.maxSlots());
        assertThat(ByteBuffer.wrap(message, SCALE, 8).getDouble()).isEqualTo(0x1p40);
        assertThat(mask[WIDTH1]).isEqualTo((byte) B1);
        assertThat(message[WIDTH0]).isEqualTo((byte) B0);
        // every width, from whole ciphertexts and from the writer; N = 4 leaves half a byte of padding at odd widths
        Parameters tiny = Parameters.builder().logN(2).primeBits(new int[] {60}, new int[] {49}).logScale(40)
                .insecureForTestingOnly().build();
        int full = ResidueCompression.modulusBits(params.q(0));
        for (int w = 1; w <= full; w++) {
            byte[][] parts = split(params, encryptor.encryptCompressedWithoutSpecialPrimes(encoder, new double[] {1},
                    null, 1, 0x1p40, w, w), w, w);
            assertThat(parts[0]).as("mask, width %d", w).hasSize(Serialization.compressedPartBytes(params, 1, w));
            assertThat(parts[1]).as("message, width %d", w).hasSize(Serialization.compressedPartBytes(params, 0, w));
            for (int part = 0; part < 2; part++) {
                long[] c = {1, 2, 3, tiny.q(0) - 1};
                byte[] b = Serialization.compressedPartFromCoefficients(tiny, part, c, 2, 0x1p40, w);
                assertThat(b).as("N = 4, part %d, width %d", part, w)
                        .hasSize(Serialization.compressedPartBytes(tiny, part, w));
                int width = w;
                int p = part;
                Serialization.CompressedParts back = Serialization.fromBytes(b, in ->
                        Serialization.readCompressedCiphertextOrPart(in, tiny, p == 0 ? width : 1, p == 1 ? width : 1));
                assertThat(p == 0 ? back.c1() : back.c0()).isNull();
                if (w == ResidueCompression.modulusBits(tiny.q(0))) { // full width: exact
                    assertThat(p == 0 ? back.c0() : back.c1()).containsExactly(1, 2, 3, tiny.q(0) - 1);
                }
            }
        }
    }

    @Test
    void eachPartCarriesThePackedCoefficientsOfTheWholeCiphertextBitForBit() throws Exception {
        // N = 4 at odd widths leaves half a byte of padding after each packed polynomial
        Parameters tiny = Parameters.builder().logN(2).primeBits(new int[] {60}, new int[] {49}).logScale(40)
                .insecureForTestingOnly().build();
        for (Parameters p : new Parameters[] {params, tiny}) {
            KeyGenerator kg = new KeyGenerator(p);
            Encryptor e = Encryptor.withPublicKey(kg.generatePublicKey(kg.generateSecretKey()));
            Encoder enc = new Encoder(p);
            int full = ResidueCompression.modulusBits(p.q(0));
            for (int[] w : new int[][] {{B0, B1}, {B1, B0}, {1, full}, {full, 1}, {7, 13}, {full, full}}) {
                byte[] whole = e.encryptCompressedWithoutSpecialPrimes(enc, new double[] {0.5, -0.25}, null,
                        p.maxSlots(), 0x1p40, w[0], w[1]);
                byte[][] parts = split(p, whole, w[0], w[1]);
                int packed0 = (p.n() * w[0] + 7) / 8;
                int packed1 = (p.n() * w[1] + 7) / 8;
                String what = "N = " + p.n() + ", widths " + w[0] + " + " + w[1];
                assertThat(Arrays.copyOfRange(parts[1], parts[1].length - packed0, parts[1].length)).as(what)
                        .isEqualTo(Arrays.copyOfRange(whole, whole.length - packed1 - packed0, whole.length - packed1));
                assertThat(Arrays.copyOfRange(parts[0], parts[0].length - packed1, parts[0].length)).as(what)
                        .isEqualTo(Arrays.copyOfRange(whole, whole.length - packed1, whole.length));
                // read back: the residues, slot count and scale of the whole ciphertext, each part alone
                Serialization.CompressedParts all = Serialization.fromBytes(whole,
                        in -> Serialization.readCompressedParts(in, p, w[0], w[1]));
                Serialization.CompressedParts c0 = Serialization.fromBytes(parts[1],
                        in -> Serialization.readCompressedCiphertextOrPart(in, p, w[0], w[1]));
                Serialization.CompressedParts c1 = Serialization.fromBytes(parts[0],
                        in -> Serialization.readCompressedCiphertextOrPart(in, p, w[0], w[1]));
                assertThat(c0.c0()).as(what).isEqualTo(all.c0());
                assertThat(c0.c1()).isNull();
                assertThat(c0.slots()).isEqualTo(p.maxSlots());
                assertThat(c0.scale()).isEqualTo(0x1p40);
                assertThat(c1.c1()).as(what).isEqualTo(all.c1());
                assertThat(c1.c0()).isNull();
                assertThat(c1.slots()).isZero();
                assertThat(c1.scale()).isZero();
            }
        }
    }

    @Test
    void everyTruncationIsMalformedData() throws Exception {
        for (byte[] part : new byte[][] {mask, message}) {
            for (int len = 0; len < part.length; len++) {
                byte[] cut = Arrays.copyOf(part, len);
                try {
                    sum.add(cut);
                    fail("a part truncated to %d of %d bytes was accepted", len, part.length);
                } catch (MalformedDataException expected) {
                    // the only admissible outcome
                }
            }
        }
        assertSumUnchanged();
        assertRefused(Arrays.copyOf(message, message.length - 1), "truncated");
        assertRefused(Arrays.copyOf(mask, LAYOUT), "truncated");
    }

    @Test
    void refusesTrailingBytesOtherParametersAndOtherObjectTypes() throws Exception {
        assertRefused(Arrays.copyOf(mask, mask.length + 1), "unexpected bytes");
        assertRefused(Arrays.copyOf(message, message.length + 1), "unexpected bytes");
        byte[] two = Arrays.copyOf(mask, mask.length + laterMask.length);
        System.arraycopy(laterMask, 0, two, mask.length, laterMask.length);
        assertRefused(two, "unexpected bytes");
        // other parameters: the same layout and lengths, another fingerprint
        Parameters other = Parameters.builder().logN(8).primeBits(new int[] {59}, new int[] {49}).logScale(40)
                .insecureForTestingOnly().build();
        KeyGenerator kg = new KeyGenerator(other);
        byte[][] foreign = split(other, Encryptor.withPublicKey(kg.generatePublicKey(kg.generateSecretKey()))
                .encryptCompressedWithoutSpecialPrimes(new Encoder(other), new double[] {1}, null, other.maxSlots(),
                        0x1p40, B0, B1), B0, B1);
        assertThat(foreign[0]).hasSameSizeAs(mask);
        assertThat(foreign[1]).hasSameSizeAs(message);
        assertRefused(foreign[0], "different parameter set");
        assertRefused(foreign[1], "different parameter set");
        assertRefused(with(message, FINGERPRINT + 5, (byte) (message[FINGERPRINT + 5] ^ 1)), "different parameter set");
        // other object types: said so, not misread
        Ciphertext plain = Serialization.compressedCiphertextFromBytes(
                encryptor.encryptCompressedWithoutSpecialPrimes(encoder, new double[] {1}, null, 1, 0x1p40, B0, B1),
                params);
        assertRefused(Serialization.toBytes(plain), "holds a CIPHERTEXT");
        assertRefused(Serialization.toBytes(encoder.encode(new double[] {1})), "holds a PLAINTEXT");
        assertRefused(Serialization.toBytes(sk), "holds a SECRET_KEY");
        assertRefused(with(mask, TYPE, (byte) 99), "unknown object type");
        assertRefused(new byte[0], "truncated");
        // a whole-ciphertext reader refuses a part by its type
        assertThatThrownBy(() -> Serialization.compressedCiphertextFromBytes(message, params))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("COMPRESSED_CIPHERTEXT_PART");
        // a part relabelled as a whole ciphertext, or a whole one as a part, does not parse
        assertRefused(with(message, TYPE, (byte) 8), "");
        assertRefused(with(mask, TYPE, (byte) 8), "");
        byte[] whole = encryptor.encryptCompressedWithoutSpecialPrimes(encoder, new double[] {1}, null,
                params.maxSlots(), 0x1p40, B0, B1);
        assertRefused(with(whole, TYPE, (byte) 9), "");
    }

    @Test
    void refusesEachHeaderFieldOutOfRange() {
        for (byte[] part : new byte[][] {mask, message}) {
            for (int layout : new int[] {0, 2, 255}) {
                assertRefused(with(part, LAYOUT, (byte) layout), "layout " + layout);
            }
            for (int p : new int[] {2, 3, 255}) {
                assertRefused(with(part, PART, (byte) p), "got " + p);
            }
            for (int level : new int[] {1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                assertRefused(withInt(part, LEVEL, level), "level");
            }
        }
        int full = ResidueCompression.modulusBits(params.q(0));
        for (int w : new int[] {0, full + 1, 64, 65, 255}) {
            assertRefused(with(message, WIDTH0, (byte) w), "compressed width " + w);
            assertRefused(with(mask, WIDTH1, (byte) w), "compressed width " + w);
        }
        // admissible widths, but not those the sum was made for (nor the other part's)
        for (int w : new int[] {1, B0 - 1, B0 + 1, B1, full}) {
            assertRefused(with(message, WIDTH0, (byte) w), "expected " + B0);
        }
        for (int w : new int[] {1, B0, B1 - 1, B1 + 1, full}) {
            assertRefused(with(mask, WIDTH1, (byte) w), "expected " + B1);
        }
        int maxSlots = params.maxSlots();
        for (int slots : new int[] {0, -1, 2 * maxSlots, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertRefused(withInt(message, SLOTS, slots), "slots = " + slots);
        }
        for (int slots : new int[] {3, 6, maxSlots - 1, maxSlots / 2 + 1}) {
            assertRefused(withInt(message, SLOTS, slots), "not a power of two");
        }
        for (double scale : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.999, 0,
            -0.0, -0x1p40, Double.MIN_VALUE}) {
            assertRefused(withDouble(message, SCALE, scale), "scale");
        }
        // a message part read as a mask takes its slot count's first byte (0) for the width
        assertRefused(with(message, PART, (byte) 1), "compressed width 0");
    }

    @Test
    void admissibleFieldValuesAreReadAsWritten() throws Exception {
        // the checks above refuse only what is wrong: the extremes of each range are read as written
        Serialization.CompressedParts one = read(withDouble(withInt(message, SLOTS, 1), SCALE, 1.0));
        assertThat(one.slots()).isEqualTo(1);
        assertThat(one.scale()).isEqualTo(1.0);
        Serialization.CompressedParts big = read(withDouble(message, SCALE, Double.MAX_VALUE));
        assertThat(big.scale()).isEqualTo(Double.MAX_VALUE);
        assertThat(big.c0()).isEqualTo(read(message).c0());
        // every bit pattern of the packed coefficients is a compressed value
        byte[] ones = message.clone();
        Arrays.fill(ones, WIDTH0 + 1, ones.length, (byte) 0xFF);
        long[] c = read(ones).c0();
        long top = ResidueCompression.decompress((1L << B0) - 1, params.q(0), B0);
        assertThat(top).isBetween(0L, params.q(0) - 1);
        assertThat(Arrays.stream(c).distinct().toArray()).containsExactly(top);
    }

    @Test
    void randomHeaderDamageIsMalformedDataOrAValidPart() {
        SplittableRandom r = new SplittableRandom(11);
        for (byte[] part : new byte[][] {mask, message}) {
            int dataStart = part == mask ? WIDTH1 + 1 : WIDTH0 + 1;
            for (int trial = 0; trial < 4000; trial++) {
                byte[] b = part.clone();
                int changes = 1 + r.nextInt(3);
                for (int i = 0; i < changes; i++) {
                    b[r.nextInt(dataStart + 4)] = (byte) r.nextInt(256);
                }
                CompressedCiphertextSum s = new CompressedCiphertextSum(params, B0, B1);
                try {
                    s.add(b);
                    assertThat(s.messageTerms() + s.maskTerms()).isEqualTo(1);
                } catch (MalformedDataException expected) {
                    assertThat(s.messageTerms() + s.maskTerms()).isZero();
                } catch (RuntimeException e) {
                    throw new AssertionError("damaged part " + Arrays.toString(Arrays.copyOf(b, dataStart))
                            + " threw " + e, e);
                }
            }
        }
    }

    @Test
    void aRefusedAddLeavesTheSumAsItWasForLaterTerms() throws Exception {
        // an empty sum stays empty, and a sum of masks alone keeps its scale unset
        CompressedCiphertextSum empty = new CompressedCiphertextSum(params, B0, B1);
        CompressedCiphertextSum masks = new CompressedCiphertextSum(params, B0, B1);
        masks.add(mask);
        for (byte[] bad : new byte[][] {withDouble(message, SCALE, Double.NaN), with(message, WIDTH0, (byte) 42),
            Arrays.copyOf(message, message.length - 1), with(mask, WIDTH1, (byte) 49)}) {
            assertThatThrownBy(() -> empty.add(bad)).isInstanceOf(MalformedDataException.class);
            assertThatThrownBy(() -> masks.add(bad)).isInstanceOf(MalformedDataException.class);
            assertThatThrownBy(() -> sum.add(bad)).isInstanceOf(MalformedDataException.class);
        }
        assertThat(new int[] {empty.messageTerms(), empty.maskTerms(), empty.slots()}).containsExactly(0, 0, 0);
        assertThat(empty.scale()).isZero();
        assertThatThrownBy(empty::c0InCoefficientForm).isInstanceOf(IllegalStateException.class);
        assertThat(new int[] {masks.messageTerms(), masks.maskTerms(), masks.slots()}).containsExactly(0, 1, 0);
        assertThat(masks.scale()).isZero();
        // a message part of another scale is refused by the sum that has one; the slot count too
        assertSumRefuses(withDouble(message, SCALE, 0x1p41), "cannot join");
        assertSumRefuses(withInt(message, SLOTS, params.maxSlots() / 2), "cannot join");
        // later terms: the same ciphertext as a sum that never saw a refusal, and it decrypts
        sum.add(laterMask);
        sum.add(laterMessage);
        CompressedCiphertextSum reference = new CompressedCiphertextSum(params, B0, B1);
        for (byte[] b : new byte[][] {laterMessage, mask, laterMask, message}) {
            reference.add(b);
        }
        Ciphertext ct = sum.toCiphertext();
        for (int part = 0; part < 2; part++) {
            RnsPoly a = ProtocolAccess.ciphertextPart(ct, part);
            assertThat(a.limb(0)).isEqualTo(ProtocolAccess.ciphertextPart(reference.toCiphertext(), part).limb(0));
        }
        double[] got = encoder.decode(new Decryptor(sk).decrypt(ct));
        // N = 2^8 and widths 43/50 of a 60-bit prime: errors near 2^-25, far below the tolerance
        assertThat(got[0]).isCloseTo(0.625, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(got[1]).isCloseTo(-0.25, org.assertj.core.data.Offset.offset(1e-4));
        // and the empty and mask-only sums still take their first message at its own scale
        masks.add(laterMessage);
        assertThat(masks.terms()).isEqualTo(1);
        assertThat(masks.scale()).isEqualTo(0x1p40);
        empty.add(laterMask);
        assertThat(empty.maskTerms()).isEqualTo(1);
    }
}

package org.glovebox.he.ckks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.ring.RnsPoly;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The coefficient-form sum of compressed ciphertexts: residue for residue the sum of the ciphertexts read one by one,
 * the same decryption, and refusals that leave the sum unchanged; and the parts of ciphertexts sent apart
 * ({@link Serialization#compressedPartFromCoefficients}, here those of whole ciphertexts:
 * {@link CompressedCiphertextPartSerializationTest#split}), counted per part.
 */
class CompressedCiphertextSumTest {
    static Parameters params;
    static SecretKey sk;
    static Encryptor encryptor;
    static Encoder encoder;

    @BeforeAll
    static void setUp() {
        params = Parameters.builder().logN(12).primeBits(new int[] {60}, new int[] {49}).logScale(40).build();
        KeyGenerator kg = new KeyGenerator(params);
        sk = kg.generateSecretKey();
        encryptor = Encryptor.withPublicKey(kg.generatePublicKey(sk));
        encoder = new Encoder(params);
    }

    private static double[] values(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[params.maxSlots()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    private static byte[] upload(double[] v, double scale, int b0, int b1) {
        return encryptor.encryptCompressedWithoutSpecialPrimes(encoder, v, null, params.maxSlots(), scale, b0, b1);
    }

    @Test
    void equalsTheEvaluatorSumOfTheCiphertextsReadOneByOne() throws Exception {
        Evaluator ev = new Evaluator(params);
        CompressedCiphertextSum sum = new CompressedCiphertextSum(params, 43, 50);
        Ciphertext reference = null;
        double[] expected = new double[params.maxSlots()];
        for (int k = 0; k < 5; k++) {
            double[] v = values(k);
            byte[] b = upload(v, 0x1p40, 43, 50);
            sum.add(b);
            Ciphertext one = Serialization.compressedCiphertextFromBytes(b, params, 43, 50);
            reference = reference == null ? one : ev.add(reference, one);
            for (int i = 0; i < v.length; i++) {
                expected[i] += v[i];
            }
        }
        assertThat(sum.terms()).isEqualTo(5);
        Ciphertext ct = sum.toCiphertext();
        for (int part = 0; part < 2; part++) {
            RnsPoly a = ProtocolAccess.ciphertextPart(ct, part);
            RnsPoly b = ProtocolAccess.ciphertextPart(reference, part);
            assertThat(a.limb(0)).as("part %d", part).isEqualTo(b.limb(0));
        }
        assertThat(ct.scale()).isEqualTo(0x1p40);
        assertThat(ct.slots()).isEqualTo(params.maxSlots());
        // c_0 as summed, in coefficient form: reduced residues, the inverse transform of the evaluator's c_0
        long[] c0 = ProtocolAccess.ciphertextPart(reference, 0).limb(0).clone();
        params.ringQ().ntt(0).inverse(c0);
        assertThat(sum.c0InCoefficientForm().limb(0)).isEqualTo(c0);
        double[] got = encoder.decode(new Decryptor(sk).decrypt(ct));
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - expected[i]));
        }
        assertThat(-Math.log(worst) / Math.log(2)).as("bits of precision").isGreaterThan(15);
        // merging sums is the same as adding their terms; the merged sum is not changed
        CompressedCiphertextSum a = new CompressedCiphertextSum(params, 43, 50);
        CompressedCiphertextSum b = new CompressedCiphertextSum(params, 43, 50);
        byte[] x = upload(values(7), 0x1p40, 43, 50);
        byte[] y = upload(values(8), 0x1p40, 43, 50);
        a.add(x);
        b.add(y);
        a.add(b);
        CompressedCiphertextSum direct = new CompressedCiphertextSum(params, 43, 50);
        direct.add(x);
        direct.add(y);
        assertThat(ProtocolAccess.ciphertextPart(a.toCiphertext(), 0).limb(0))
                .isEqualTo(ProtocolAccess.ciphertextPart(direct.toCiphertext(), 0).limb(0));
        assertThat(b.terms()).isEqualTo(1);
        CompressedCiphertextSum empty = new CompressedCiphertextSum(params, 43, 50);
        empty.add(b);
        assertThat(ProtocolAccess.ciphertextPart(empty.toCiphertext(), 1).limb(0))
                .isEqualTo(ProtocolAccess.ciphertextPart(b.toCiphertext(), 1).limb(0));
    }

    @Test
    void theSumDoesNotDependOnTheOrderOrGroupingOfItsTerms() throws Exception {
        byte[][] terms = new byte[6][];
        for (int k = 0; k < terms.length; k++) {
            terms[k] = upload(values(20 + k), 0x1p40, 43, 50);
        }
        CompressedCiphertextSum forward = new CompressedCiphertextSum(params, 43, 50);
        for (byte[] t : terms) {
            forward.add(t);
        }
        SplittableRandom r = new SplittableRandom(9);
        for (int trial = 0; trial < 5; trial++) {
            // a random permutation, split at a random point into two partial sums that are then merged
            int[] order = {0, 1, 2, 3, 4, 5};
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int split = r.nextInt(order.length + 1);
            CompressedCiphertextSum left = new CompressedCiphertextSum(params, 43, 50);
            CompressedCiphertextSum right = new CompressedCiphertextSum(params, 43, 50);
            for (int i = 0; i < order.length; i++) {
                (i < split ? left : right).add(terms[order[i]]);
            }
            right.add(left);
            assertThat(right.terms()).isEqualTo(terms.length);
            for (int part = 0; part < 2; part++) {
                assertThat(ProtocolAccess.ciphertextPart(right.toCiphertext(), part).limb(0))
                        .as("trial %d, part %d", trial, part)
                        .isEqualTo(ProtocolAccess.ciphertextPart(forward.toCiphertext(), part).limb(0));
            }
        }
    }

    @Test
    void refusesHostileOrMismatchedInputAndKeepsTheSum() throws Exception {
        CompressedCiphertextSum sum = new CompressedCiphertextSum(params, 43, 50);
        assertThatThrownBy(sum::toCiphertext).isInstanceOf(IllegalStateException.class);
        byte[] good = upload(values(1), 0x1p40, 43, 50);
        sum.add(good);
        long[] before = ProtocolAccess.ciphertextPart(sum.toCiphertext(), 0).limb(0).clone();
        byte[][] hostile = {
            upload(values(2), 0x1p41, 43, 50), // another scale
            upload(values(3), 0x1p40, 44, 50), // other widths
            Arrays.copyOf(good, good.length - 1), // truncated
            Arrays.copyOf(good, good.length + 1), // trailing byte
            new byte[0],
            Serialization.toBytes(Serialization.compressedCiphertextFromBytes(good, params)), // not compressed
        };
        for (byte[] h : hostile) {
            assertThatThrownBy(() -> sum.add(h)).isInstanceOf(MalformedDataException.class);
        }
        byte[] flipped = good.clone();
        flipped[10] ^= 0x40; // inside the parameter fingerprint
        assertThatThrownBy(() -> sum.add(flipped)).isInstanceOf(MalformedDataException.class);
        assertThat(sum.terms()).isEqualTo(1);
        assertThat(ProtocolAccess.ciphertextPart(sum.toCiphertext(), 0).limb(0)).isEqualTo(before);
        CompressedCiphertextSum other = new CompressedCiphertextSum(params, 42, 50);
        other.add(upload(values(4), 0x1p40, 42, 50));
        assertThatThrownBy(() -> sum.add(other)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompressedCiphertextSum(params, 0, 50))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompressedCiphertextSum(params, 43, 61))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- parts sent apart

    /** The mask (50 bits) and message part (43 bits) of a fresh whole compressed ciphertext, in that order. */
    private static byte[][] parts(Encryptor e, double[] v, double scale, int slots) throws MalformedDataException {
        byte[] whole = e.encryptCompressedWithoutSpecialPrimes(encoder, Arrays.copyOf(v, Math.min(v.length, slots)),
                null, slots, scale, 43, 50);
        return CompressedCiphertextPartSerializationTest.split(params, whole, 43, 50);
    }

    private static void assertSameCiphertext(CompressedCiphertextSum a, CompressedCiphertextSum b, String what) {
        Ciphertext x = a.toCiphertext();
        Ciphertext y = b.toCiphertext();
        for (int part = 0; part < 2; part++) {
            assertThat(ProtocolAccess.ciphertextPart(x, part).limb(0)).as("%s, part %d", what, part)
                    .isEqualTo(ProtocolAccess.ciphertextPart(y, part).limb(0));
        }
        assertThat(x.scale()).isEqualTo(y.scale());
        assertThat(x.slots()).isEqualTo(y.slots());
    }

    @Test
    void countsMessagesAndMasksApartAndIsACiphertextOnlyWhenTheyAgree() throws Exception {
        CompressedCiphertextSum sum = new CompressedCiphertextSum(params, 43, 50);
        assertThat(sum.terms()).isZero();
        assertThatThrownBy(sum::c0InCoefficientForm).isInstanceOf(IllegalStateException.class);
        byte[][] a = parts(encryptor, values(30), 0x1p40, params.maxSlots());
        byte[][] b = parts(encryptor, values(31), 0x1p40, params.maxSlots());
        sum.add(a[0]);
        sum.add(b[0]);
        assertThat(new int[] {sum.messageTerms(), sum.maskTerms(), sum.slots()}).containsExactly(0, 2, 0);
        assertThat(sum.scale()).isZero();
        assertThatThrownBy(sum::terms).isInstanceOf(IllegalStateException.class).hasMessageContaining("0 message")
                .hasMessageContaining("2 masks");
        assertThatThrownBy(sum::toCiphertext).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sum::c0InCoefficientForm).isInstanceOf(IllegalStateException.class);
        sum.add(b[1]);
        assertThat(new int[] {sum.messageTerms(), sum.maskTerms(), sum.slots()})
                .containsExactly(1, 2, params.maxSlots());
        assertThat(sum.scale()).isEqualTo(0x1p40);
        assertThatThrownBy(sum::terms).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sum::toCiphertext).isInstanceOf(IllegalStateException.class);
        assertThat(sum.c0InCoefficientForm().limb(0)).hasSize(params.n());
        sum.add(a[1]);
        assertThat(sum.terms()).isEqualTo(2);
        sum.add(upload(values(32), 0x1p40, 43, 50)); // a whole ciphertext counts in both
        assertThat(new int[] {sum.terms(), sum.messageTerms(), sum.maskTerms()}).containsExactly(3, 3, 3);
        sum.add(parts(encryptor, values(33), 0x1p40, params.maxSlots())[1]); // more messages than masks
        assertThat(new int[] {sum.messageTerms(), sum.maskTerms()}).containsExactly(4, 3);
        assertThatThrownBy(sum::terms).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(sum::toCiphertext).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSumOfPartsIsTheSumOfTheWholeCiphertextsTheyCameFrom() throws Exception {
        int k = 4;
        byte[][] whole = new byte[k][];
        byte[][][] split = new byte[k][][];
        for (int i = 0; i < k; i++) {
            whole[i] = upload(values(60 + i), 0x1p40, 43, 50);
            split[i] = CompressedCiphertextPartSerializationTest.split(params, whole[i], 43, 50);
        }
        CompressedCiphertextSum fromWhole = new CompressedCiphertextSum(params, 43, 50);
        for (byte[] w : whole) {
            fromWhole.add(w);
        }
        // masks first, then the messages in another order
        CompressedCiphertextSum fromParts = new CompressedCiphertextSum(params, 43, 50);
        for (byte[][] s : split) {
            fromParts.add(s[0]);
        }
        for (int i : new int[] {3, 1, 0, 2}) {
            fromParts.add(split[i][1]);
        }
        assertSameCiphertext(fromParts, fromWhole, "parts");
        assertThat(fromParts.c0InCoefficientForm().limb(0)).isEqualTo(fromWhole.c0InCoefficientForm().limb(0));
        // whole ciphertexts and parts mixed: ciphertext 0 whole, the others in parts
        CompressedCiphertextSum mixed = new CompressedCiphertextSum(params, 43, 50);
        mixed.add(split[2][1]);
        mixed.add(whole[0]);
        mixed.add(split[3][0]);
        mixed.add(split[1][1]);
        mixed.add(split[1][0]);
        mixed.add(split[2][0]);
        mixed.add(split[3][1]);
        assertThat(mixed.terms()).isEqualTo(k);
        assertSameCiphertext(mixed, fromWhole, "mixed");
        // control: one message part short, the sum is no ciphertext
        CompressedCiphertextSum shortOne = new CompressedCiphertextSum(params, 43, 50);
        for (int i = 0; i < k; i++) {
            shortOne.add(split[i][0]);
            if (i > 0) {
                shortOne.add(split[i][1]);
            }
        }
        assertThatThrownBy(shortOne::toCiphertext).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mergesSumsOfPartsByPart() throws Exception {
        byte[][][] split = new byte[3][][];
        CompressedCiphertextSum reference = new CompressedCiphertextSum(params, 43, 50);
        for (int i = 0; i < split.length; i++) {
            split[i] = parts(encryptor, values(70 + i), 0x1p40, params.maxSlots());
            reference.add(split[i][0]);
            reference.add(split[i][1]);
        }
        // the masks collected by one party, the messages by another
        CompressedCiphertextSum masks = new CompressedCiphertextSum(params, 43, 50);
        CompressedCiphertextSum messages = new CompressedCiphertextSum(params, 43, 50);
        for (byte[][] s : split) {
            masks.add(s[0]);
            messages.add(s[1]);
        }
        CompressedCiphertextSum a = new CompressedCiphertextSum(params, 43, 50);
        a.add(masks);
        a.add(messages);
        assertThat(new int[] {a.messageTerms(), a.maskTerms()}).containsExactly(3, 3);
        assertSameCiphertext(a, reference, "empty + masks + messages");
        messages.add(masks);
        assertSameCiphertext(messages, reference, "messages + masks");
        assertThat(new int[] {masks.messageTerms(), masks.maskTerms()}).as("the merged sum is unchanged")
                .containsExactly(0, 3);
        assertThat(masks.slots()).isZero();
        // half-filled sums on both sides
        CompressedCiphertextSum left = new CompressedCiphertextSum(params, 43, 50);
        CompressedCiphertextSum right = new CompressedCiphertextSum(params, 43, 50);
        left.add(split[0][0]);
        left.add(split[1][1]);
        left.add(split[2][0]);
        right.add(split[0][1]);
        right.add(split[1][0]);
        right.add(split[2][1]);
        assertThatThrownBy(left::terms).isInstanceOf(IllegalStateException.class);
        left.add(right);
        assertSameCiphertext(left, reference, "half + half");
        assertThat(new int[] {right.messageTerms(), right.maskTerms()}).containsExactly(2, 1);
        // merging an empty sum changes nothing
        left.add(new CompressedCiphertextSum(params, 43, 50));
        assertSameCiphertext(left, reference, "+ empty");
        // a sum merged into an empty one shares nothing with it: later terms of the copy leave the original alone
        Ciphertext before = reference.toCiphertext();
        CompressedCiphertextSum copy = new CompressedCiphertextSum(params, 43, 50);
        copy.add(reference);
        copy.add(split[0][0]);
        copy.add(split[0][1]);
        copy.add(reference);
        Ciphertext after = reference.toCiphertext();
        for (int part = 0; part < 2; part++) {
            assertThat(ProtocolAccess.ciphertextPart(after, part).limb(0)).as("part %d", part)
                    .isEqualTo(ProtocolAccess.ciphertextPart(before, part).limb(0));
        }
        assertThat(new int[] {reference.terms(), copy.terms()}).containsExactly(3, 7);
    }

    @Test
    void messagePartsMustAgreeOnSlotsAndScaleWhileMasksJoinAnySum() throws Exception {
        byte[][] at40 = parts(encryptor, values(80), 0x1p40, params.maxSlots());
        byte[][] at41 = parts(encryptor, values(81), 0x1p41, params.maxSlots());
        byte[][] fewer = parts(encryptor, values(82), 0x1p40, params.maxSlots() / 2);
        CompressedCiphertextSum sum = new CompressedCiphertextSum(params, 43, 50);
        sum.add(at40[1]);
        long[] c0 = sum.c0InCoefficientForm().limb(0);
        for (byte[] b : new byte[][] {at41[1], fewer[1], upload(values(83), 0x1p41, 43, 50)}) {
            assertThatThrownBy(() -> sum.add(b)).isInstanceOf(MalformedDataException.class)
                    .hasMessageContaining("cannot join");
            assertThat(new int[] {sum.messageTerms(), sum.maskTerms(), sum.slots()})
                    .containsExactly(1, 0, params.maxSlots());
            assertThat(sum.scale()).isEqualTo(0x1p40);
            assertThat(sum.c0InCoefficientForm().limb(0)).isEqualTo(c0);
        }
        // masks carry no scale: those of 2^41 and of fewer slots join a sum at 2^40 of all slots
        sum.add(at41[0]);
        sum.add(fewer[0]);
        sum.add(at40[0]);
        assertThat(new int[] {sum.messageTerms(), sum.maskTerms()}).containsExactly(1, 3);
        assertThat(sum.scale()).isEqualTo(0x1p40);
        assertThat(sum.slots()).isEqualTo(params.maxSlots());
        // a sum of masks alone takes its first message part at that part's scale
        CompressedCiphertextSum masksFirst = new CompressedCiphertextSum(params, 43, 50);
        masksFirst.add(at40[0]);
        masksFirst.add(at41[1]);
        assertThat(masksFirst.scale()).isEqualTo(0x1p41);
        assertThatThrownBy(() -> masksFirst.add(at40[1])).isInstanceOf(MalformedDataException.class);
        // merging: message terms of other scales or slots refused, the sum unchanged; a sum of masks merges anywhere
        CompressedCiphertextSum other = new CompressedCiphertextSum(params, 43, 50);
        other.add(at41[1]);
        other.add(fewer[0]);
        assertThatThrownBy(() -> sum.add(other)).isInstanceOf(IllegalArgumentException.class);
        CompressedCiphertextSum otherSlots = new CompressedCiphertextSum(params, 43, 50);
        otherSlots.add(fewer[1]);
        assertThatThrownBy(() -> sum.add(otherSlots)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new int[] {sum.messageTerms(), sum.maskTerms()}).containsExactly(1, 3);
        assertThat(sum.c0InCoefficientForm().limb(0)).isEqualTo(c0);
        CompressedCiphertextSum masksOnly = new CompressedCiphertextSum(params, 43, 50);
        masksOnly.add(at41[0]);
        other.add(masksOnly);
        sum.add(masksOnly);
        assertThat(new int[] {other.maskTerms(), sum.maskTerms()}).containsExactly(2, 4);
        // another width of mask is refused like any other width
        CompressedCiphertextSum narrow = new CompressedCiphertextSum(params, 43, 49);
        assertThatThrownBy(() -> narrow.add(at40[0])).isInstanceOf(MalformedDataException.class);
    }
}

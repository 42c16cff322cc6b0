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
 * the same decryption, and refusals that leave the sum unchanged.
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
}

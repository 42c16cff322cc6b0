package org.glovebox.he.multiparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.CompressedCiphertextSum;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.ProtocolAccess;
import org.glovebox.he.ckks.TestSupport;
import org.glovebox.he.ring.RnsPoly;
import org.junit.jupiter.api.Test;

/** Uploads under additive key shares with a common seeded mask: the sum over every party decrypts, a subset does not. */
class KeyShareEncryptorTest {
    static final Parameters PARAMS = Parameters.builder().logN(12).primeBits(new int[] {60}, new int[] {49})
            .logScale(40).build();
    static final int BITS = 45;
    static final double SCALE = 0x1p40;

    private static byte[] seed(int i) {
        byte[] s = new byte[32];
        s[0] = (byte) i;
        s[31] = 7;
        return s;
    }

    /** (Σ c_0, a) of the given parties' uploads as a level-0 ciphertext. */
    private static Ciphertext aggregate(Group g, List<byte[]> uploads, byte[] maskSeed) throws Exception {
        CompressedCiphertextSum sum = new CompressedCiphertextSum(PARAMS, BITS, BITS);
        for (byte[] u : uploads) {
            sum.add(u);
        }
        assertThat(sum.maskTerms()).isZero();
        RnsPoly c0 = sum.c0InCoefficientForm();
        PARAMS.ringQ().ntt(0).forward(c0.limb(0));
        return ProtocolAccess.ciphertext(PARAMS, new RnsPoly[] {c0, KeyShareEncryptor.commonMask(PARAMS, maskSeed)},
                0, sum.scale(), sum.slots());
    }

    @Test
    void theSumOverEveryPartyDecryptsToTheSumOfTheValues() throws Exception {
        for (int parties : new int[] {2, 3, 5}) {
            Group g = new Group(PARAMS, parties);
            Encoder enc = new Encoder(PARAMS);
            double[] expected = new double[PARAMS.maxSlots()];
            List<byte[]> uploads = new ArrayList<>();
            for (int i = 0; i < parties; i++) {
                double[] v = TestSupport.randomValues(PARAMS.maxSlots(), 100 + i);
                for (int j = 0; j < v.length; j++) {
                    expected[j] += v[j];
                }
                uploads.add(new KeyShareEncryptor(g.secrets.get(i)).encryptCompressed(seed(1), enc, v, null,
                        PARAMS.maxSlots(), SCALE, BITS));
            }
            double[] got = g.decrypt(aggregate(g, uploads, seed(1)), Smudging.withStandardDeviation(1 << 10));
            // per coefficient: k roundings to q/2^45 (std 2^15/sqrt(12) each) dominate k floodings of 2^10 and the
            // Gaussians; a slot sums N/2 coefficients (× 2^5.5): std ≈ 2^(13.2 + 5.5 + log2(k)/2), over 2^40 about
            // 2^-20.5 for k = 5, worst of 2048 slots about 4 std: 18.5 bits; a wrong key share gives about 0 bits
            assertThat(TestSupport.precisionBits(expected, got)).as("%d parties", parties).isGreaterThan(16);
        }
    }

    @Test
    void aSubsetOfThePartiesOrAnotherMaskDecryptsToNoise() throws Exception {
        Group g = new Group(PARAMS, 3);
        Encoder enc = new Encoder(PARAMS);
        double[] v = TestSupport.randomValues(PARAMS.maxSlots(), 5);
        List<byte[]> two = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            two.add(new KeyShareEncryptor(g.secrets.get(i)).encryptCompressed(seed(2), enc, v, null,
                    PARAMS.maxSlots(), SCALE, BITS));
        }
        double[] got = g.decrypt(aggregate(g, two, seed(2)), Smudging.withStandardDeviation(1 << 10));
        // the missing party's a·s_3 is uniform mod q ≈ 2^60: values of order 2^20 after the 2^40 scale
        assertThat(Group.maxAbs(got)).isGreaterThan(1e4);
        List<byte[]> all = new ArrayList<>(two);
        all.add(new KeyShareEncryptor(g.secrets.get(2)).encryptCompressed(seed(3), enc, v, null, PARAMS.maxSlots(),
                SCALE, BITS)); // encrypted under another mask
        assertThat(Group.maxAbs(g.decrypt(aggregate(g, all, seed(2)), Smudging.withStandardDeviation(1 << 10))))
                .isGreaterThan(1e4);
    }

    @Test
    void theMaskIsTheSeedsAndEachUploadIsFresh() {
        assertThat(KeyShareEncryptor.commonMask(PARAMS, seed(4)).limb(0))
                .isEqualTo(KeyShareEncryptor.commonMask(PARAMS, seed(4)).limb(0))
                .isNotEqualTo(KeyShareEncryptor.commonMask(PARAMS, seed(5)).limb(0));
        Group g = new Group(PARAMS, 2);
        Encoder enc = new Encoder(PARAMS);
        KeyShareEncryptor e = new KeyShareEncryptor(g.secrets.get(0));
        double[] v = {1, 2, 3};
        // at full width (compression to 45 bits would round the error of σ 3.2 away in most coefficients)
        assertThat(e.encryptCompressed(seed(6), enc, v, null, 4, SCALE, 60))
                .as("fresh error per upload").isNotEqualTo(e.encryptCompressed(seed(6), enc, v, null, 4, SCALE, 60));
        assertThat(e.encryptCompressed(seed(6), enc, v, null, 4, SCALE, BITS))
                .hasSize(org.glovebox.he.ckks.Serialization.compressedPartBytes(PARAMS, 0, BITS));
    }

    @Test
    void onlyAnAdditiveKeyShareAndValidInputsAreAccepted() {
        Session s = Session.create(PARAMS, 3, 2);
        SecretKeyShare own = SecretKeyShare.generate(PARAMS, s.party(0));
        List<List<Share>> inbox = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            inbox.add(new ArrayList<>());
        }
        List<SecretKeyShare> secrets = List.of(own, SecretKeyShare.generate(PARAMS, s.party(1)),
                SecretKeyShare.generate(PARAMS, s.party(2)));
        for (SecretKeyShare sk : secrets) {
            for (Share sh : new Thresholdizer(s).generateShares(sk)) {
                inbox.get(sh.recipient()).add(sh);
            }
        }
        Thresholdizer agg = new Thresholdizer(s);
        ShamirShare shamir = agg.finish(agg.aggregateShares(inbox.get(0)));
        SecretKeyShare combined = new Combiner(s).generateShare(shamir, List.of(s.party(0), s.party(1)));
        assertThatThrownBy(() -> new KeyShareEncryptor(combined)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("additive");
        KeyShareEncryptor e = new KeyShareEncryptor(own);
        Encoder other = new Encoder(TestSupport.smallParams());
        assertThatThrownBy(() -> e.encryptCompressed(seed(1), other, new double[] {1}, null, 2, SCALE, BITS))
                .isInstanceOf(IllegalArgumentException.class);
        Encoder enc = new Encoder(PARAMS);
        assertThatThrownBy(() -> e.encryptCompressed(seed(1), enc, new double[] {1}, null, 2, SCALE, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.encryptCompressed(seed(1), enc, new double[] {1}, null, 2, SCALE, 61))
                .isInstanceOf(IllegalArgumentException.class);
        own.destroy();
        assertThatThrownBy(() -> e.encryptCompressed(seed(1), enc, new double[] {1}, null, 2, SCALE, BITS))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new KeyShareEncryptor(own)).isInstanceOf(IllegalArgumentException.class);
    }
}

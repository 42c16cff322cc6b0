package org.glovebox.he.multiparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.TestSupport;
import org.glovebox.he.io.MalformedDataException;
import org.glovebox.he.io.ResidueCompression;
import org.glovebox.he.ring.Prng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compressed decryption shares: exact at full width, decryption within the derived bound at the width the flooding
 * noise allows, refusal of hostile input and of shares compression is not correct for.
 */
class CompressedShareTest {
    /** Offset of the first contributor index (as in {@link HostileInputTest}). */
    static final int FIRST_CONTRIBUTOR = HostileInputTest.FIRST_CONTRIBUTOR;
    /** One contributor: layout byte and width follow count and special-part flag. */
    static final int LEVEL = FIRST_CONTRIBUTOR - 16;
    static final int LAYOUT = FIRST_CONTRIBUTOR + 4 + 1 + 1;
    static final int WIDTH = LAYOUT + 1;

    static Parameters params;
    static Group group;
    static PublicKey pk;
    static Smudging smudging;

    @BeforeAll
    static void setUp() {
        params = Parameters.builder().logN(12).primeBits(new int[] {60}, new int[] {49}).logScale(50).build();
        group = new Group(params, 3);
        pk = group.publicKey();
        smudging = Smudging.forReleases(params, 200, 2 * Smudging.rescaledNoiseStd(params, 3));
    }

    private static Ciphertext fresh(double[] v) {
        return Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(v, 0, 0x1p50));
    }

    private static List<Share> shares(Ciphertext ct) {
        List<Share> out = new ArrayList<>();
        for (SecretKeyShare sk : group.secrets) {
            out.add(new KeySwitch(group.session, group.session.parties(), smudging).generateShare(sk, ct));
        }
        return out;
    }

    private static double[] decrypt(Ciphertext ct, List<Share> shares) {
        KeySwitch ks = new KeySwitch(group.session, group.session.parties(), smudging);
        Plaintext pt = ks.finishDecryption(ct, ks.aggregateShares(shares));
        return group.encoder.decode(pt);
    }

    @Test
    void fullWidthIsExactAndTheShareStillCombines() throws Exception {
        Ciphertext ct = fresh(new double[] {0.25, -0.5});
        List<Share> back = new ArrayList<>();
        for (Share s : shares(ct)) {
            byte[] b = MultipartySerialization.toCompressedBytes(s, 60);
            Share r = MultipartySerialization.compressedShareFromBytes(b, group.session, ProtocolType.KEY_SWITCH, 1);
            assertThat(r.q(0).limb(0)).containsExactly(s.q(0).limb(0));
            assertThat(r.contributors()).isEqualTo(s.contributors());
            assertThat(MultipartySerialization.toBytes(r)).isEqualTo(MultipartySerialization.toBytes(s));
            back.add(r);
        }
        double[] v = decrypt(ct, back);
        assertThat(v[0]).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void sharesCompressedToTheFloodingNoiseDecryptWithinTheBound() throws Exception {
        long q = params.q(0);
        int n = params.n();
        // the width whose step is at most σ_f: rounding variance ≤ σ_f²/12 next to σ_f² of flooding per share
        int bits = ResidueCompression.widthForStep(q, smudging.standardDeviation());
        assertThat(bits).isLessThan(50);
        double[] v = TestSupport.randomValues(n / 2, 5);
        Ciphertext ct = fresh(v);
        List<Share> plain = shares(ct);
        List<Share> compressed = new ArrayList<>();
        int size = 0;
        for (Share s : plain) {
            byte[] b = MultipartySerialization.toCompressedBytes(s, bits);
            size = b.length;
            compressed.add(MultipartySerialization.compressedShareFromBytes(b, group.session, ProtocolType.KEY_SWITCH,
                    1));
        }
        int full = MultipartySerialization.toBytes(plain.get(0)).length;
        assertThat((double) size / full).isCloseTo(bits / 60.0, org.assertj.core.data.Offset.offset(0.01));
        double[] exact = decrypt(ct, plain);
        double[] lossy = decrypt(ct, compressed);
        // difference: Σ over 3 shares of the rounding errors, per coefficient at most 3·(Δ/2 + 1/2); in a slot
        // the variance is 3·Var(δ)·N/2 (real and imaginary parts): within 6 standard deviations
        double var = ResidueCompression.errorVariance(q, bits);
        double slotStd = Math.sqrt(3 * var * n / 2) / 0x1p50;
        double floodStd = Math.sqrt(3 * Math.pow(smudging.standardDeviation(), 2) * n / 2) / 0x1p50;
        double maxDiff = 0;
        double sq = 0;
        for (int i = 0; i < exact.length; i++) {
            double d = lossy[i] - exact[i];
            maxDiff = Math.max(maxDiff, Math.abs(d));
            sq += d * d;
            assertThat(Math.abs(lossy[i] - v[i % v.length])).isLessThan(6 * Math.hypot(slotStd, floodStd));
        }
        assertThat(maxDiff).isLessThan(6 * slotStd);
        double measured = Math.sqrt(sq / exact.length);
        assertThat(measured / slotStd).isBetween(0.8, 1.2);
        // and below the flooding noise floor: at most a third of its standard deviation
        assertThat(slotStd).isLessThan(floodStd / 3);
    }

    /** Two instances of party i's decryption protocol drawing the same noise. */
    private static KeySwitch[] twins(byte[] seed) {
        KeySwitch a = new KeySwitch(group.session, group.session.parties(), smudging);
        KeySwitch b = new KeySwitch(group.session, group.session.parties(), smudging);
        a.useNoise(Prng.fromSeed(seed));
        b.useNoise(Prng.fromSeed(seed));
        return new KeySwitch[] {a, b};
    }

    private static SecretKeyShare copyOf(SecretKeyShare sk) throws java.io.IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        MultipartySerialization.writeSecretKeyShare(sk, b);
        return MultipartySerialization.readSecretKeyShare(new java.io.ByteArrayInputStream(b.toByteArray()), params);
    }

    @Test
    void theCoefficientFormShareIsTheSameShareAndCompressesToTheSameBytes() throws Exception {
        Ciphertext ct = fresh(TestSupport.randomValues(params.n() / 2, 11));
        for (int i = 0; i < group.secrets.size(); i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            KeySwitch[] twin = twins(seed);
            // two copies of the secret share: the guard on the share itself would refuse the second share
            SecretKeyShare copy = copyOf(group.secrets.get(i));
            Share ntt = twin[0].generateShare(copy, ct);
            Share coef = twin[1].generateShareInCoefficientForm(copyOf(group.secrets.get(i)), ct);
            assertThat(ntt.inCoefficientForm()).isFalse();
            assertThat(coef.inCoefficientForm()).isTrue();
            // the same polynomial: its transform is generateShare's
            assertThat(coef.qInNttForm(0).limb(0)).containsExactly(ntt.q(0).limb(0));
            // byte for byte the same on the wire, compressed and at full width
            for (int bits : new int[] {34, 47, 60}) {
                assertThat(MultipartySerialization.toCompressedBytes(coef, bits))
                        .isEqualTo(MultipartySerialization.toCompressedBytes(ntt, bits));
            }
            assertThat(MultipartySerialization.toBytes(coef)).isEqualTo(MultipartySerialization.toBytes(ntt));
            // the guard counts either method: no second share of the same ciphertext from the same secret share
            assertThatThrownBy(() -> twin[0].generateShareInCoefficientForm(copy, ct))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("would leak the secret");
        }
    }

    @Test
    void sharesCombinedInCoefficientFormDecryptAsInTheNttDomain() throws Exception {
        int bits = ResidueCompression.widthForStep(params.q(0), smudging.standardDeviation());
        double[] v = TestSupport.randomValues(params.n() / 2, 12);
        Ciphertext ct = fresh(v);
        List<Share> coef = new ArrayList<>();
        List<Share> ntt = new ArrayList<>();
        for (SecretKeyShare sk : group.secrets) {
            byte[] b = MultipartySerialization.toCompressedBytes(
                    new KeySwitch(group.session, group.session.parties(), smudging).generateShareInCoefficientForm(sk,
                            ct), bits);
            coef.add(MultipartySerialization.compressedShareCoefficientsFromBytes(b, group.session,
                    ProtocolType.KEY_SWITCH, 1, bits));
            ntt.add(MultipartySerialization.compressedShareFromBytes(b, group.session, ProtocolType.KEY_SWITCH, 1,
                    bits));
        }
        KeySwitch ks = new KeySwitch(group.session, group.session.parties(), smudging);
        Share sumCoef = ks.aggregateShares(coef);
        Share sumNtt = ks.aggregateShares(ntt);
        assertThat(sumCoef.inCoefficientForm()).isTrue();
        // the same sum in both domains
        assertThat(sumCoef.qInNttForm(0).limb(0)).containsExactly(sumNtt.q(0).limb(0));
        // c_0 + Σ h_i in coefficient form decodes to what finishDecryption gives, bit for bit
        org.glovebox.he.ring.RnsPoly m = ks.combinedSharesInCoefficientForm(ct, sumCoef);
        org.glovebox.he.ring.RnsPoly c0 = org.glovebox.he.ckks.ProtocolAccess.ciphertextPart(ct, 0).copy();
        params.ringQ().intt(c0, org.glovebox.he.ring.Parallelism.SERIAL);
        params.ringQ().add(m, c0, m);
        double[][] viaCoefficients = group.encoder.decodeComplexFromCoefficients(m, ct.scale(), ct.slots());
        double[][] viaNtt = group.encoder.decodeComplex(ks.finishDecryption(ct, sumNtt));
        assertThat(viaCoefficients[0]).containsExactly(viaNtt[0]);
        assertThat(viaCoefficients[1]).containsExactly(viaNtt[1]);
        // finishDecryption also takes the coefficient-form aggregate (transformed on the way): same plaintext
        assertThat(group.encoder.decodeComplex(ks.finishDecryption(ct, sumCoef))[0]).containsExactly(viaNtt[0]);
        // and the plaintext twin: within the flooding noise (6 standard deviations per slot)
        double floodStd = Math.sqrt(3 * Math.pow(smudging.standardDeviation(), 2) * params.n() / 2) / 0x1p50;
        for (int i = 0; i < v.length; i++) {
            assertThat(Math.abs(viaCoefficients[0][i] - v[i])).isLessThan(6 * floodStd + 1e-9);
        }
        // forms never mix, and the NTT-domain aggregate is refused where coefficients are promised
        assertThatThrownBy(() -> ks.aggregateShares(coef.get(0), ntt.get(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coefficient form");
        assertThatThrownBy(() -> ks.combinedSharesInCoefficientForm(ct, sumNtt))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NTT domain");
        // the same completeness and binding checks as finishDecryption
        assertThatThrownBy(() -> ks.combinedSharesInCoefficientForm(ct, ks.aggregateShares(coef.subList(0, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> ks.combinedSharesInCoefficientForm(fresh(v), sumCoef))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different ciphertext");
    }

    @Test
    void coefficientFormSharesAboveLevelZeroDecryptThroughFinishDecryption() throws Exception {
        // several primes (the small insecure test ring): the coefficient form is per limb, and finishDecryption
        // transforms the aggregate of such shares back; the full-width format stays in the NTT domain
        Parameters small = TestSupport.smallParams();
        Group g = new Group(small, 3);
        Ciphertext ct = Encryptor.withPublicKey(g.publicKey()).encrypt(g.encoder.encode(
                TestSupport.randomValues(small.maxSlots(), 21)));
        assertThat(ct.level()).isGreaterThan(0);
        Smudging minimal = Smudging.withStandardDeviation(3.2);
        List<Share> coef = new ArrayList<>();
        List<Share> ntt = new ArrayList<>();
        for (SecretKeyShare sk : g.secrets) {
            Share c = new KeySwitch(g.session, g.session.parties(), minimal).generateShareInCoefficientForm(sk, ct);
            coef.add(c);
            ntt.add(MultipartySerialization.shareFromBytes(MultipartySerialization.toBytes(c), g.session,
                    ProtocolType.KEY_SWITCH, 1));
        }
        KeySwitch ks = new KeySwitch(g.session, g.session.parties(), minimal);
        double[] viaCoefficients = g.encoder.decode(ks.finishDecryption(ct, ks.aggregateShares(coef)));
        double[] viaNtt = g.encoder.decode(ks.finishDecryption(ct, ks.aggregateShares(ntt)));
        assertThat(viaCoefficients).containsExactly(viaNtt);
        assertThat(TestSupport.precisionBits(TestSupport.randomValues(small.maxSlots(), 21), viaCoefficients))
                .isGreaterThan(25);
        // compression is for one prime only, whatever the form
        assertThatThrownBy(() -> MultipartySerialization.toCompressedBytes(coef.get(0), 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level");
    }

    @Test
    void theCoefficientReaderRefusesHostileInputAsTheOtherReaderDoes() throws Exception {
        Ciphertext ct = fresh(new double[] {1});
        byte[] good = MultipartySerialization.toCompressedBytes(shares(ct).get(0), 40);
        for (int len = 0; len < good.length; len += len < WIDTH + 16 ? 1 : 1009) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> MultipartySerialization.compressedShareCoefficientsFromBytes(cut, group.session,
                    ProtocolType.KEY_SWITCH, 1, 40)).isInstanceOf(MalformedDataException.class);
        }
        assertThatThrownBy(() -> MultipartySerialization.compressedShareCoefficientsFromBytes(good, group.session,
                ProtocolType.KEY_SWITCH, 1, 41)).hasMessageContaining("expected 41");
        assertThatThrownBy(() -> MultipartySerialization.compressedShareCoefficientsFromBytes(
                Arrays.copyOf(good, good.length + 1), group.session, ProtocolType.KEY_SWITCH, 1, 40))
                .hasMessageContaining("unexpected bytes");
        assertThatThrownBy(() -> MultipartySerialization.compressedShareCoefficientsFromBytes(good,
                Session.create(params, 3), ProtocolType.KEY_SWITCH, 1, 40)).hasMessageContaining("another session");
        // decompressed residues are in [0, q)
        Share s = MultipartySerialization.compressedShareCoefficientsFromBytes(good, group.session,
                ProtocolType.KEY_SWITCH, 1, 40);
        for (long x : s.q(0).limb(0)) {
            assertThat(x).isBetween(0L, params.q(0) - 1);
        }
    }

    @Test
    void hostileInputIsRefusedWithAClearError() throws Exception {
        Ciphertext ct = fresh(new double[] {1});
        Share s = shares(ct).get(0);
        byte[] good = MultipartySerialization.toCompressedBytes(s, 40);
        assertThat(good[WIDTH]).isEqualTo((byte) 40);
        for (int len = 0; len < good.length; len += len < WIDTH + 16 ? 1 : 1009) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThatThrownBy(() -> read(cut)).isInstanceOf(MalformedDataException.class);
        }
        assertThatThrownBy(() -> read(Arrays.copyOf(good, good.length + 3))).hasMessageContaining("unexpected bytes");
        // a receiver that requires the width its noise budget assumes refuses others
        assertThat(MultipartySerialization.compressedShareFromBytes(good, group.session, ProtocolType.KEY_SWITCH, 1,
                40).level()).isZero();
        assertThatThrownBy(() -> MultipartySerialization.compressedShareFromBytes(good, group.session,
                ProtocolType.KEY_SWITCH, 1, 41)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("expected 41");
        for (int w : new int[] {0, 61, 64, 65, 255}) {
            byte[] bad = good.clone();
            bad[WIDTH] = (byte) w;
            assertThatThrownBy(() -> read(bad)).isInstanceOf(MalformedDataException.class)
                    .hasMessageContaining("width " + w);
        }
        byte[] wider = good.clone();
        wider[WIDTH] = 50; // claims more data than the input holds
        assertThatThrownBy(() -> read(wider)).hasMessageContaining("truncated");
        byte[] layout = good.clone();
        layout[LAYOUT] = 7;
        assertThatThrownBy(() -> read(layout)).hasMessageContaining("layout 7");
        byte[] level = good.clone();
        level[LEVEL + 3] = 1;
        assertThatThrownBy(() -> read(level)).isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("level");
        byte[] contributors = good.clone();
        contributors[FIRST_CONTRIBUTOR - 1] = 9; // claims 9 contributors in a group of 3
        assertThatThrownBy(() -> read(contributors)).hasMessageContaining("contributor count");
        // another session, protocol, parameter set; the standard format read as compressed and the reverse
        Session other = Session.create(params, 3);
        assertThatThrownBy(() -> MultipartySerialization.compressedShareFromBytes(good, other, ProtocolType.KEY_SWITCH,
                1)).hasMessageContaining("another session");
        assertThatThrownBy(() -> MultipartySerialization.compressedShareFromBytes(good, group.session,
                ProtocolType.PUBLIC_KEY_SWITCH, 1)).hasMessageContaining("expected a PUBLIC_KEY_SWITCH");
        Session small = Session.create(TestSupport.smallParams(), 3);
        assertThatThrownBy(() -> MultipartySerialization.compressedShareFromBytes(good, small, ProtocolType.KEY_SWITCH,
                1)).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> read(MultipartySerialization.toBytes(s))).hasMessageContaining("MULTIPARTY_SHARE");
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(good, group.session, ProtocolType.KEY_SWITCH,
                1)).hasMessageContaining("COMPRESSED_MULTIPARTY_SHARE");
    }

    private static Share read(byte[] b) throws MalformedDataException {
        return MultipartySerialization.compressedShareFromBytes(b, group.session, ProtocolType.KEY_SWITCH, 1);
    }

    @Test
    void theWriterRefusesKeyGenerationSharesAndBadWidths() {
        Group fresh = new Group(params, 3);
        Share keyGen = new PublicKeyGen(fresh.session).generateShare(fresh.secrets.get(0));
        assertThatThrownBy(() -> MultipartySerialization.toCompressedBytes(keyGen, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PUBLIC_KEY_GEN");
        Share s = shares(fresh(new double[] {1})).get(1);
        for (int w : new int[] {0, -3, 61, 64, 65}) {
            assertThatThrownBy(() -> MultipartySerialization.toCompressedBytes(s, w))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
        }
    }
}

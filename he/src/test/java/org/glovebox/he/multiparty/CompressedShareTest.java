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

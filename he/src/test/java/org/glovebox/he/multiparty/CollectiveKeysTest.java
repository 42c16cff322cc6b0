package org.glovebox.he.multiparty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.TestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** N-out-of-N: collective keys work like single-key CKKS, and only all parties together decrypt. */
class CollectiveKeysTest {
    private static final Parameters PARAMS = TestSupport.smallParams();

    @ParameterizedTest(name = "{0} parties")
    @ValueSource(ints = {2, 3, 5, 10})
    void collectiveKeysEncryptMultiplyRotateAndDecrypt(int n) {
        Group group = new Group(PARAMS, n);
        PublicKey pk = group.publicKey();
        RelinearizationKey rlk = group.relinearizationKey();
        GaloisKeys gks = group.galoisKeys(new int[] {1, 5});
        Evaluator eval = new Evaluator(PARAMS, rlk, gks);
        Encryptor enc = Encryptor.withPublicKey(pk);
        int slots = PARAMS.maxSlots();
        double[] x = TestSupport.randomValues(slots, 1);
        double[] y = TestSupport.randomValues(slots, 2);
        Ciphertext cx = enc.encrypt(group.encoder.encode(x));
        Ciphertext cy = enc.encrypt(group.encoder.encode(y));
        Ciphertext prod = eval.multiplyRelinRescale(cx, cy);
        Ciphertext rot = eval.rotate(cx, 5);

        double[] expectProd = new double[slots];
        double[] expectRot = new double[slots];
        for (int i = 0; i < slots; i++) {
            expectProd[i] = x[i] * y[i];
            expectRot[i] = x[(i + 5) % slots];
        }
        // The keys themselves: decrypt with minimal flooding, the precision of single-key CKKS at this ring.
        Smudging minimal = Smudging.withStandardDeviation(3.2);
        assertThat(TestSupport.precisionBits(x, group.decrypt(cx, minimal))).isGreaterThan(25);
        assertThat(TestSupport.precisionBits(expectProd, group.decrypt(prod, minimal))).isGreaterThan(22);
        assertThat(TestSupport.precisionBits(expectRot, group.decrypt(rot, minimal))).isGreaterThan(22);
        // Default flooding (sigma ~ 2^17 at N = 2^11) costs the precision the Smudging javadoc states. Each
        // ciphertext may be decrypted once per session (the guard), so fresh ones are computed.
        Ciphertext cx2 = enc.encrypt(group.encoder.encode(x));
        Smudging def = Smudging.defaultFor(PARAMS);
        assertThat(TestSupport.precisionBits(expectProd, group.decrypt(eval.multiplyRelinRescale(cx2, cy), def)))
                .isGreaterThan(11);
        assertThat(TestSupport.precisionBits(expectRot, group.decrypt(eval.rotate(cx2, 5), def))).isGreaterThan(11);
    }

    @ParameterizedTest(name = "{0} parties")
    @ValueSource(ints = {2, 3, 5})
    void noSinglePartyNorAllButOneCanDecrypt(int n) {
        Group group = new Group(PARAMS, n);
        PublicKey pk = group.publicKey();
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 3);
        Ciphertext ct = Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(x));
        Smudging minimal = Smudging.withStandardDeviation(3.2);

        // One party alone, with its own share as if it were the key.
        double[] alone = group.encoder.decode(
                new org.glovebox.he.ckks.Decryptor(group.secrets.get(0).toSecretKey()).decrypt(ct));
        assertThat(Group.maxAbs(alone)).isGreaterThan(1e6);

        // N - 1 of N: the aggregator refuses; forced, the result is noise of the order of Q / scale.
        KeySwitch aggregator = new KeySwitch(group.session, group.session.parties(), minimal);
        List<Share> shares = new ArrayList<>();
        for (int i = 0; i < n - 1; i++) {
            shares.add(new KeySwitch(group.session, group.session.parties(), minimal)
                    .generateShare(group.secrets.get(i), ct));
        }
        Share partial = aggregator.aggregateShares(shares);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> aggregator.finishDecryption(ct, partial))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing parties: " + (n - 1));
        double[] forced = group.encoder.decode(aggregator.finishDecryptionUnchecked(ct, partial));
        assertThat(Group.maxAbs(forced)).isGreaterThan(1e6);
    }
}

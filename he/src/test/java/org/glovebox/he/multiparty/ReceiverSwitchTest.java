package org.glovebox.he.multiparty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Decryptor;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.KeyGenerator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.SecretKey;
import org.glovebox.he.ckks.TestSupport;
import org.junit.jupiter.api.Test;

/** Releasing a result to one named receiver: only that receiver decrypts. */
class ReceiverSwitchTest {
    static final Parameters PARAMS = TestSupport.smallParams();

    @Test
    void keySwitchToAnInternalReceiversSecretKey() {
        Group group = new Group(PARAMS, 4);
        PublicKey pk = group.publicKey();
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 31);
        Ciphertext ct = Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(x));
        // Party 2 is the receiver: it has its own, separate CKKS key pair and passes that key as its output share.
        KeyGenerator kg = new KeyGenerator(PARAMS);
        SecretKey receiver = kg.generateSecretKey();
        SecretKeyShare receiverOut = SecretKeyShare.fromSecretKey(receiver, group.session.party(2));
        KeySwitch aggregator = new KeySwitch(group.session);
        List<Share> shares = new ArrayList<>();
        for (SecretKeyShare sk : group.secrets) {
            SecretKeyShare out = sk.owner().index() == 2 ? receiverOut : null;
            shares.add(new KeySwitch(group.session).generateShare(sk, out, ct));
        }
        Ciphertext forReceiver = aggregator.finish(ct, aggregator.aggregateShares(shares));

        double[] got = group.encoder.decode(new Decryptor(receiver).decrypt(forReceiver));
        assertThat(TestSupport.precisionBits(x, got)).isGreaterThan(12);
        // Nobody else: another key, a party's own share, and the (published) aggregate read as a plaintext.
        double[] other = group.encoder.decode(new Decryptor(kg.generateSecretKey()).decrypt(forReceiver));
        assertThat(Group.maxAbs(other)).isGreaterThan(1e6);
        double[] party0 = group.encoder.decode(new Decryptor(group.secrets.get(0).toSecretKey()).decrypt(forReceiver));
        assertThat(Group.maxAbs(party0)).isGreaterThan(1e6);
        double[] asPlain = group.encoder.decode(org.glovebox.he.ckks.ProtocolAccess.plaintext(PARAMS,
                org.glovebox.he.ckks.ProtocolAccess.ciphertextPart(forReceiver, 0), forReceiver.level(),
                forReceiver.scale(), forReceiver.slots()));
        assertThat(Group.maxAbs(asPlain)).isGreaterThan(1e6);
    }

    @Test
    void publicKeySwitchToAnExternalReceiver() {
        Group group = new Group(PARAMS, 3);
        PublicKey pk = group.publicKey();
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 32);
        Ciphertext ct = Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(x));
        // The receiver (e.g. a study statistician) publishes only its public key.
        KeyGenerator kg = new KeyGenerator(PARAMS);
        SecretKey receiver = kg.generateSecretKey();
        PublicKey receiverPk = kg.generatePublicKey(receiver);
        PublicKeySwitch aggregator = new PublicKeySwitch(group.session, receiverPk);
        Share acc = aggregator.allocateShare(ct);
        for (SecretKeyShare sk : group.secrets) {
            acc = aggregator.aggregateShares(acc, new PublicKeySwitch(group.session, receiverPk).generateShare(sk, ct));
        }
        Ciphertext forReceiver = aggregator.finish(ct, acc);
        assertThat(TestSupport.precisionBits(x, group.encoder.decode(new Decryptor(receiver).decrypt(forReceiver))))
                .isGreaterThan(12);
        assertThat(Group.maxAbs(group.encoder.decode(new Decryptor(kg.generateSecretKey()).decrypt(forReceiver))))
                .isGreaterThan(1e6);
        for (SecretKeyShare sk : group.secrets) {
            assertThat(Group.maxAbs(group.encoder.decode(new Decryptor(sk.toSecretKey()).decrypt(forReceiver))))
                    .isGreaterThan(1e6);
        }
    }
}

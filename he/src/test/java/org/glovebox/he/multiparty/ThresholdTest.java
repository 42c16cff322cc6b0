package org.glovebox.he.multiparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.TestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** t-out-of-N with N = 5, t = 3: every 3 parties decrypt, 2 cannot. */
class ThresholdTest {
    static final Parameters PARAMS = TestSupport.smallParams();
    static Group group;
    static List<ShamirShare> shamir;
    static PublicKey pk;

    @BeforeAll
    static void setUp() {
        group = new Group(Session.create(PARAMS, 5, 3));
        pk = group.publicKey();
        // Thresholdizer: every party re-shares its secret; party j sums the 5 shares addressed to it.
        Session s = group.session;
        List<List<Share>> inbox = new ArrayList<>();
        for (int j = 0; j < 5; j++) {
            inbox.add(new ArrayList<>());
        }
        for (SecretKeyShare sk : group.secrets) {
            Thresholdizer t = new Thresholdizer(s);
            for (Share sh : t.generateShares(sk)) {
                inbox.get(sh.recipient()).add(sh);
            }
            t.destroy();
        }
        shamir = new ArrayList<>();
        Thresholdizer aggregator = new Thresholdizer(s);
        for (int j = 0; j < 5; j++) {
            shamir.add(aggregator.finish(aggregator.aggregateShares(inbox.get(j))));
        }
    }

    private static double[] decryptWith(List<PartyId> active, Ciphertext ct) {
        Combiner combiner = new Combiner(group.session);
        List<SecretKeyShare> shares = new ArrayList<>();
        for (PartyId p : active) {
            shares.add(combiner.generateShare(shamir.get(p.index()), active));
        }
        return group.decrypt(ct, Smudging.defaultFor(PARAMS), shares, active);
    }

    @Test
    void everyThreeOfFiveDecrypt() {
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 21);
        Encryptor enc = Encryptor.withPublicKey(pk);
        int subsets = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                for (int c = b + 1; c < 5; c++) {
                    List<PartyId> active = List.of(group.session.party(a), group.session.party(b),
                            group.session.party(c));
                    Ciphertext ct = enc.encrypt(group.encoder.encode(x));
                    assertThat(TestSupport.precisionBits(x, decryptWith(active, ct)))
                            .as("parties %s", active).isGreaterThan(12);
                    subsets++;
                }
            }
        }
        assertThat(subsets).isEqualTo(10);
        // Four or five parties work too.
        Ciphertext ct = enc.encrypt(group.encoder.encode(x));
        assertThat(TestSupport.precisionBits(x, decryptWith(group.session.parties().subList(0, 4), ct)))
                .isGreaterThan(12);
    }

    @Test
    void twoOfFiveAreRefusedAndForcedDecryptionIsNoise() {
        List<PartyId> two = List.of(group.session.party(1), group.session.party(3));
        Combiner combiner = new Combiner(group.session);
        assertThatThrownBy(() -> combiner.generateShare(shamir.get(1), two))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least t = 3 of the 5 parties, got 2");
        assertThatThrownBy(() -> new KeySwitch(group.session, two, Smudging.defaultFor(PARAMS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least t = 3");

        // Forced: Lagrange interpolation through 2 points of a degree-2 polynomial gives a wrong "secret".
        Session forcedSession = Session.of(PARAMS, group.session.id(), group.session.crsSeed(),
                group.session.parties(), 2);
        List<SecretKeyShare> shares = new ArrayList<>();
        for (PartyId p : two) {
            shares.add(new Combiner(forcedSession).combineUnchecked(shamir.get(p.index()), two));
        }
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 22);
        Ciphertext ct = Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(x));
        KeySwitch ks = new KeySwitch(forcedSession, two, Smudging.defaultFor(PARAMS));
        List<Share> dec = new ArrayList<>();
        for (SecretKeyShare sk : shares) {
            dec.add(new KeySwitch(forcedSession, two, Smudging.defaultFor(PARAMS)).generateShare(sk, ct));
        }
        double[] garbage = group.encoder.decode(ks.finishDecryption(ct, ks.aggregateShares(dec)));
        assertThat(Group.maxAbs(garbage)).isGreaterThan(1e6);
    }

    @Test
    void combinedSharesAreBoundToTheirActiveSet() {
        List<PartyId> abc = List.of(group.session.party(0), group.session.party(1), group.session.party(2));
        List<PartyId> abd = List.of(group.session.party(0), group.session.party(1), group.session.party(3));
        SecretKeyShare forAbc = new Combiner(group.session).generateShare(shamir.get(0), abc);
        Ciphertext ct = Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(new double[] {1}));
        assertThatThrownBy(() -> new KeySwitch(group.session, abd, Smudging.defaultFor(PARAMS))
                .generateShare(forAbc, ct))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("combined for");
        // An N-out-of-N share cannot be used in a run of fewer parties.
        assertThatThrownBy(() -> new KeySwitch(group.session, abc, Smudging.defaultFor(PARAMS))
                .generateShare(group.secrets.get(0), ct))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("combine each Shamir share");
        // A party outside the active set cannot take part.
        SecretKeyShare forAbd = new Combiner(group.session).generateShare(shamir.get(3), abd);
        assertThatThrownBy(() -> new KeySwitch(group.session, abc, Smudging.defaultFor(PARAMS))
                .generateShare(forAbd, ct))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in this run's active set");
    }

    @Test
    void aDropoutMidDecryptionIsRecoveredWithAnotherActiveSetOnAReRandomizedCiphertext() {
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 24);
        Ciphertext ct = Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(x));
        Session s = group.session;
        List<PartyId> first = List.of(s.party(0), s.party(1), s.party(2));
        Combiner combiner = new Combiner(s);
        Smudging smudging = Smudging.defaultFor(PARAMS);
        // Parties 0 and 1 send their shares; party 2 drops out before sending.
        new KeySwitch(s, first, smudging).generateShare(combiner.generateShare(shamir.get(0), first), ct);
        new KeySwitch(s, first, smudging).generateShare(combiner.generateShare(shamir.get(1), first), ct);
        // The coordinator picks {0, 1, 3}. The same ciphertext is refused: a second share of it would leak.
        List<PartyId> second = List.of(s.party(0), s.party(1), s.party(3));
        assertThatThrownBy(() -> new KeySwitch(s, second, smudging)
                .generateShare(combiner.generateShare(shamir.get(0), second), ct))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already produced");
        // A re-randomized copy decrypts with the new set.
        Ciphertext again = KeySwitch.rerandomize(ct, pk);
        assertThat(TestSupport.precisionBits(x, decryptWith(second, again))).isGreaterThan(12);
    }

    @Test
    void rotationKeysCanBeGeneratedByThreeOfFive() {
        List<PartyId> active = List.of(group.session.party(0), group.session.party(2), group.session.party(4));
        Combiner combiner = new Combiner(group.session);
        GaloisKeyGen aggregator = new GaloisKeyGen(group.session, active);
        int g = GaloisKeyGen.elementsFor(PARAMS, new int[] {1}, false)[0];
        List<Share> shares = new ArrayList<>();
        List<SecretKeyShare> combined = new ArrayList<>();
        for (PartyId p : active) {
            SecretKeyShare sk = combiner.generateShare(shamir.get(p.index()), active);
            combined.add(sk);
            shares.add(new GaloisKeyGen(group.session, active).generateShare(sk, g));
        }
        var gks = aggregator.finish(aggregator.aggregateShares(shares));
        var eval = new org.glovebox.he.ckks.Evaluator(PARAMS, null, gks);
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 23);
        double[] rot = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            rot[i] = x[(i + 1) % x.length];
        }
        Ciphertext ct = eval.rotate(Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(x)), 1);
        assertThat(TestSupport.precisionBits(rot, group.decrypt(ct, Smudging.defaultFor(PARAMS), combined, active)))
                .isGreaterThan(12);
    }
}

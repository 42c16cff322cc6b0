package org.glovebox.he.multiparty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.Evaluator;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.ckks.TestSupport;
import org.glovebox.he.io.MalformedDataException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Serialization of every multiparty object, and refusal of truncated, mismatched or replayed input. */
class HostileInputTest {
    static final Parameters PARAMS = TestSupport.smallParams();
    /** Offset of the first contributor index in a serialized share. */
    static final int FIRST_CONTRIBUTOR = 4 + 2 + 1 + 32 + 1 + 1 + Session.ID_BYTES + 32 + 4 + 4 + 4 + 4;
    static Group group;
    static PublicKey pk;

    @BeforeAll
    static void setUp() {
        group = new Group(PARAMS, 3);
        pk = group.publicKey();
    }

    private static byte[] bytes(Object o) {
        return MultipartySerialization.toBytes(o);
    }

    private Ciphertext freshCiphertext(double v) {
        return Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(new double[] {v, -v}));
    }

    @Test
    void everyShareRoundTripsAndTheProtocolsStillWork() throws Exception {
        Session s = group.session;
        // Public key from serialized shares.
        PublicKeyGen pkg = new PublicKeyGen(s);
        List<Share> pkShares = new ArrayList<>();
        Group other = new Group(s.parameters(), 3);
        Session s2 = Session.of(PARAMS, other.session.id(), other.session.crsSeed(), other.session.parties(), 3);
        for (SecretKeyShare sk : other.secrets) {
            Share sh = new PublicKeyGen(s2).generateShare(sk);
            byte[] b = bytes(sh);
            Share back = MultipartySerialization.shareFromBytes(b, s2, ProtocolType.PUBLIC_KEY_GEN, 1);
            assertThat(bytes(back)).isEqualTo(b);
            pkShares.add(back);
        }
        PublicKeyGen pkgOther = new PublicKeyGen(s2);
        PublicKey otherPk = pkgOther.finish(pkgOther.aggregateShares(pkShares));
        assertThat(Serialization.toBytes(otherPk)).hasSizeGreaterThan(32);

        // Relinearization key from serialized round-1 and round-2 shares; the key itself round-trips in full.
        List<RelinKeyGen> inst = new ArrayList<>();
        List<Share> r1 = new ArrayList<>();
        for (SecretKeyShare sk : other.secrets) {
            RelinKeyGen g = new RelinKeyGen(s2);
            inst.add(g);
            r1.add(MultipartySerialization.shareFromBytes(bytes(g.generateShareRoundOne(sk)), s2,
                    ProtocolType.RELIN_KEY_GEN, 1));
        }
        RelinKeyGen agg = new RelinKeyGen(s2);
        Share a1 = MultipartySerialization.shareFromBytes(bytes(agg.aggregateShares(r1)), s2,
                ProtocolType.RELIN_KEY_GEN, 1);
        List<Share> r2 = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            r2.add(MultipartySerialization.shareFromBytes(bytes(inst.get(i).generateShareRoundTwo(
                    other.secrets.get(i), a1)), s2, ProtocolType.RELIN_KEY_GEN, 2));
        }
        RelinearizationKey rlk = agg.finish(a1, agg.aggregateShares(r2));
        byte[] rlkBytes = Serialization.toBytes(rlk);
        RelinearizationKey rlkBack = Serialization.fromBytes(rlkBytes,
                in -> Serialization.readRelinearizationKey(in, PARAMS));
        assertThat(Serialization.toBytes(rlkBack)).isEqualTo(rlkBytes);
        double[] x = TestSupport.randomValues(PARAMS.maxSlots(), 41);
        double[] sq = Arrays.stream(x).map(v -> v * v).toArray();
        Ciphertext ct = Encryptor.withPublicKey(otherPk).encrypt(other.encoder.encode(x));
        Ciphertext prod = new Evaluator(PARAMS, rlkBack, null).multiplyRelinRescale(ct, ct);
        assertThat(TestSupport.precisionBits(sq, other.decrypt(prod, Smudging.defaultFor(PARAMS)))).isGreaterThan(11);

        // Key-switch and public-key-switch shares.
        Ciphertext c = freshCiphertext(0.5);
        Share ks = new KeySwitch(s).generateShare(group.secrets.get(0), c);
        assertThat(bytes(MultipartySerialization.shareFromBytes(bytes(ks), s, ProtocolType.KEY_SWITCH, 1)))
                .isEqualTo(bytes(ks));
        Share pks = new PublicKeySwitch(s, otherPk).generateShare(group.secrets.get(0), c);
        assertThat(bytes(MultipartySerialization.shareFromBytes(bytes(pks), s, ProtocolType.PUBLIC_KEY_SWITCH, 1)))
                .isEqualTo(bytes(pks));
        // Galois share.
        Share gs = new GaloisKeyGen(s2).generateShare(other.secrets.get(0), 5);
        assertThat(bytes(MultipartySerialization.shareFromBytes(bytes(gs), s2, ProtocolType.GALOIS_KEY_GEN, 1)))
                .isEqualTo(bytes(gs));
    }

    @Test
    void secretSharesRoundTrip() throws Exception {
        SecretKeyShare sk = SecretKeyShare.generate(PARAMS, PartyId.of(1));
        byte[] b = bytes(sk);
        assertThat(b.length).isLessThan(PARAMS.n() / 4 + 100);
        SecretKeyShare back = Serialization.fromBytes(b, in -> MultipartySerialization.readSecretKeyShare(in, PARAMS));
        assertThat(bytes(back)).isEqualTo(b);
        assertThat(back.owner()).isEqualTo(PartyId.of(1));

        Session s = Session.create(PARAMS, 3, 2);
        Thresholdizer t = new Thresholdizer(s);
        Share toParty0 = t.generateShare(sk, s.party(0));
        byte[] tb = bytes(toParty0);
        Share tback = MultipartySerialization.shareFromBytes(tb, s, ProtocolType.THRESHOLDIZER, 1);
        assertThat(tback.recipient()).isZero();
        // A Shamir share (here from a forced single contribution, only to exercise the format) and a combined share.
        Thresholdizer agg = new Thresholdizer(s);
        assertThatThrownBy(() -> agg.finish(tback))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing parties: 0, 2");
    }

    @Test
    void truncatedTrailingAndOutOfRangeInputIsRefused() {
        Share sh = new KeySwitch(group.session).generateShare(group.secrets.get(1), freshCiphertext(1));
        byte[] b = bytes(sh);
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(Arrays.copyOf(b, b.length - 7), group.session,
                ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(Arrays.copyOf(b, 20), group.session,
                ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(Arrays.copyOf(b, b.length + 3), group.session,
                ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("unexpected bytes");
        byte[] bad = b.clone();
        Arrays.fill(bad, bad.length - 40, bad.length - 30, (byte) 0xFF);
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(bad, group.session, ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("not below its modulus");
        byte[] outside = b.clone();
        ByteBuffer.wrap(outside).putInt(FIRST_CONTRIBUTOR, 7);
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(outside, group.session,
                ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("party 7 is outside the group of 3");
        byte[] badSecret = bytes(group.secrets.get(0));
        assertThatThrownBy(() -> Serialization.fromBytes(Arrays.copyOf(badSecret, badSecret.length - 1),
                in -> MultipartySerialization.readSecretKeyShare(in, PARAMS)))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("truncated");
    }

    @Test
    void sharesFromAnotherParameterSetSessionProtocolOrRoundAreRefused() {
        Share sh = new KeySwitch(group.session).generateShare(group.secrets.get(2), freshCiphertext(2));
        byte[] b = bytes(sh);
        Parameters otherParams = Parameters.builder().logN(11).primeBits(new int[] {55, 40, 40}, new int[] {50})
                .logScale(40).insecureForTestingOnly().build();
        Session otherParamSession = Session.create(otherParams, 3);
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(b, otherParamSession,
                ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("different parameter set");
        Session otherSession = Session.create(PARAMS, 3);
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(b, otherSession, ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("another session");
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(b, group.session,
                ProtocolType.PUBLIC_KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class)
                .hasMessageContaining("expected a PUBLIC_KEY_SWITCH share but the data holds a KEY_SWITCH share");
        // Round: a relinearization round-1 share offered as round 2.
        Group g = new Group(PARAMS, 2);
        Share r1 = new RelinKeyGen(g.session).generateShareRoundOne(g.secrets.get(0));
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(bytes(r1), g.session,
                ProtocolType.RELIN_KEY_GEN, 2))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("round 2");
        // Wrong object type altogether.
        assertThatThrownBy(() -> MultipartySerialization.shareFromBytes(Serialization.toBytes(pk), group.session,
                ProtocolType.KEY_SWITCH, 1))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("expected a MULTIPARTY_SHARE");
        // In memory: the aggregator refuses the same mismatches.
        KeySwitch ks = new KeySwitch(group.session);
        Share other = new KeySwitch(otherSession).allocateShare(freshCiphertext(3));
        assertThatThrownBy(() -> ks.aggregateShares(sh, other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another session");
        Share pkShare = new PublicKeyGen(g.session).allocateShare();
        assertThatThrownBy(() -> ks.aggregateShares(sh, pkShare))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a KEY_SWITCH share");
    }

    @Test
    void sharesOfDifferentInputsOrTheSamePartyTwiceDoNotMix() {
        KeySwitch ks = new KeySwitch(group.session);
        Share a = new KeySwitch(group.session).generateShare(group.secrets.get(0), freshCiphertext(4));
        Share b = new KeySwitch(group.session).generateShare(group.secrets.get(1), freshCiphertext(5));
        assertThatThrownBy(() -> ks.aggregateShares(a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different input");
        assertThatThrownBy(() -> ks.aggregateShares(a, a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counted twice");
        Ciphertext c = freshCiphertext(6);
        List<Share> all = new ArrayList<>();
        for (SecretKeyShare sk : group.secrets) {
            all.add(new KeySwitch(group.session).generateShare(sk, c));
        }
        Share agg = ks.aggregateShares(all);
        assertThatThrownBy(() -> ks.finishDecryption(freshCiphertext(6), agg))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different ciphertext");
    }

    @Test
    void anAccumulatorTurnedIntoAKeyCannotBeAddedTo() {
        Group g = new Group(PARAMS, 2);
        PublicKeyGen agg = new PublicKeyGen(g.session);
        Share acc = agg.allocateShare();
        assertThat(acc.isAccumulator()).isTrue();
        acc = agg.aggregateShares(acc, new PublicKeyGen(g.session).generateShare(g.secrets.get(0)));
        acc = agg.aggregateShares(acc, new PublicKeyGen(g.session).generateShare(g.secrets.get(1)));
        assertThat(acc.contributors()).containsExactly(0, 1);
        agg.finish(acc);
        Share done = acc;
        assertThat(done.isAccumulator()).isFalse();
        assertThatThrownBy(() -> agg.aggregateShares(done, agg.allocateShare()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already turned into a key");
    }

    @Test
    void aSecondShareForTheSameRoundIsRefused() {
        Group g = new Group(PARAMS, 2);
        SecretKeyShare sk = g.secrets.get(0);
        PublicKeyGen p = new PublicKeyGen(g.session);
        p.generateShare(sk);
        assertThatThrownBy(() -> p.generateShare(sk))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already generated its round 1 share");
        // A new instance does not help: the secret share keeps the record.
        assertThatThrownBy(() -> new PublicKeyGen(g.session).generateShare(sk))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already produced");
        RelinKeyGen r = new RelinKeyGen(g.session);
        r.generateShareRoundOne(sk);
        assertThatThrownBy(() -> r.generateShareRoundOne(sk)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RelinKeyGen(g.session).generateShareRoundTwo(sk, r.allocateShare()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("round 2 needs");
        Ciphertext c = Encryptor.withPublicKey(pk).encrypt(group.encoder.encode(new double[] {1}));
        new KeySwitch(group.session).generateShare(group.secrets.get(0), c);
        assertThatThrownBy(() -> new KeySwitch(group.session).generateShare(group.secrets.get(0), c))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fresh noise");
        new GaloisKeyGen(g.session).generateShare(sk, 5);
        assertThatThrownBy(() -> new GaloisKeyGen(g.session).generateShare(sk, 5))
                .isInstanceOf(IllegalStateException.class);
        // A party outside the group.
        SecretKeyShare stranger = SecretKeyShare.generate(PARAMS, new PartyId(1, 99));
        assertThatThrownBy(() -> new PublicKeyGen(g.session).generateShare(stranger))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a member");
    }
}

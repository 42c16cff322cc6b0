package org.glovebox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Encoder;
import org.glovebox.he.ckks.Encryptor;
import org.glovebox.he.ckks.GaloisKeys;
import org.glovebox.he.ckks.ParameterSets;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Plaintext;
import org.glovebox.he.ckks.PublicKey;
import org.glovebox.he.ckks.RelinearizationKey;
import org.glovebox.he.multiparty.Combiner;
import org.glovebox.he.multiparty.GaloisKeyGen;
import org.glovebox.he.multiparty.KeySwitch;
import org.glovebox.he.multiparty.PartyId;
import org.glovebox.he.multiparty.PublicKeyGen;
import org.glovebox.he.multiparty.PublicKeySwitch;
import org.glovebox.he.multiparty.RelinKeyGen;
import org.glovebox.he.multiparty.SecretKeyShare;
import org.glovebox.he.multiparty.Session;
import org.glovebox.he.multiparty.ShamirShare;
import org.glovebox.he.multiparty.Share;
import org.glovebox.he.multiparty.Smudging;
import org.glovebox.he.multiparty.Thresholdizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Multiparty protocols (package org.glovebox.he.multiparty), single threaded. {@link PerParty}: the work of one
 * party for one share; {@link Group}: aggregation by the coordinator and whole collective runs (all parties in
 * sequence plus aggregation), for 3, 5 and 10 parties.
 *
 * <p>A party may produce only one share per session and input (the misuse guard), so every invocation that makes a
 * share runs in a fresh session: its cost includes expanding the common reference polynomials, as it does for a real
 * party.
 */
public class MultipartyBenchmark {

    static Session freshSession(Session template) {
        return Session.of(template.parameters(), Session.create(template.parameters(), 1).id(),
                template.crsSeed(), template.parties(), template.threshold());
    }

    /** One party's share of each protocol. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
    public static class PerParty {
        @Param({"N14", "N15"})
        public String params;

        Parameters p;
        Session session;
        Session thresholdSession;
        SecretKeyShare sk;
        SecretKeyShare skT;
        ShamirShare shamir;
        List<PartyId> three;
        PublicKey pk;
        PublicKey receiverPk;
        Ciphertext ct;
        RelinKeyGen rkgDone;
        Share rkgRound1;
        int galois;

        @Setup
        public void setup() {
            p = ParameterSets.byName(params);
            session = Session.create(p, 5);
            sk = SecretKeyShare.generate(p, session.party(0));
            List<SecretKeyShare> all = new ArrayList<>();
            all.add(sk);
            for (int i = 1; i < 5; i++) {
                all.add(SecretKeyShare.generate(p, session.party(i)));
            }
            PublicKeyGen pkg = new PublicKeyGen(session);
            List<Share> shares = new ArrayList<>();
            for (SecretKeyShare s : all) {
                shares.add(new PublicKeyGen(session).generateShare(s));
            }
            pk = pkg.finish(pkg.aggregateShares(shares));
            receiverPk = pk;
            Encoder enc = new Encoder(p);
            ct = Encryptor.withPublicKey(pk).encrypt(enc.encode(new double[] {1, 2, 3}));
            List<Share> r1 = new ArrayList<>();
            for (SecretKeyShare s : all) {
                r1.add(new RelinKeyGen(session).generateShareRoundOne(s));
            }
            rkgRound1 = new RelinKeyGen(session).aggregateShares(r1);
            galois = GaloisKeyGen.elementsFor(p, new int[] {1}, false)[0];
            thresholdSession = Session.create(p, 5, 3);
            three = thresholdSession.parties().subList(0, 3);
            skT = SecretKeyShare.generate(p, thresholdSession.party(0));
            // A Shamir share for party 0 (from real Thresholdizer runs of all five parties).
            Thresholdizer agg = new Thresholdizer(thresholdSession);
            List<Share> toZero = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                SecretKeyShare s = SecretKeyShare.generate(p, thresholdSession.party(i));
                toZero.add(new Thresholdizer(thresholdSession).generateShare(s, thresholdSession.party(0)));
            }
            shamir = agg.finish(agg.aggregateShares(toZero));
        }

        @Benchmark
        public Share publicKeyShare() {
            return new PublicKeyGen(freshSession(session)).generateShare(sk);
        }

        @Benchmark
        public Share relinRoundOneShare() {
            return new RelinKeyGen(freshSession(session)).generateShareRoundOne(sk);
        }

        /** Round 1 and round 2 of one party (round 2 needs its own round 1; the aggregate is reused). */
        @Benchmark
        public Share relinBothRoundsShare() {
            Session s = freshSession(session);
            RelinKeyGen g = new RelinKeyGen(s);
            g.generateShareRoundOne(sk);
            return g.generateShareRoundTwo(sk, rebind(rkgRound1, s));
        }

        @Benchmark
        public Share galoisShareOneStep() {
            return new GaloisKeyGen(freshSession(session)).generateShare(sk, galois);
        }

        @Benchmark
        public Share decryptionShare() {
            Session s = freshSession(session);
            return new KeySwitch(s, s.parties(), Smudging.defaultFor(p)).generateShare(sk, ct);
        }

        @Benchmark
        public Share publicKeySwitchShare() {
            Session s = freshSession(session);
            return new PublicKeySwitch(s, s.parties(), Smudging.defaultFor(p), receiverPk).generateShare(sk, ct);
        }

        @Benchmark
        public Share thresholdizerShareOneRecipient() {
            return new Thresholdizer(freshSession(thresholdSession)).generateShare(skT, thresholdSession.party(1));
        }

        @Benchmark
        public SecretKeyShare combinerShare() {
            return new Combiner(thresholdSession).generateShare(shamir, three);
        }
    }

    /** Re-labels an aggregate for another session id (benchmark helper: serialization keeps the bytes). */
    static Share rebind(Share agg, Session s) {
        byte[] b = org.glovebox.he.multiparty.MultipartySerialization.toBytes(agg);
        System.arraycopy(s.id(), 0, b, 4 + 2 + 1 + 32 + 1 + 1, Session.ID_BYTES);
        try {
            return org.glovebox.he.multiparty.MultipartySerialization.shareFromBytes(b, s,
                    org.glovebox.he.multiparty.ProtocolType.RELIN_KEY_GEN, 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Aggregation and whole collective runs for a group of n parties. */
    @State(Scope.Benchmark)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
    public static class Group {
        @Param({"N14", "N15"})
        public String params;

        @Param({"3", "5", "10"})
        public int parties;

        Parameters p;
        Session session;
        List<SecretKeyShare> secrets;
        Encoder encoder;
        Ciphertext ct;
        List<Share> pkShares;
        List<Share> decShares;
        int galois;

        @Setup
        public void setup() {
            p = ParameterSets.byName(params);
            session = Session.create(p, parties);
            secrets = new ArrayList<>();
            for (PartyId id : session.parties()) {
                secrets.add(SecretKeyShare.generate(p, id));
            }
            pkShares = new ArrayList<>();
            for (SecretKeyShare s : secrets) {
                pkShares.add(new PublicKeyGen(session).generateShare(s));
            }
            PublicKeyGen pkg = new PublicKeyGen(session);
            PublicKey pk = pkg.finish(pkg.aggregateShares(pkShares));
            encoder = new Encoder(p);
            ct = Encryptor.withPublicKey(pk).encrypt(encoder.encode(new double[] {1, 2, 3}));
            decShares = new ArrayList<>();
            for (SecretKeyShare s : secrets) {
                decShares.add(new KeySwitch(session).generateShare(s, ct));
            }
            galois = GaloisKeyGen.elementsFor(p, new int[] {1}, false)[0];
        }

        /** Coordinator: sum the n public-key shares and build the key. */
        @Benchmark
        public PublicKey publicKeyAggregate() {
            PublicKeyGen pkg = new PublicKeyGen(session);
            return pkg.finish(pkg.aggregateShares(pkShares));
        }

        /** All n parties' public-key shares in sequence, aggregation and the key. */
        @Benchmark
        public PublicKey publicKeyCollective() {
            Session s = freshSession(session);
            PublicKeyGen agg = new PublicKeyGen(s);
            Share acc = agg.allocateShare();
            for (SecretKeyShare sk : secrets) {
                acc = agg.aggregateShares(acc, new PublicKeyGen(s).generateShare(sk));
            }
            return agg.finish(acc);
        }

        /** The whole collective relinearization key: both rounds of all n parties in sequence, aggregation, key. */
        @Benchmark
        public RelinearizationKey relinKeyCollective() {
            Session s = freshSession(session);
            RelinKeyGen agg = new RelinKeyGen(s);
            List<RelinKeyGen> inst = new ArrayList<>();
            Share r1 = agg.allocateShare();
            for (SecretKeyShare sk : secrets) {
                RelinKeyGen g = new RelinKeyGen(s);
                inst.add(g);
                r1 = agg.aggregateShares(r1, g.generateShareRoundOne(sk));
            }
            Share r2 = agg.allocateShare(r1);
            for (int i = 0; i < secrets.size(); i++) {
                r2 = agg.aggregateShares(r2, inst.get(i).generateShareRoundTwo(secrets.get(i), r1));
            }
            return agg.finish(r1, r2);
        }

        /** The whole collective rotation key for one step: all n parties' shares, aggregation, key. */
        @Benchmark
        public GaloisKeys galoisKeyCollectiveOneStep() {
            Session s = freshSession(session);
            GaloisKeyGen agg = new GaloisKeyGen(s);
            Share acc = agg.allocateShare(galois);
            for (SecretKeyShare sk : secrets) {
                acc = agg.aggregateShares(acc, new GaloisKeyGen(s).generateShare(sk, galois));
            }
            return agg.finish(acc);
        }

        /** Combining the n decryption shares into the plaintext (aggregation + finish). */
        @Benchmark
        public Plaintext decryptionCombine() {
            KeySwitch ks = new KeySwitch(session);
            return ks.finishDecryption(ct, ks.aggregateShares(decShares));
        }

        /** Combining plus decoding to the slot values. */
        @Benchmark
        public double[] decryptionCombineAndDecode() {
            return encoder.decode(decryptionCombine());
        }
    }
}

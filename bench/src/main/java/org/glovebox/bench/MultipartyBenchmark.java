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

        /** Round 2 of one party, given its round 1 and the complete round-1 aggregate (prepared per invocation). */
        @Benchmark
        public Share relinRoundTwoShare(RoundTwoInput in) {
            return in.party.generateShareRoundTwo(sk, in.aggregate);
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

    /** A fresh session in which party 0 (this instance) and two others have run round 1 of RelinKeyGen. */
    @State(Scope.Thread)
    public static class RoundTwoInput {
        RelinKeyGen party;
        Share aggregate;

        @Setup(org.openjdk.jmh.annotations.Level.Invocation)
        public void prepare(PerParty b) {
            Session s = Session.create(b.p, 3);
            SecretKeyShare own = SecretKeyShare.generate(b.p, s.party(0));
            b.sk = own;
            party = new RelinKeyGen(s);
            List<Share> r1 = new ArrayList<>();
            r1.add(party.generateShareRoundOne(own));
            for (int i = 1; i < 3; i++) {
                r1.add(new RelinKeyGen(s).generateShareRoundOne(SecretKeyShare.generate(b.p, s.party(i))));
            }
            aggregate = new RelinKeyGen(s).aggregateShares(r1);
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

    /**
     * The same operations timed by process CPU time as well as wall-clock time (median of repeated runs), for a
     * machine shared with other jobs, where wall-clock time mostly measures the wait for a core. Run with
     * {@code java -XX:+UseSerialGC -cp benchmarks.jar 'org.glovebox.bench.MultipartyBenchmark$CpuTime' N14 5}:
     * CPU time is the calling thread's CPU time plus garbage-collection time (the protocol code is single threaded).
     * For relinRoundTwoShare the per-run preparation (a 3-party round 1) is included in the wall time only.
     */
    public static final class CpuTime {
        private CpuTime() {
        }

        private static final java.lang.management.ThreadMXBean THREADS =
                java.lang.management.ManagementFactory.getThreadMXBean();

        /** This thread's CPU time plus the time of every garbage collection so far, in nanoseconds. */
        private static long cpuNanos() {
            long gc = 0;
            for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += Math.max(0, b.getCollectionTime());
            }
            return THREADS.getCurrentThreadCpuTime() + gc * 1_000_000L;
        }

        static void measure(String set, int n, String name, int warm, int reps, java.util.function.Supplier<Object> op) {
            for (int i = 0; i < warm; i++) {
                op.get();
            }
            double[] wall = new double[reps];
            double[] cpu = new double[reps];
            for (int i = 0; i < reps; i++) {
                long c0 = cpuNanos();
                long w0 = System.nanoTime();
                op.get();
                wall[i] = (System.nanoTime() - w0) / 1e6;
                cpu[i] = (cpuNanos() - c0) / 1e6;
            }
            java.util.Arrays.sort(wall);
            java.util.Arrays.sort(cpu);
            System.out.printf(java.util.Locale.ROOT, "%s\t%d\t%s\tcpu_ms=%.2f\twall_ms=%.2f\tcpu_min=%.2f%n", set, n,
                    name, cpu[reps / 2], wall[reps / 2], cpu[0]);
        }

        public static void main(String[] args) {
            String set = args.length > 0 ? args[0] : "N14";
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 5;
            int reps = args.length > 2 ? Integer.parseInt(args[2]) : 9;
            Parameters p = ParameterSets.byName(set);
            Session session = Session.create(p, n);
            Group g = new Group();
            g.params = set;
            g.parties = n;
            g.setup();
            PerParty one = new PerParty();
            one.params = set;
            one.setup();
            int w = Math.max(2, reps / 3);
            measure(set, n, "publicKeyShare", w, reps, one::publicKeyShare);
            measure(set, n, "relinRoundOneShare", w, reps, one::relinRoundOneShare);
            double[] r2 = new double[reps];
            for (int i = -w; i < reps; i++) {
                RoundTwoInput in = new RoundTwoInput();
                in.prepare(one);
                long t = cpuNanos();
                one.relinRoundTwoShare(in);
                if (i >= 0) {
                    r2[i] = (cpuNanos() - t) / 1e6;
                }
            }
            java.util.Arrays.sort(r2);
            System.out.printf(java.util.Locale.ROOT, "%s\t%d\t%s\tcpu_ms=%.2f\twall_ms=-\tcpu_min=%.2f%n", set, n,
                    "relinRoundTwoShare", r2[reps / 2], r2[0]);
            measure(set, n, "galoisShareOneStep", w, reps, one::galoisShareOneStep);
            measure(set, n, "decryptionShare", w, reps, one::decryptionShare);
            measure(set, n, "publicKeySwitchShare", w, reps, one::publicKeySwitchShare);
            measure(set, n, "thresholdizerShareOneRecipient", w, reps, one::thresholdizerShareOneRecipient);
            measure(set, n, "combinerShare", w, reps, one::combinerShare);
            measure(set, n, "publicKeyAggregate", w, reps, g::publicKeyAggregate);
            measure(set, n, "publicKeyCollective", w, reps, g::publicKeyCollective);
            measure(set, n, "relinKeyCollective", w, reps, g::relinKeyCollective);
            measure(set, n, "galoisKeyCollectiveOneStep", w, reps, g::galoisKeyCollectiveOneStep);
            measure(set, n, "decryptionCombine", w, reps, g::decryptionCombine);
            measure(set, n, "decryptionCombineAndDecode", w, reps, g::decryptionCombineAndDecode);
            if (session.size() != n) {
                throw new IllegalStateException();
            }
        }
    }
}

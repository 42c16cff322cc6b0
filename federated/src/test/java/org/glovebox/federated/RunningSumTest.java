package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.Store;
import org.glovebox.federated.crypto.AggregationScheme;
import org.glovebox.federated.learn.Evaluation;
import org.glovebox.federated.wire.Wire;
import org.glovebox.federated.wire.Wire.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator sums uploads as their chunks arrive; an upload that breaks off half-way and is sent again, or a
 * hospital that streams chunks and never completes, must leave the released aggregate exactly as without them.
 * Driven directly through the coordinator's upload API (plain aggregation: sums are exact, so models compare equal).
 */
class RunningSumTest {
    @TempDir
    Path tmp;

    private static final String EXTRA = "rounds: 1\nmodel: {type: mlp, hidden: 150}\n"
            + "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n";

    /** The chunks of one hospital's upload of the given kind (deterministic per hospital). */
    private static List<byte[]> chunks(AggregationScheme scheme, Kind kind, int hospital, int modelSize) {
        List<byte[]> out = new ArrayList<>();
        if (kind == Kind.STATS) {
            BigInteger[] v = new BigInteger[1 + 2 * 9];
            v[0] = BigInteger.valueOf(10 + hospital);
            for (int j = 0; j < 9; j++) {
                v[1 + j] = AggregationScheme.fixedPoint(hospital + j);
                v[10 + j] = AggregationScheme.fixedPoint(100 + hospital * j);
            }
            double[] d = scheme.integerDigits(v, AggregationScheme.STATS_DIGITS);
            for (int from = 0; from < d.length; from += scheme.valuesPerChunk()) {
                out.add(scheme.encodeChunk(null, d, from, scheme.integerScale()));
            }
            return out;
        }
        BigInteger[] ev = new BigInteger[4 + 2 * Evaluation.BINS];
        java.util.Arrays.fill(ev, BigInteger.ZERO);
        ev[0] = BigInteger.valueOf(10 + hospital);
        ev[1] = BigInteger.valueOf(5);
        ev[2] = BigInteger.valueOf(3);
        ev[3] = AggregationScheme.fixedPoint(2.5);
        ev[4] = BigInteger.valueOf(2);
        ev[4 + Evaluation.BINS + 1] = BigInteger.valueOf(3);
        double[] e = scheme.integerDigits(ev, AggregationScheme.EVAL_DIGITS);
        SplittableRandom r = new SplittableRandom(hospital);
        double[] u = new double[modelSize];
        for (int i = 0; i < u.length; i++) {
            u[i] = (r.nextDouble() - 0.5) * 0.01;
        }
        // a training upload: the update, then the evaluation digits in the free slots of its last chunk
        double[] t = scheme.trainingValues(u, e);
        for (int from = 0; from < t.length; from += scheme.valuesPerChunk()) {
            out.add(scheme.encodeChunk(null, t, from, scheme.updateScale()));
        }
        assertThat(out).hasSize(scheme.trainingChunks());
        return out;
    }

    private static void upload(Coordinator co, String h, Kind kind, int round, List<byte[]> cs, int send,
            boolean finish) throws Exception {
        Wire.Digest d = new Wire.Digest();
        for (byte[] c : cs) {
            d.add(c);
        }
        byte[] sid = co.study().id();
        Coordinator.Upload u = co.begin(h, new Wire.TransferHeader(sid, kind, round, 0, cs.size(), d.total(),
                d.finish()));
        for (int i = 0; i < send; i++) {
            u.chunk(new Wire.Chunk(sid, i, cs.get(i)));
        }
        if (finish) {
            u.finish();
        }
    }

    /** Runs keyless round 0 and round 1; {@code hostile} adds broken-off uploads in round 1. */
    private double[] run(Path dir, boolean hostile) throws Exception {
        try (Cluster c = new Cluster(dir, Cluster.studyText(3, EXTRA));
                Store store = new Store(Store.defaultUrl(dir.resolve("db")));
                AuditLog audit = AuditLog.open(dir.resolve("audit.log"))) {
            Coordinator co = new Coordinator(c.study, store, audit);
            for (String h : c.names) {
                co.identify(h, c.identity(h).certificate());
            }
            co.tick();
            AggregationScheme scheme = co.scheme();
            for (int i = 0; i < 3; i++) {
                upload(co, c.names.get(i), Kind.STATS, 0, chunks(scheme, Kind.STATS, i, co.modelSize()), 1, true);
            }
            assertThat(co.standardization()).isNotNull();
            List<List<byte[]>> up = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                up.add(chunks(scheme, Kind.UPDATE, i, co.modelSize()));
            }
            assertThat(up.get(0).size()).isGreaterThan(2);
            if (hostile) {
                // hospital-1 breaks off after two chunks, hospital-3 streams half its chunks and falls silent
                upload(co, c.names.get(0), Kind.UPDATE, 1, up.get(0), 2, false);
                upload(co, c.names.get(2), Kind.UPDATE, 1, up.get(2), up.get(2).size() / 2, false);
            }
            upload(co, c.names.get(1), Kind.UPDATE, 1, up.get(1), up.get(1).size(), true);
            upload(co, c.names.get(0), Kind.UPDATE, 1, up.get(0), up.get(0).size(), true);
            assertThat(co.reports()).isEmpty();
            upload(co, c.names.get(2), Kind.UPDATE, 1, up.get(2), up.get(2).size(), true);
            assertThat(co.reports()).hasSize(1);
            assertThat(co.reports().get(0).participants()).hasSize(3);
            return co.currentModel();
        }
    }

    @Test
    void brokenOffUploadsLeaveTheAggregateUnchanged() throws Exception {
        double[] clean = run(tmp.resolve("clean"), false);
        double[] hostile = run(tmp.resolve("hostile"), true);
        assertThat(hostile).containsExactly(clean);
    }
}

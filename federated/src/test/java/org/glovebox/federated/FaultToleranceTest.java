package org.glovebox.federated;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.CoordinatorStatus;
import org.glovebox.federated.coordinator.RoundReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hospitals that disconnect mid-round, and a coordinator killed and restarted from its database. */
class FaultToleranceTest {
    @TempDir
    Path tmp;

    /** A test study of {@code hospitals} with its own round and decryption timeouts instead of the test defaults. */
    private static String withTimeouts(int hospitals, String extra, int roundSeconds, int decryptionSeconds) {
        return Cluster.studyText(hospitals, extra + "timeouts: {roundSeconds: " + roundSeconds + ", decryptionSeconds: "
                + decryptionSeconds + "}\n").replace("timeouts: {roundSeconds: 20, decryptionSeconds: 10}\n", "");
    }

    @Test
    void roundCompletesWithoutADroppedHospitalWhichRejoinsLater() throws Exception {
        String text = withTimeouts(3, "rounds: 3\nthreshold: 2\nminHospitals: 2\n", 3, 3);
        try (Cluster c = new Cluster(tmp, text)) {
            Coordinator co = c.startCoordinator();
            CountDownLatch round2 = new CountDownLatch(1);
            co.onRound(r -> {
                if (r.round() == 2) {
                    round2.countDown();
                }
            });
            c.startHospital(0);
            c.startHospital(1);
            c.startHospital(2).disconnectInRound(2);
            assertThat(round2.await(90, TimeUnit.SECONDS)).isTrue();
            c.startHospital(2); // comes back with its state directory
            assertThat(co.awaitFinished(90_000)).isTrue();
            List<RoundReport> reps = co.reports();
            assertThat(reps.get(0).participants()).hasSize(3);
            assertThat(reps.get(1).participants()).containsExactly("hospital-1", "hospital-2");
            assertThat(reps.get(reps.size() - 1).participants()).hasSize(3);
            // round 2 began under key shares, which decrypt only all together: it was released from public-key uploads
            assertThat(Files.readString(tmp.resolve("audit.log"))).contains("round 2: 2 of all 3 hospitals uploaded"
                    + " under their key shares before the timeout; collecting public-key uploads instead");
            assertThat(AuditLog.verify(tmp.resolve("audit.log")).ok()).isTrue();
        }
    }

    @Test
    void decryptorThatDoesNotAnswerIsReplacedOnAReRandomizedAggregate() throws Exception {
        String text = withTimeouts(4, "rounds: 3\nthreshold: 2\nminHospitals: 2\n", 3, 2);
        try (Cluster c = new Cluster(tmp, text)) {
            Coordinator co = c.startCoordinator();
            // hospital-1 is among the first decryptors chosen (participants in party order) and vanishes on its task
            c.startHospital(0).disconnectOnDecrypt(2);
            for (int i = 1; i < 4; i++) {
                c.startHospital(i);
            }
            assertThat(co.awaitFinished(120_000)).isTrue();
            List<RoundReport> reps = co.reports();
            RoundReport r2 = reps.get(1);
            assertThat(r2.round()).isEqualTo(2);
            assertThat(r2.participants()).hasSize(4);
            assertThat(r2.decryptors()).hasSize(2).doesNotContain("hospital-1");
            // the exact integer counts of the four validation sets decrypt again (a wrong decryption would not round
            // to integers and fail the release)
            assertThat(r2.validationCount()).isEqualTo(reps.get(0).validationCount());
            String audit = Files.readString(tmp.resolve("audit.log"));
            assertThat(audit).contains("round 2 attempt 1: decryption shares requested from")
                    .contains("no answer in time from [hospital-1]");
            assertThat(AuditLog.verify(tmp.resolve("audit.log")).ok()).isTrue();
        }
    }

    @Test
    void roundBelowTheMinimumIsRetriedUntilTheHospitalReturns() throws Exception {
        String text = withTimeouts(3, "rounds: 1\nthreshold: 2\nminHospitals: 3\n", 1, 3);
        try (Cluster c = new Cluster(tmp, text)) {
            Coordinator co = c.startCoordinator();
            c.startHospital(0);
            c.startHospital(1);
            c.startHospital(2).disconnectInRound(1);
            // wait until the round has been retried at least once
            long end = System.currentTimeMillis() + 60_000;
            while (!Files.readString(tmp.resolve("audit.log")).contains("round-retry")
                    && System.currentTimeMillis() < end) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(tmp.resolve("audit.log"))).contains("round-retry");
            assertThat(co.reports()).isEmpty();
            // what an operator sees meanwhile: round 1 collecting, the absent hospital has not delivered
            CoordinatorStatus waiting = co.status();
            assertThat(waiting.phase()).isEqualTo("RELEASES");
            assertThat(waiting.round()).isEqualTo(1);
            assertThat(waiting.step()).contains("model updates");
            assertThat(waiting.attempt()).isPositive();
            assertThat(waiting.hospitals()).extracting(CoordinatorStatus.Hospital::name)
                    .containsExactly("hospital-1", "hospital-2", "hospital-3");
            assertThat(waiting.hospitals().get(2).submitted()).isFalse();
            assertThat(waiting.hospitals()).allMatch(CoordinatorStatus.Hospital::identified);
            assertThat(waiting.finished()).isFalse();
            c.startHospital(2);
            assertThat(co.awaitFinished(60_000)).isTrue();
            assertThat(co.reports().get(0).participants()).hasSize(3);
            CoordinatorStatus done = co.status();
            assertThat(done.finished()).isTrue();
            assertThat(done.released()).isEqualTo(co.reports().size());
            assertThat(done.deadlineMillis()).isZero();
        }
    }

    @Test
    void coordinatorRestartedMidDecryptionAsksTheSameHospitalsForTheSameShares() throws Exception {
        // decryption shares live only in the coordinator's memory: a restart between the first and the second share
        // must ask both decryptors again, the first re-sending the identical share from its outbox (never a new one)
        String text = withTimeouts(3, "rounds: 3\nthreshold: 2\n", 20, 60);
        try (Cluster c = new Cluster(tmp, text)) {
            c.startCoordinator();
            c.startHospital(0);
            c.startHospital(1).disconnectOnDecrypt(2); // the second decryptor of round 2 vanishes on its task
            c.startHospital(2);
            Pattern share = Pattern.compile("\"actor\":\"(hospital-\\d)\",\"details\":\"DECRYPTION_SHARES round 2 "
                    + "attempt 0, \\d+ chunks, \\d+ bytes, sha256 ([0-9a-f]{64})\"");
            Path log = tmp.resolve("audit.log");
            long until = System.currentTimeMillis() + 90_000;
            while (!share.matcher(Files.readString(log)).find() && System.currentTimeMillis() < until) {
                Thread.sleep(5);
            }
            assertThat(c.server.coordinator().finished()).isFalse();
            c.server.kill();
            c.server.coordinator().audit().close();
            Coordinator co = c.startCoordinator();
            c.startHospital(1); // back with its state directory
            assertThat(co.awaitFinished(90_000)).isTrue();
            List<RoundReport> reps = co.reports();
            RoundReport r2 = reps.get(1);
            assertThat(r2.round()).isEqualTo(2);
            assertThat(r2.decryptors()).containsExactly("hospital-1", "hospital-2");
            assertThat(r2.validationCount()).isEqualTo(reps.get(0).validationCount());
            List<String> first = new java.util.ArrayList<>();
            Matcher m = share.matcher(Files.readString(log));
            while (m.find()) {
                if (m.group(1).equals("hospital-1")) {
                    first.add(m.group(2));
                }
            }
            assertThat(first).as("hospital-1's share of round 2, before and after the restart").hasSize(2);
            assertThat(first.get(1)).isEqualTo(first.get(0));
            assertThat(Files.readString(log)).doesNotContain("round 2 attempt 1");
            assertThat(AuditLog.verify(log).ok()).isTrue();
        }
    }

    @Test
    void coordinatorKilledAndRestartedLosesAndDoubleCountsNoRound() throws Exception {
        String extra = "rounds: 4\nthreshold: 2\nlocalEpochs: 1\n";
        double[] reference;
        try (Cluster p = new Cluster(tmp.resolve("plain"), Cluster.studyText(3, extra
                + "aggregation: INSECURE_PLAINTEXT_AGGREGATION_FOR_BENCHMARKS\n"))) {
            p.startAll();
            assertThat(p.server.coordinator().awaitFinished(90_000)).isTrue();
            reference = p.server.coordinator().finalModel();
        }
        Path dir = tmp.resolve("enc");
        try (Cluster c = new Cluster(dir, Cluster.studyText(3, extra))) {
            c.startAll();
            // Kill during key setup, then twice during the rounds (collection or decryption, wherever it is). The
            // kill points are progress markers (audit entries so far), not wall-clock delays, so a fast or a loaded
            // machine crashes the coordinator at the same stages.
            long[] killAtEntries = {8, 30, 52};
            for (long mark : killAtEntries) {
                long waitUntil = System.currentTimeMillis() + 60_000;
                while (c.server.coordinator().audit().entries() < mark && System.currentTimeMillis() < waitUntil) {
                    Thread.sleep(2);
                }
                assertThat(c.server.coordinator().finished()).as("study still running at audit entry %d", mark)
                        .isFalse();
                c.server.kill();
                c.server.coordinator().audit().close();
                Thread.sleep(300);
                c.startCoordinator();
            }
            Coordinator co = c.server.coordinator();
            assertThat(co.awaitFinished(120_000)).isTrue();
            List<RoundReport> reps = co.reports();
            assertThat(reps).extracting(RoundReport::round).containsExactly(1, 2, 3, 4, 5);
            for (RoundReport r : reps) {
                assertThat(r.participants()).hasSize(3);
            }
            double[] m = co.finalModel();
            double norm = 0;
            double diff = 0;
            for (int i = 0; i < m.length; i++) {
                norm = Math.max(norm, Math.abs(reference[i]));
                diff = Math.max(diff, Math.abs(m[i] - reference[i]));
            }
            assertThat(diff / norm).as("same model as without crashes").isLessThan(1e-6);
            String audit = Files.readString(dir.resolve("audit.log"));
            assertThat(audit).contains("coordinator-resumed");
            assertThat(AuditLog.verify(dir.resolve("audit.log")).ok()).isTrue();
        }
    }
}

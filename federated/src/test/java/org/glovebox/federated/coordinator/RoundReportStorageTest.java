package org.glovebox.federated.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.study.StudyDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round reports are stored one per key, so a release writes its own report only; a database of an earlier version
 * (all reports in one value) is read, and the reports released after it follow in order.
 */
class RoundReportStorageTest {
    @TempDir
    Path tmp;

    private static RoundReport report(int round) {
        return new RoundReport(round, true, List.of("hospital-1", "hospital-2"), List.of("hospital-1"), 40 + round,
                0.5 / round, 0.8, 0.9, 0.1 * round, Map.of("hospital-1", 1000L + round), 70 + round);
    }

    @Test
    void reportsOfAnEarlierVersionsSingleValueAndOfPerRoundKeysLoadInReleaseOrder() throws Exception {
        StudyDefinition study = StudyDefinition.parse("name: s\ncohort: example:edin\nhospitals: [hospital-1,"
                + " hospital-2]\nencryption: {logN: 10, insecureTestRing: true}\n");
        String url = Store.defaultUrl(tmp.resolve("db"));
        try (Store store = new Store(url)) {
            // two reports as versions before per-round keys stored them, then one under the per-round key
            store.put("reports", com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                    .writeValueAsBytes(List.of(report(1), report(2))));
            store.put("report.2", ReportCodec.write(report(3)));
        }
        try (Store store = new Store(url); AuditLog audit = AuditLog.open(tmp.resolve("audit.log"))) {
            Coordinator c = new Coordinator(study, store, audit);
            assertThat(c.reports()).containsExactly(report(1), report(2), report(3));
            c.close();
        }
        try (Store store = new Store(url); AuditLog audit = AuditLog.open(tmp.resolve("audit.log"))) {
            store.put("report.3", ReportCodec.write(report(4)));
            Coordinator c = new Coordinator(study, store, audit);
            assertThat(c.reports()).extracting(RoundReport::round).containsExactly(1, 2, 3, 4);
            c.close();
        }
    }
}

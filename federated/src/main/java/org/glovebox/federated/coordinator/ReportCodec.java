package org.glovebox.federated.coordinator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Round reports as JSON (stored by the coordinator, one per released round, printed by the CLI); {@link #read} reads
 * the single list of all reports that versions before per-round keys stored.
 */
final class ReportCodec {
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private ReportCodec() {
    }

    static byte[] write(RoundReport report) {
        try {
            return JSON.writeValueAsBytes(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RoundReport readOne(byte[] b) {
        try {
            return JSON.readValue(b, RoundReport.class);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt stored round report", e);
        }
    }

    static List<RoundReport> read(byte[] b) {
        try {
            return JSON.readValue(b, new TypeReference<List<RoundReport>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt stored round reports", e);
        }
    }
}

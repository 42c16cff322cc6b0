package org.glovebox.app.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.CoordinatorStatus;
import org.glovebox.federated.coordinator.RoundReport;

/**
 * What the dashboard serves, as JSON documents and Prometheus text, read from the coordinator at each request.
 * Non-finite numbers (a metric not defined for a round) become JSON null, so every document is strict JSON.
 */
final class DashboardData {
    /**
     * A hospital counts as online when its last request is at most this old (it polls every few hundred ms): the
     * coordinator's own notion of a present hospital, which decides whether a round starts under key shares.
     */
    static final long ONLINE_MILLIS = 5_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Coordinator coordinator;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Double> gauges = new ConcurrentHashMap<>();

    DashboardData(Coordinator coordinator) {
        this.coordinator = coordinator;
        gauge("glovebox_rounds_released", "round reports released (training rounds and the closing evaluation)");
        gauge("glovebox_round", "the current release (0: feature statistics)");
        gauge("glovebox_study_finished", "1 once the study has finished");
        gauge("glovebox_hospitals_enrolled", "hospitals the study enrols");
        gauge("glovebox_hospitals_online", "hospitals seen in the last 5 s");
        gauge("glovebox_last_round_seconds", "wall time of the latest release");
        gauge("glovebox_last_round_auc", "validation AUC of the model released in the latest round");
        gauge("glovebox_last_round_loss", "validation log loss of the model released in the latest round");
        gauge("glovebox_epsilon_spent", "differential-privacy epsilon spent so far (0 if DP is off)");
        gauge("glovebox_audit_entries", "entries in the coordinator's audit log");
    }

    private void gauge(String name, String help) {
        gauges.put(name, 0.0);
        Gauge.builder(name, gauges, g -> g.getOrDefault(name, Double.NaN)).description(help).register(registry);
    }

    byte[] status() throws JsonProcessingException {
        CoordinatorStatus s = coordinator.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("study", s.study());
        m.put("studyId", s.studyId());
        m.put("phase", s.phase());
        m.put("finished", s.finished());
        m.put("round", s.round());
        m.put("rounds", s.rounds());
        m.put("step", s.step());
        m.put("attempt", s.attempt());
        m.put("threshold", s.threshold());
        m.put("roundMillis", s.roundMillis());
        m.put("deadlineMillis", s.deadlineMillis());
        m.put("released", s.released());
        m.put("parameters", coordinator.scheme().parameters().toString());
        m.put("encrypted", coordinator.study().encrypted());
        m.put("statisticsOnly", coordinator.study().statisticsOnly());
        List<Map<String, Object>> hs = new ArrayList<>();
        for (CoordinatorStatus.Hospital h : s.hospitals()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", h.name());
            x.put("identified", h.identified());
            x.put("online", h.lastSeenMillis() >= 0 && h.lastSeenMillis() <= ONLINE_MILLIS);
            x.put("lastSeenMillis", h.lastSeenMillis() < 0 ? null : h.lastSeenMillis());
            x.put("submitted", h.submitted());
            x.put("decrypting", h.decrypting());
            hs.add(x);
        }
        m.put("hospitals", hs);
        return JSON.writeValueAsBytes(m);
    }

    byte[] rounds() throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RoundReport r : coordinator.reports()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("round", r.round());
            x.put("trained", r.trained());
            x.put("participants", r.participants());
            x.put("decryptors", r.decryptors());
            x.put("validationCount", r.validationCount());
            x.put("loss", finite(r.loss()));
            x.put("accuracy", finite(r.accuracy()));
            x.put("auc", finite(r.auc()));
            x.put("epsilon", finite(r.epsilon()));
            x.put("bytesSent", r.bytesSent());
            x.put("millis", r.millis());
            out.add(x);
        }
        return JSON.writeValueAsBytes(out);
    }

    /** What the study discloses, in plain words ({@link org.glovebox.federated.run.ReleasePlan}), as a JSON list. */
    byte[] plan() throws JsonProcessingException {
        return JSON.writeValueAsBytes(org.glovebox.federated.run.ReleasePlan.describe(coordinator.study()));
    }

    /** The released statistics of a statistics study (JSON null before the release and for training studies). */
    byte[] statistics() throws JsonProcessingException {
        var s = coordinator.statistics();
        return s == null ? "null".getBytes(java.nio.charset.StandardCharsets.US_ASCII) : s.toJson();
    }

    byte[] audit(int recent) throws IOException {
        AuditLog log = coordinator.audit();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entries", log.entries());
        m.put("head", log.head());
        m.put("recent", log.recent(recent));
        return JSON.writeValueAsBytes(m);
    }

    byte[] verifyAudit() throws IOException {
        AuditLog.Result r = coordinator.audit().verifyWritten();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", r.ok());
        m.put("entries", r.entries());
        m.put("head", r.head());
        m.put("message", r.message());
        return JSON.writeValueAsBytes(m);
    }

    /** Prometheus text exposition of the gauges, refreshed from one status snapshot. */
    String metrics() {
        CoordinatorStatus s = coordinator.status();
        List<RoundReport> reports = coordinator.reports();
        gauges.put("glovebox_rounds_released", (double) s.released());
        gauges.put("glovebox_round", (double) s.round());
        gauges.put("glovebox_study_finished", s.finished() ? 1.0 : 0.0);
        gauges.put("glovebox_hospitals_enrolled", (double) s.hospitals().size());
        gauges.put("glovebox_hospitals_online", (double) s.hospitals().stream()
                .filter(h -> h.lastSeenMillis() >= 0 && h.lastSeenMillis() <= ONLINE_MILLIS).count());
        RoundReport last = reports.isEmpty() ? null : reports.get(reports.size() - 1);
        gauges.put("glovebox_last_round_seconds", last == null ? Double.NaN : last.millis() / 1000.0);
        gauges.put("glovebox_last_round_auc", last == null ? Double.NaN : last.auc());
        gauges.put("glovebox_last_round_loss", last == null ? Double.NaN : last.loss());
        var released = coordinator.statistics();
        gauges.put("glovebox_epsilon_spent", released != null ? (released.privacy() == null ? 0.0
                : released.privacy().epsilon()) : last == null ? 0.0 : last.epsilon());
        gauges.put("glovebox_audit_entries", (double) coordinator.audit().entries());
        return registry.scrape();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

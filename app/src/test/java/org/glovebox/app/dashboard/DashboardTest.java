package org.glovebox.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.glovebox.federated.audit.AuditLog;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.coordinator.RoundReport;
import org.glovebox.federated.coordinator.Store;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.pki.Pki;
import org.glovebox.federated.stats.StudyStatistics;
import org.glovebox.federated.study.StudyDefinition;
import org.glovebox.federated.transport.Tls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's dashboard, served from a real coordinator with two stored round reports. */
class DashboardTest {
    /** Strict JSON: a NaN or Infinity anywhere in a document fails the parse. */
    private static final ObjectMapper STRICT = new ObjectMapper();

    @TempDir
    Path tmp;

    private Store store;
    private AuditLog audit;
    private Coordinator coordinator;

    @BeforeEach
    void coordinatorWithTwoReleasedRounds() throws Exception {
        StudyDefinition study = StudyDefinition.parse("name: dash\ncohort: example:edin\nhospitals: [hospital-1,"
                + " hospital-2]\nrounds: 4\nencryption: {logN: 10, insecureTestRing: true}\n");
        store = new Store(Store.defaultUrl(tmp.resolve("db")));
        // stored as the coordinator stores released reports; the second has no AUC (one class only)
        ObjectMapper lenient = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        store.put("report.0", lenient.writeValueAsBytes(report(1, 0.91)));
        store.put("report.1", lenient.writeValueAsBytes(report(2, Double.NaN)));
        audit = AuditLog.open(tmp.resolve("audit.log"));
        coordinator = new Coordinator(study, store, audit);
    }

    private static RoundReport report(int round, double auc) {
        return new RoundReport(round, true, List.of("hospital-1", "hospital-2"), List.of("hospital-2"), 100,
                0.3 / round, 0.85, auc, 0.5 * round, Map.of("hospital-1", 40_000L, "hospital-2", 38_000L), 150);
    }

    @AfterEach
    void close() throws Exception {
        coordinator.close();
        audit.close();
        store.close();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesStatusRoundsAuditAndMetricsAsStrictJsonAndText() throws Exception {
        try (Dashboard d = Dashboard.start(coordinator, "127.0.0.1", 0, null)) {
            HttpClient client = HttpClient.newHttpClient();
            assertThat(d.url()).isEqualTo("http://127.0.0.1:" + d.port() + "/");

            JsonNode status = STRICT.readTree(get(client, d.url() + "api/status").body());
            assertThat(status.path("study").asText()).isEqualTo("dash");
            assertThat(status.path("phase").asText()).isEqualTo("ENROLMENT");
            assertThat(status.path("finished").asBoolean()).isFalse();
            assertThat(status.path("rounds").asInt()).isEqualTo(4);
            assertThat(status.path("released").asInt()).isEqualTo(2);
            assertThat(status.path("hospitals")).hasSize(2);
            assertThat(status.path("hospitals").get(0).path("name").asText()).isEqualTo("hospital-1");
            assertThat(status.path("hospitals").get(0).path("identified").asBoolean()).isFalse();
            assertThat(status.path("hospitals").get(0).path("lastSeenMillis").isNull()).isTrue();

            JsonNode rounds = STRICT.readTree(get(client, d.url() + "api/rounds").body());
            assertThat(rounds).hasSize(2);
            assertThat(rounds.get(0).path("auc").asDouble()).isEqualTo(0.91);
            assertThat(rounds.get(1).path("auc").isNull()).as("NaN becomes null").isTrue();
            assertThat(rounds.get(1).path("decryptors").get(0).asText()).isEqualTo("hospital-2");

            JsonNode a = STRICT.readTree(get(client, d.url() + "api/audit").body());
            assertThat(a.path("entries").asLong()).isEqualTo(audit.entries()).isPositive();
            assertThat(a.path("head").asText()).isEqualTo(audit.head());
            assertThat(a.path("recent").get(0).path("event").asText()).isEqualTo("study-created");
            JsonNode v = STRICT.readTree(get(client, d.url() + "api/audit/verify").body());
            assertThat(v.path("ok").asBoolean()).isTrue();

            String metrics = get(client, d.url() + "metrics").body();
            assertThat(metrics).contains("glovebox_rounds_released 2.0", "glovebox_hospitals_enrolled 2.0",
                    "glovebox_hospitals_online 0.0", "glovebox_study_finished 0.0", "glovebox_epsilon_spent 1.0");
            assertThat(get(client, d.url() + "healthz").body()).isEqualTo("ok\n");
            assertThat(get(client, d.url() + "api/statistics").body()).as("a training study").isEqualTo("null");
            JsonNode plan = STRICT.readTree(get(client, d.url() + "api/plan").body());
            assertThat(plan.get(0).asText()).startsWith("Study dash (id ");
            assertThat(plan.toString()).contains("each of up to 4 rounds");
        }
    }

    @Test
    void aStatisticsStudyShowsItsReleasedStatistics() throws Exception {
        StudyDefinition study = StudyDefinition.parse("name: describe\ncohort: example:edin\nhospitals: [hospital-1,"
                + " hospital-2]\nmodel: {type: statistics}\nstatistics: {histograms: {x1: [0.5]}}\n"
                + "encryption: {logN: 10, insecureTestRing: true}\n");
        StudyStatistics released = new StudyStatistics(30, 9, List.of(new StudyStatistics.Feature("x1", 0.4, 0.25)),
                List.of(new StudyStatistics.Histogram("x1", new double[] {0.5}, new long[] {18, 12},
                        new long[] {3, 6})), null, List.of(), List.of("hospital-1", "hospital-2"), null);
        try (Store s2 = new Store(Store.defaultUrl(tmp.resolve("db2")));
                AuditLog a2 = AuditLog.open(tmp.resolve("audit2.log"))) {
            s2.put("statistics", released.toJson());
            Coordinator co = new Coordinator(study, s2, a2);
            try (Dashboard d = Dashboard.start(co, "127.0.0.1", 0, null)) {
                HttpClient client = HttpClient.newHttpClient();
                assertThat(STRICT.readTree(get(client, d.url() + "api/status").body()).path("statisticsOnly")
                        .asBoolean()).isTrue();
                assertThat(StudyStatistics.fromJson(get(client, d.url() + "api/statistics").body()
                        .getBytes(StandardCharsets.UTF_8))).isEqualTo(released);
            } finally {
                co.close();
            }
        }
    }

    @Test
    void pageAndScriptsComeWithSecurityHeadersAndUnknownPathsAreNotFound() throws Exception {
        try (Dashboard d = Dashboard.start(coordinator, "127.0.0.1", 0, null)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> page = get(client, d.url());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/html"));
            assertThat(page.body()).contains("<script src=\"dashboard.js\"", "dashboard.css");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'self'", "frame-ancestors 'none'"));
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
            HttpResponse<String> js = get(client, d.url() + "dashboard.js");
            assertThat(js.body()).contains("textContent").doesNotContain("innerHTML");
            assertThat(get(client, d.url() + "dashboard.css").statusCode()).isEqualTo(200);
            assertThat(get(client, d.url() + "api/nothing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void refusesWritesAndRequestsAddressedToAnotherHost() throws Exception {
        try (Dashboard d = Dashboard.start(coordinator, "127.0.0.1", 0, null)) {
            int p = d.port();
            assertThat(statusLine(p, "POST", "127.0.0.1:" + p, "/api/status")).contains(" 405 ");
            assertThat(statusLine(p, "PUT", "127.0.0.1:" + p, "/")).contains(" 405 ");
            assertThat(statusLine(p, "DELETE", "localhost:" + p, "/api/audit")).contains(" 405 ");
            // DNS rebinding: a page of evil.example resolving to 127.0.0.1 sends its own name as Host
            assertThat(statusLine(p, "GET", "evil.example:" + p, "/api/status")).contains(" 421 ");
            assertThat(statusLine(p, "GET", "localhost.evil.example", "/api/status")).contains(" 421 ");
            assertThat(statusLine(p, "GET", "localhost:" + p, "/api/status")).contains(" 200 ");
            assertThat(statusLine(p, "HEAD", "[::1]:" + p, "/")).contains(" 200 ");
            assertThat(statusLine(p, "GET", "127.0.0.1", "/healthz")).contains(" 200 ");
            // a page of another site in the operator's browser (an <img> at /api/audit/verify, say)
            assertThat(statusLine(p, "GET", "127.0.0.1:" + p, "/api/audit/verify", "Sec-Fetch-Site: cross-site"))
                    .contains(" 403 ");
            assertThat(statusLine(p, "GET", "127.0.0.1:" + p, "/api/status", "Sec-Fetch-Site: same-site"))
                    .contains(" 403 ");
            assertThat(statusLine(p, "GET", "127.0.0.1:" + p, "/api/status", "Sec-Fetch-Site: same-origin"))
                    .contains(" 200 ");
            assertThat(statusLine(p, "GET", "127.0.0.1:" + p, "/", "Sec-Fetch-Site: none")).contains(" 200 ");
        }
    }

    private static String statusLine(int port, String method, String host, String path) throws IOException {
        return statusLine(port, method, host, path, null);
    }

    /** Sends one request by hand (HttpClient will not set Host) and returns the response's status line. */
    private static String statusLine(int port, String method, String host, String path, String header)
            throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + (header == null ? ""
                    : header + "\r\n") + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void verificationReportsALogEditedBehindTheCoordinatorsBack() throws Exception {
        try (Dashboard d = Dashboard.start(coordinator, "127.0.0.1", 0, null)) {
            HttpClient client = HttpClient.newHttpClient();
            Path log = tmp.resolve("audit.log");
            Files.writeString(log, Files.readString(log).replace("dash", "hsad"));
            JsonNode v = STRICT.readTree(get(client, d.url() + "api/audit/verify").body());
            assertThat(v.path("ok").asBoolean()).isFalse();
            assertThat(v.path("message").asText()).contains("edited");
        }
    }

    @Test
    void anAddressOtherThanLoopbackNeedsTls() {
        assertThatThrownBy(() -> Dashboard.start(coordinator, "0.0.0.0", 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--dashboard-tls");
        assertThatThrownBy(() -> Dashboard.start(coordinator, "127.0.0.1", 70_000, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overTlsOnlyClientsWithAConsortiumCertificateGetAnAnswer() throws Exception {
        Path pki = tmp.resolve("pki");
        Pki.initCa(pki, "Dashboard test consortium", Duration.ofDays(1));
        Pki.issue(pki, pki, "coordinator", Pki.Role.COORDINATOR, List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(1));
        Pki.issue(pki, pki, "hospital-1", Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(1));
        Pki.issue(pki, pki, "hospital-9", Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(1));
        Path other = tmp.resolve("other");
        Pki.initCa(other, "Another consortium", Duration.ofDays(1));
        Pki.issue(other, other, "hospital-1", Pki.Role.HOSPITAL, List.of(), List.of(), Duration.ofDays(1));
        long entriesBefore = audit.entries();

        try (Dashboard d = Dashboard.start(coordinator, "127.0.0.1", 0, Identity.inDirectory(pki, "coordinator"))) {
            assertThat(d.url()).startsWith("https://127.0.0.1:");
            SSLContext member = Tls.jdkServer(Identity.inDirectory(pki, "hospital-1"), r -> { });
            HttpResponse<String> ok = get(HttpClient.newBuilder().sslContext(member).build(), d.url() + "api/status");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(STRICT.readTree(ok.body()).path("study").asText()).isEqualTo("dash");
            // a member of the consortium that this study does not enrol
            SSLContext outsider = Tls.jdkServer(Identity.inDirectory(pki, "hospital-9"), r -> { });
            assertThat(get(HttpClient.newBuilder().sslContext(outsider).build(), d.url() + "api/status").statusCode())
                    .isEqualTo(403);

            // a client of another CA (which trusts our server for the test) is refused in the handshake
            SSLContext stranger = clientOf(Identity.inDirectory(other, "hospital-1"), pki.resolve(Pki.CA_CERT));
            assertThatThrownBy(() -> get(HttpClient.newBuilder().sslContext(stranger).build(), d.url()))
                    .isInstanceOf(IOException.class);
            // no client certificate at all
            SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
            anonymous.init(null, new javax.net.ssl.TrustManager[] {trustOnly(pki.resolve(Pki.CA_CERT))}, null);
            assertThatThrownBy(() -> get(HttpClient.newBuilder().sslContext(anonymous).build(), d.url()))
                    .isInstanceOf(IOException.class);
        }
        assertThat(audit.entries()).as("the refused certificate is audited").isGreaterThan(entriesBefore);
        assertThat(audit.recent(5)).anySatisfy(e -> assertThat(e.details()).contains("dashboard"));
    }

    private static SSLContext clientOf(Identity id, Path trustedCa) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", id.privateKey(), new char[0], new java.security.cert.Certificate[] {id.certificate()});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        javax.net.ssl.X509ExtendedKeyManager km = (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        // presents its certificate whatever CAs the server names, as an attacker's client would
        javax.net.ssl.X509ExtendedKeyManager always = new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {"k"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, Socket socket) {
                return "k";
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers,
                    javax.net.ssl.SSLEngine engine) {
                return "k";
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
                return km.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                return km.getPrivateKey(alias);
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(new javax.net.ssl.KeyManager[] {always}, new javax.net.ssl.TrustManager[] {trustOnly(trustedCa)},
                null);
        return ctx;
    }

    private static javax.net.ssl.TrustManager trustOnly(Path ca) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", org.glovebox.federated.pki.PemFiles.readCertificate(ca));
        javax.net.ssl.TrustManagerFactory f = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        return f.getTrustManagers()[0];
    }
}

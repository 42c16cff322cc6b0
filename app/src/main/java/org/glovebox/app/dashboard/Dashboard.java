package org.glovebox.app.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.glovebox.federated.coordinator.Coordinator;
import org.glovebox.federated.pki.Identity;
import org.glovebox.federated.transport.Tls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's read-only web dashboard: the study's phase and round, each hospital's liveness, the released
 * round reports (validation loss, AUC, accuracy, privacy spent, bytes, time) or, for a statistics study, the released
 * cohort statistics, the audit log's head with an on-demand
 * verification and its latest events, and Prometheus metrics.
 *
 * <p>It shows only what the coordinator itself may know and publish ({@link
 * org.glovebox.federated.coordinator.CoordinatorStatus}, the released reports, the audit log): no ciphertext, share,
 * model value or patient datum. It serves GET and HEAD only and changes nothing.
 *
 * <p>Who may look: on a loopback address it serves plain HTTP to the local machine, and refuses requests whose Host
 * header is not a loopback name (a web page elsewhere cannot reach it by DNS rebinding). On any other address it
 * requires TLS 1.3 with a client certificate issued by the consortium CA (the coordinator's own identity serves it)
 * whose name is one of the study's hospitals or the coordinator, as with the gRPC service; binding a non-loopback
 * address without TLS is refused. Requests that a browser marks as coming from another site ({@code Sec-Fetch-Site})
 * are refused, so a page elsewhere cannot make the dashboard work for it.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final String RESOURCES = "/org/glovebox/app/dashboard/";
    private static final String CSP = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final Set<HandlerType> READ_ONLY = Set.of(HandlerType.GET, HandlerType.HEAD);

    private final Javalin app;
    private final String url;

    private Dashboard(Javalin app, String url) {
        this.app = app;
        this.url = url;
    }

    /**
     * Starts the dashboard of {@code coordinator} on {@code host:port} (port 0 picks a free one).
     *
     * @param tls the identity that serves TLS and whose CA client certificates must chain to; null for plain HTTP,
     *            which only a loopback {@code host} accepts
     * @throws IllegalArgumentException if {@code host} is not a loopback address and {@code tls} is null
     */
    public static Dashboard start(Coordinator coordinator, String host, int port, Identity tls) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("dashboard port must be in [0, 65535], got " + port);
        }
        boolean loopback = isLoopback(host);
        if (!loopback && tls == null) {
            throw new IllegalArgumentException("the dashboard binds " + host + ", which is not a loopback address:"
                    + " that needs TLS with client certificates (--dashboard-tls)");
        }
        DashboardData data = new DashboardData(coordinator);
        // over TLS, the consortium members of this study: its hospitals and the coordinator's own certificate
        Set<String> viewers = new java.util.HashSet<>(coordinator.study().hospitals());
        if (tls != null) {
            viewers.add(tls.name());
        }
        byte[] plan = data.plan(); // fixed by the study file
        javax.net.ssl.SSLContext ssl = tls == null ? null
                : Tls.jdkServer(tls, reason -> coordinator.refuse(null, "dashboard: " + reason));
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 8192;
            if (ssl != null) {
                config.jetty.addConnector((server, httpConfig) -> {
                    SslContextFactory.Server f = new SslContextFactory.Server();
                    f.setSslContext(ssl);
                    f.setNeedClientAuth(true);
                    f.setIncludeProtocols("TLSv1.3");
                    HttpConfiguration https = new HttpConfiguration(httpConfig);
                    https.addCustomizer(new SecureRequestCustomizer(false));
                    ServerConnector c = new ServerConnector(server, new SslConnectionFactory(f, "http/1.1"),
                            new HttpConnectionFactory(https));
                    c.setHost(host);
                    c.setPort(port);
                    return c;
                });
            } else {
                config.jetty.host = host;
                config.jetty.port = port;
            }
            config.routes.before(ctx -> guard(ctx, loopback && ssl == null, viewers));
            config.routes.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
            config.routes.get("/dashboard.js", ctx -> resource(ctx, "dashboard.js",
                    "text/javascript; charset=utf-8"));
            config.routes.get("/dashboard.css", ctx -> resource(ctx, "dashboard.css", "text/css; charset=utf-8"));
            config.routes.get("/api/status", ctx -> json(ctx, data.status()));
            config.routes.get("/api/rounds", ctx -> json(ctx, data.rounds()));
            config.routes.get("/api/statistics", ctx -> json(ctx, data.statistics()));
            config.routes.get("/api/plan", ctx -> json(ctx, plan));
            config.routes.get("/api/audit", ctx -> json(ctx, data.audit(20)));
            config.routes.get("/api/audit/verify", ctx -> json(ctx, data.verifyAudit()));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(data.metrics()));
            config.routes.get("/healthz", ctx -> ctx.contentType("text/plain; charset=utf-8").result("ok\n"));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("dashboard request {} failed: {}", ctx.path(), e.toString());
                ctx.status(500).contentType("text/plain; charset=utf-8").result("internal error\n");
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IOException("cannot start the dashboard on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        String url = (ssl != null ? "https://" : "http://") + shownHost + ":" + app.port() + "/";
        LOG.info("dashboard at {}{}", url, ssl != null ? " (TLS 1.3, consortium client certificates required)" : "");
        return new Dashboard(app, url);
    }

    /** The address to open, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        return url;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private static void guard(Context ctx, boolean plainLoopback, Set<String> viewers) {
        if (!READ_ONLY.contains(ctx.method())) {
            ctx.header("Allow", "GET, HEAD");
            ctx.status(405).result("the dashboard is read-only\n");
            ctx.skipRemainingHandlers();
            return;
        }
        if (plainLoopback && !loopbackHostHeader(ctx.header("Host"))) {
            ctx.status(421).result("the dashboard answers only requests addressed to a loopback name\n");
            ctx.skipRemainingHandlers();
            return;
        }
        // a page of another site in the operator's browser may not make it work (e.g. verify the audit log)
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            ctx.status(403).result("the dashboard answers its own pages only\n");
            ctx.skipRemainingHandlers();
            return;
        }
        if (!plainLoopback && !enrolledViewer(ctx, viewers)) {
            ctx.status(403).result("this certificate is not one of the study's hospitals or its coordinator\n");
            ctx.skipRemainingHandlers();
            return;
        }
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    /** Whether the TLS client certificate names one of the study's hospitals or the coordinator. */
    private static boolean enrolledViewer(Context ctx, Set<String> viewers) {
        Object certs = ctx.req().getAttribute("jakarta.servlet.request.X509Certificate");
        if (!(certs instanceof java.security.cert.X509Certificate[] chain) || chain.length == 0) {
            return false;
        }
        try {
            return viewers.contains(org.glovebox.federated.pki.PemFiles.commonName(chain[0]));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether a Host header names this machine's loopback (localhost, 127.x.y.z, [::1]), with or without a port. */
    static boolean loopbackHostHeader(String host) {
        if (host == null || host.isEmpty() || host.length() > 255) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1") && validPortSuffix(h.substring(end + 1));
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !validPortSuffix(h.substring(colon))) {
            return false;
        }
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static boolean validPortSuffix(String s) {
        return s.isEmpty() || s.matches(":\\d{1,5}");
    }

    static boolean isLoopback(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown dashboard host " + host, e);
        }
    }

    private static void resource(Context ctx, String name, String type) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("dashboard resource " + name + " missing from the build");
            }
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType("application/json").result(body);
    }
}

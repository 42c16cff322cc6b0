package org.glovebox.app.dashboard;

/**
 * A dashboard address given on the command line: {@code port}, {@code host:port} or {@code [ipv6]:port}. A bare port
 * means the loopback address 127.0.0.1.
 *
 * @param host the host or address to bind
 * @param port the TCP port (0 picks a free one)
 */
public record DashboardAddress(String host, int port) {
    public DashboardAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("dashboard host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("dashboard port must be in [0, 65535], got " + port);
        }
    }

    /** Parses {@code port}, {@code host:port} or {@code [ipv6]:port}. */
    public static DashboardAddress parse(String text) {
        if (text == null || text.isBlank() || text.length() > 300) {
            throw new IllegalArgumentException("expected [host:]port for the dashboard, got \"" + text + "\"");
        }
        String t = text.trim();
        String host = "127.0.0.1";
        String port = t;
        if (t.startsWith("[")) {
            int end = t.indexOf("]:");
            if (end < 0) {
                throw new IllegalArgumentException("expected [ipv6]:port for the dashboard, got \"" + text + "\"");
            }
            host = t.substring(1, end);
            port = t.substring(end + 2);
        } else if (t.contains(":")) {
            int colon = t.lastIndexOf(':');
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
        }
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("the dashboard port must be a number in [0, 65535], got \"" + port
                    + "\"");
        }
        return new DashboardAddress(host, Integer.parseInt(port));
    }
}

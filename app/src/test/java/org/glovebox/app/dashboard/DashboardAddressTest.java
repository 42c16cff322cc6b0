package org.glovebox.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Command-line dashboard addresses and the Host headers a loopback dashboard answers. */
class DashboardAddressTest {
    @Test
    void aBarePortIsLoopbackAndHostsAndIpv6LiteralsParse() {
        assertThat(DashboardAddress.parse("8080")).isEqualTo(new DashboardAddress("127.0.0.1", 8080));
        assertThat(DashboardAddress.parse("0")).isEqualTo(new DashboardAddress("127.0.0.1", 0));
        assertThat(DashboardAddress.parse("0.0.0.0:8443")).isEqualTo(new DashboardAddress("0.0.0.0", 8443));
        assertThat(DashboardAddress.parse("dash.example:80")).isEqualTo(new DashboardAddress("dash.example", 80));
        assertThat(DashboardAddress.parse("[::1]:9000")).isEqualTo(new DashboardAddress("::1", 9000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "http", "host:", ":80", "1:99999", "123456", "[::1]80", "[::1]:", "-1",
            "host:8o80"})
    void malformedAddressesAreRefusedWithTheReason(String text) {
        assertThatThrownBy(() -> DashboardAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dashboard");
    }

    @Test
    void onlyLoopbackNamesAreAcceptedAsHost() {
        for (String ok : new String[] {"localhost", "LOCALHOST:8080", "127.0.0.1", "127.0.0.1:1", "127.1.2.3:65535",
                "[::1]", "[::1]:8080"}) {
            assertThat(Dashboard.loopbackHostHeader(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", "evil.example", "localhost.evil.example", "127.0.0.1.evil.example",
                "localhost:http", "[::2]:80", "[::1]x", "10.0.0.1:8080", "localhost:80:80", "x".repeat(300)}) {
            assertThat(Dashboard.loopbackHostHeader(bad)).as(bad).isFalse();
        }
        assertThat(Dashboard.loopbackHostHeader(null)).isFalse();
    }
}

package org.glovebox.federated.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.glovebox.federated.pki.Identity;

/**
 * Configuration files of {@code glovebox coordinator --config} and {@code glovebox hospital --config} (YAML or JSON;
 * relative paths are resolved against the file's folder).
 *
 * <pre>
 * # coordinator.yaml
 * study: study.yaml
 * listen: 127.0.0.1:7443          # host:port to bind (loopback by default)
 * tls: {cert: pki/coordinator.crt, key: pki/coordinator.key, ca: pki/ca.crt}
 * dataDir: coordinator-data       # embedded H2 database and audit log
 * database: jdbc:postgresql://…   # optional: any JDBC URL instead of the embedded H2 file
 *
 * # hospital.yaml
 * study: study.yaml
 * coordinator: 127.0.0.1:7443
 * tls: {cert: pki/hospital-1.crt, key: pki/hospital-1.key, ca: pki/ca.crt}
 * data: exports/hospital-1.csv    # the hospital's own records, read with the study's cohort definition
 * stateDir: hospital-1-state      # key shares (owner-only) and outbox
 * </pre>
 */
public record NodeConfig(Path study, String host, int port, Identity identity, Path dataDir, String database,
        Path data, Path stateDir) {

    public static NodeConfig load(Path file) throws IOException {
        JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(file + " is not a YAML/JSON object");
        }
        Path base = file.toAbsolutePath().getParent();
        String address = n.hasNonNull("listen") ? n.get("listen").asText() : n.path("coordinator").asText(
                "127.0.0.1:7443");
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("address '" + address + "' must be host:port");
        }
        JsonNode tls = n.path("tls");
        Identity id = new Identity(path(base, tls, "cert"), path(base, tls, "key"), path(base, tls, "ca"));
        return new NodeConfig(path(base, n, "study"), address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)), id,
                n.hasNonNull("dataDir") ? base.resolve(n.get("dataDir").asText()) : base.resolve("coordinator-data"),
                n.hasNonNull("database") ? n.get("database").asText() : null,
                n.hasNonNull("data") ? base.resolve(n.get("data").asText()) : null,
                n.hasNonNull("stateDir") ? base.resolve(n.get("stateDir").asText()) : base.resolve("hospital-state"));
    }

    private static Path path(Path base, JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("configuration field '" + field + "' is required");
        }
        return base.resolve(n.get(field).asText());
    }
}

package org.glovebox.federated.coordinator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The coordinator's durable state (JDBC; an embedded H2 file by default, any JDBC URL otherwise): a key-value table
 * for the study state, the submissions (one row per study, kind, round, attempt and hospital: the idempotency key)
 * and their chunks. A submission row is written only after all its chunks are stored and its digest checked, so a
 * crash mid-upload leaves no half-counted upload.
 *
 * <p>With an embedded H2 file database the chunk payloads (ciphertexts, shares, aggregates: megabytes per round) are
 * kept as files in a directory beside it ({@code <database>-chunks}, owner-only), each written to a temporary name and
 * renamed; the database keeps the state and the submission rows. Deleting a finished round's chunks is then a few
 * file deletions, where deleting the same rows from H2 cost seconds of CPU per round at 10^6 parameters (every
 * deleted value is copied to the undo log). Other JDBC URLs keep the chunks in the {@code chunks} table.
 */
public final class Store implements AutoCloseable {
    private final JdbcConnectionPool pool;
    private final java.nio.file.Path chunkDir; // null: chunks in the database

    public Store(String jdbcUrl) throws SQLException {
        this.chunkDir = chunkDirectory(jdbcUrl);
        if (chunkDir != null) {
            try {
                java.nio.file.Files.createDirectories(chunkDir);
                try {
                    java.nio.file.Files.setPosixFilePermissions(chunkDir,
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            } catch (java.io.IOException e) {
                throw new SQLException("cannot create the chunk directory " + chunkDir + ": " + e.getMessage(), e);
            }
        }
        this.pool = JdbcConnectionPool.create(jdbcUrl, "sa", "");
        pool.setMaxConnections(16);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kv (k VARCHAR(200) PRIMARY KEY, v VARBINARY)");
            s.execute("CREATE TABLE IF NOT EXISTS submissions (kind INT, round INT, attempt INT, hospital VARCHAR(64),"
                    + " digest VARCHAR(64), chunks INT, bytes BIGINT, PRIMARY KEY (kind, round, attempt, hospital))");
            s.execute("CREATE TABLE IF NOT EXISTS chunks (kind INT, round INT, attempt INT, hospital VARCHAR(64),"
                    + " idx INT, data VARBINARY, PRIMARY KEY (kind, round, attempt, hospital, idx))");
        }
    }

    /** The chunk directory of an embedded H2 file database ({@code <file>-chunks}); null for other URLs. */
    static java.nio.file.Path chunkDirectory(String jdbcUrl) {
        String prefix = "jdbc:h2:file:";
        if (!jdbcUrl.startsWith(prefix)) {
            return null;
        }
        String file = jdbcUrl.substring(prefix.length());
        int semi = file.indexOf(';');
        if (semi >= 0) {
            file = file.substring(0, semi);
        }
        if (file.startsWith("~")) {
            file = System.getProperty("user.home") + file.substring(1);
        }
        return java.nio.file.Path.of(file + "-chunks").toAbsolutePath();
    }

    private java.nio.file.Path chunkFolder(int kind, int round, int attempt, String hospital) {
        // hospital names (and "*aggregate") are hex-encoded: no name can escape the directory
        return chunkDir.resolve(kind + "-" + round).resolve(attempt + "-" + java.util.HexFormat.of().formatHex(
                hospital.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private void writeChunkFile(int kind, int round, int attempt, String hospital, int idx, byte[] data)
            throws SQLException {
        java.nio.file.Path dir = chunkFolder(kind, round, attempt, hospital);
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path tmp = dir.resolve(idx + ".tmp");
            java.nio.file.Files.write(tmp, data);
            java.nio.file.Files.move(tmp, dir.resolve(Integer.toString(idx)),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot store chunk " + idx + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(java.nio.file.Path p) throws SQLException {
        if (!java.nio.file.Files.exists(p)) {
            return;
        }
        try (var files = java.nio.file.Files.walk(p)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.sorted(
                    java.util.Comparator.reverseOrder())::iterator) {
                java.nio.file.Files.deleteIfExists(f);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new SQLException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    /** The default embedded database in {@code dir}. */
    public static String defaultUrl(java.nio.file.Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("coordinator") + ";WRITE_DELAY=0";
    }

    public Optional<byte[]> get(String key) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
            p.setString(1, key);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
            }
        }
    }

    public void put(String key, byte[] value) throws SQLException {
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("MERGE INTO kv (k, v) KEY (k) VALUES (?, ?)")) {
            p.setString(1, key);
            p.setBytes(2, value);
            p.executeUpdate();
        }
    }

    /** Several key-value writes in one transaction. */
    public void putAll(java.util.Map<String, byte[]> values) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("MERGE INTO kv (k, v) KEY (k) VALUES (?, ?)")) {
                for (var e : values.entrySet()) {
                    p.setString(1, e.getKey());
                    p.setBytes(2, e.getValue());
                    p.addBatch();
                }
                p.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** A completed submission. */
    public record Submission(String hospital, String digest, int chunks, long bytes) { }

    public Optional<Submission> submission(int kind, int round, int attempt, String hospital) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT digest, chunks, bytes FROM submissions WHERE kind=? AND round=? AND attempt=? AND hospital=?")) {
            p.setInt(1, kind);
            p.setInt(2, round);
            p.setInt(3, attempt);
            p.setString(4, hospital);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(new Submission(hospital, r.getString(1), r.getInt(2), r.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    public List<Submission> submissions(int kind, int round, int attempt) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT hospital, digest, chunks, bytes FROM submissions WHERE kind=? AND round=? AND attempt=?"
                        + " ORDER BY hospital")) {
            p.setInt(1, kind);
            p.setInt(2, round);
            p.setInt(3, attempt);
            List<Submission> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Submission(r.getString(1), r.getString(2), r.getInt(3), r.getLong(4)));
                }
            }
            return out;
        }
    }

    /** Marks a submission complete (its chunks must already be stored). */
    public void complete(int kind, int round, int attempt, Submission s) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO submissions (kind, round, attempt, hospital, digest, chunks, bytes) VALUES (?,?,?,?,?,?,?)")) {
            p.setInt(1, kind);
            p.setInt(2, round);
            p.setInt(3, attempt);
            p.setString(4, s.hospital());
            p.setString(5, s.digest());
            p.setInt(6, s.chunks());
            p.setLong(7, s.bytes());
            p.executeUpdate();
        }
    }

    public void deleteSubmission(int kind, int round, int attempt, String hospital) throws SQLException {
        if (chunkDir != null) {
            deleteTree(chunkFolder(kind, round, attempt, hospital));
        }
        try (Connection c = pool.getConnection()) {
            for (String table : new String[] {"submissions", "chunks"}) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table
                        + " WHERE kind=? AND round=? AND attempt=? AND hospital=?")) {
                    p.setInt(1, kind);
                    p.setInt(2, round);
                    p.setInt(3, attempt);
                    p.setString(4, hospital);
                    p.executeUpdate();
                }
            }
        }
    }

    /**
     * Deletes the chunks an interrupted upload may have left for a submission that has no row (the caller knows it
     * has none): its chunk folder when chunks are files, its chunk rows otherwise. With chunk files there is no SQL
     * statement (new chunks never go to the table, and a chunk file shadows a row of the same index).
     */
    public void discardChunks(int kind, int round, int attempt, String hospital) throws SQLException {
        if (chunkDir != null) {
            deleteTree(chunkFolder(kind, round, attempt, hospital));
            return;
        }
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(
                "DELETE FROM chunks WHERE kind=? AND round=? AND attempt=? AND hospital=?")) {
            p.setInt(1, kind);
            p.setInt(2, round);
            p.setInt(3, attempt);
            p.setString(4, hospital);
            p.executeUpdate();
        }
    }

    public void putChunk(int kind, int round, int attempt, String hospital, int idx, byte[] data) throws SQLException {
        if (chunkDir != null) {
            writeChunkFile(kind, round, attempt, hospital, idx, data);
            return;
        }
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(
                "MERGE INTO chunks (kind, round, attempt, hospital, idx, data) KEY (kind, round, attempt, hospital, idx)"
                        + " VALUES (?,?,?,?,?,?)")) {
            p.setInt(1, kind);
            p.setInt(2, round);
            p.setInt(3, attempt);
            p.setString(4, hospital);
            p.setInt(5, idx);
            p.setBytes(6, data);
            p.executeUpdate();
        }
    }

    /** Chunks 0 … count−1 of one object, produced one at a time and written in one transaction. */
    public void putChunks(int kind, int round, int attempt, String hospital, int count,
            java.util.function.IntFunction<byte[]> chunk) throws SQLException {
        if (chunkDir != null) {
            for (int i = 0; i < count; i++) {
                writeChunkFile(kind, round, attempt, hospital, i, chunk.apply(i));
            }
            return;
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("MERGE INTO chunks (kind, round, attempt, hospital, idx, data)"
                    + " KEY (kind, round, attempt, hospital, idx) VALUES (?,?,?,?,?,?)")) {
                for (int i = 0; i < count; i++) {
                    p.setInt(1, kind);
                    p.setInt(2, round);
                    p.setInt(3, attempt);
                    p.setString(4, hospital);
                    p.setInt(5, i);
                    p.setBytes(6, chunk.apply(i));
                    p.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    public byte[] chunk(int kind, int round, int attempt, String hospital, int idx) throws SQLException {
        if (chunkDir != null) {
            java.nio.file.Path f = chunkFolder(kind, round, attempt, hospital).resolve(Integer.toString(idx));
            try {
                return java.nio.file.Files.readAllBytes(f);
            } catch (java.nio.file.NoSuchFileException e) {
                // not in the directory: a database written before chunks moved to files keeps them in its table
            } catch (java.io.IOException e) {
                throw new SQLException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT data FROM chunks WHERE kind=? AND round=? AND attempt=? AND hospital=? AND idx=?")) {
            p.setInt(1, kind);
            p.setInt(2, round);
            p.setInt(3, attempt);
            p.setString(4, hospital);
            p.setInt(5, idx);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("missing chunk " + idx + " of " + hospital + " (kind " + kind + ", round "
                            + round + ", attempt " + attempt + ")");
                }
                return r.getBytes(1);
            }
        }
    }

    /** Drops stored chunks of finished rounds (keeps the submission rows, the idempotency record). */
    public void pruneChunks(int kind, int beforeRound) throws SQLException {
        if (chunkDir != null) {
            String prefix = kind + "-";
            try (var dirs = java.nio.file.Files.list(chunkDir)) {
                for (java.nio.file.Path d : (Iterable<java.nio.file.Path>) dirs::iterator) {
                    String n = d.getFileName().toString();
                    if (n.startsWith(prefix) && Integer.parseInt(n.substring(prefix.length())) < beforeRound) {
                        deleteTree(d);
                    }
                }
            } catch (java.io.IOException | NumberFormatException e) {
                throw new SQLException("cannot prune " + chunkDir + ": " + e.getMessage(), e);
            }
        }
        try (Connection c = pool.getConnection();
                PreparedStatement p = c.prepareStatement("DELETE FROM chunks WHERE kind=? AND round<?")) {
            p.setInt(1, kind);
            p.setInt(2, beforeRound);
            p.executeUpdate();
        }
    }

    @Override
    public void close() {
        pool.dispose();
    }
}

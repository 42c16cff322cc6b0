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
 */
public final class Store implements AutoCloseable {
    private final JdbcConnectionPool pool;

    public Store(String jdbcUrl) throws SQLException {
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

    public void putChunk(int kind, int round, int attempt, String hospital, int idx, byte[] data) throws SQLException {
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

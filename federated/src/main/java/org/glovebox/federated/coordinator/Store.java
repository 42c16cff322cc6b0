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
 * kept as files in a directory beside it ({@code <database>-chunks}, owner-only): the chunks of one object (an
 * upload, a set of decryption shares, an aggregate) in one file, appended as they arrive to a temporary file that is
 * renamed into place when the object is complete ({@link #writer}); the database keeps the state and the submission
 * rows. Deleting a finished round's chunks is then a few file deletions, where deleting the same rows from H2 cost
 * seconds of CPU per round at 10^6 parameters (every deleted value is copied to the undo log), and one file per object
 * instead of one per chunk spares most of the file creations, which cost 0.3–0.5 ms of CPU each on a loaded machine.
 * Objects written by earlier versions (a directory with one file per chunk) are still read. Other JDBC URLs keep the
 * chunks in the {@code chunks} table.
 *
 * <p>Object file layout: for each chunk its length (int) and bytes; then the offset (long) of each chunk record, the
 * chunk count (int) and the magic {@code GBCI} (int), so that any chunk is read with two positioned reads.
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

    /** The file of an object (a directory of chunk files for objects of earlier versions). */
    private java.nio.file.Path objectPath(int kind, int round, int attempt, String hospital) {
        // hospital names (and "*aggregate") are hex-encoded: no name can escape the directory
        return chunkDir.resolve(kind + "-" + round).resolve(attempt + "-" + java.util.HexFormat.of().formatHex(
                hospital.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static final int INDEX_MAGIC = 0x47424349; // "GBCI"

    /**
     * The chunks of one object being written, in order: appended as they come, made visible (atomically, as a whole)
     * by {@link #commit}; {@link #close} without commit discards them.
     */
    public interface ChunkWriter extends AutoCloseable {
        /** Appends the next chunk. */
        void append(byte[] data) throws SQLException;

        /** Makes the object visible under its key, replacing any earlier one. */
        void commit() throws SQLException;

        /** Discards the object unless it was committed. */
        @Override
        void close();
    }

    /** A writer for the chunks of (kind, round, attempt, hospital); chunk i is the i-th appended. */
    public ChunkWriter writer(int kind, int round, int attempt, String hospital) throws SQLException {
        if (chunkDir == null) {
            return new ChunkWriter() {
                int next;

                public void append(byte[] data) throws SQLException {
                    putChunkRow(kind, round, attempt, hospital, next++, data);
                }

                public void commit() {
                }

                public void close() {
                }
            };
        }
        return new ObjectFileWriter(objectPath(kind, round, attempt, hospital));
    }

    /** Appends chunk records to a temporary file (unique name: concurrent writers never share one). */
    private static final class ObjectFileWriter implements ChunkWriter {
        private final java.nio.file.Path target;
        private final java.nio.file.Path tmp;
        private final java.io.DataOutputStream out;
        private long[] offsets = new long[8];
        private int count;
        private long position;
        private boolean done;

        ObjectFileWriter(java.nio.file.Path target) throws SQLException {
            this.target = target;
            try {
                java.nio.file.Files.createDirectories(target.getParent());
                this.tmp = java.nio.file.Files.createTempFile(target.getParent(), target.getFileName().toString(),
                        ".part");
                this.out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                        java.nio.file.Files.newOutputStream(tmp), 1 << 16));
            } catch (java.io.IOException e) {
                throw new SQLException("cannot create a chunk file beside " + target + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void append(byte[] data) throws SQLException {
            try {
                if (count == offsets.length) {
                    offsets = java.util.Arrays.copyOf(offsets, 2 * count);
                }
                offsets[count++] = position;
                out.writeInt(data.length);
                out.write(data);
                position += 4L + data.length;
            } catch (java.io.IOException e) {
                throw new SQLException("cannot write " + tmp + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void commit() throws SQLException {
            try {
                for (int i = 0; i < count; i++) {
                    out.writeLong(offsets[i]);
                }
                out.writeInt(count);
                out.writeInt(INDEX_MAGIC);
                out.close();
                if (java.nio.file.Files.isDirectory(target)) {
                    deleteTree(target); // an object of an earlier version under the same key
                }
                java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                done = true;
            } catch (java.io.IOException e) {
                throw new SQLException("cannot store " + target + ": " + e.getMessage(), e);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                out.close();
            } catch (java.io.IOException e) {
                // discarded anyway
            }
            try {
                java.nio.file.Files.deleteIfExists(tmp);
            } catch (java.io.IOException e) {
                // pruned with its round
            }
        }
    }

    /** Chunk {@code idx} of an object file (see the class comment); null if there is no such file. */
    private static byte[] readObjectChunk(java.nio.file.Path f, int idx) throws SQLException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            long size = ch.size();
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(8);
            if (size < 8 || readFully(ch, tail, size - 8) != 8) {
                throw new SQLException("chunk file " + f + " is truncated");
            }
            int count = tail.getInt(0);
            if (tail.getInt(4) != INDEX_MAGIC || count < 0 || 8L * count + 8 > size) {
                throw new SQLException("chunk file " + f + " has no valid index");
            }
            if (idx < 0 || idx >= count) {
                throw new SQLException("chunk file " + f + " holds " + count + " chunks, asked for chunk " + idx);
            }
            long indexStart = size - 8 - 8L * count;
            java.nio.ByteBuffer off = java.nio.ByteBuffer.allocate(8);
            readFully(ch, off, indexStart + 8L * idx);
            long at = off.getLong(0);
            java.nio.ByteBuffer len = java.nio.ByteBuffer.allocate(4);
            if (at < 0 || at + 4 > indexStart || readFully(ch, len, at) != 4) {
                throw new SQLException("chunk file " + f + ": chunk " + idx + " is out of range");
            }
            int n = len.getInt(0);
            if (n < 0 || at + 4 + n > indexStart) {
                throw new SQLException("chunk file " + f + ": chunk " + idx + " has an invalid length");
            }
            java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(n);
            readFully(ch, data, at + 4);
            return data.array();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static int readFully(java.nio.channels.FileChannel ch, java.nio.ByteBuffer b, long at)
            throws java.io.IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b, at + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
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
            deleteTree(objectPath(kind, round, attempt, hospital));
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
            deleteTree(objectPath(kind, round, attempt, hospital));
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

    private void putChunkRow(int kind, int round, int attempt, String hospital, int idx, byte[] data)
            throws SQLException {
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

    /** Chunks 0 … count−1 of one object, produced one at a time and stored as one object (one transaction). */
    public void putChunks(int kind, int round, int attempt, String hospital, int count,
            java.util.function.IntFunction<byte[]> chunk) throws SQLException {
        if (chunkDir != null) {
            try (ChunkWriter w = writer(kind, round, attempt, hospital)) {
                for (int i = 0; i < count; i++) {
                    w.append(chunk.apply(i));
                }
                w.commit();
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
            java.nio.file.Path object = objectPath(kind, round, attempt, hospital);
            if (!java.nio.file.Files.isDirectory(object)) {
                byte[] b = readObjectChunk(object, idx);
                if (b != null) {
                    return b;
                }
            }
            // an object of an earlier version: a directory with one file per chunk
            java.nio.file.Path f = object.resolve(Integer.toString(idx));
            try {
                return java.nio.file.Files.readAllBytes(f);
            } catch (java.nio.file.NoSuchFileException e) {
                // not there either: a database written before chunks moved to files keeps them in its table
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

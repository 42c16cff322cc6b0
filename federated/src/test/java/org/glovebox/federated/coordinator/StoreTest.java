package org.glovebox.federated.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk store: one file per object, committed whole; objects of the earlier layout still read. */
class StoreTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void chunksOfOneObjectAreOneFileVisibleOnlyWhenCommitted() throws Exception {
        try (Store store = new Store(Store.defaultUrl(tmp))) {
            Path chunks = Store.chunkDirectory(Store.defaultUrl(tmp));
            List<byte[]> data = List.of(bytes(100, 1), bytes(0, 2), bytes(70_000, 3));
            try (Store.ChunkWriter w = store.writer(14, 3, 0, "hospital-1")) {
                for (byte[] d : data) {
                    w.append(d);
                }
                assertThatThrownBy(() -> store.chunk(14, 3, 0, "hospital-1", 0)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("missing chunk");
                w.commit();
            }
            for (int i = 0; i < data.size(); i++) {
                assertThat(store.chunk(14, 3, 0, "hospital-1", i)).isEqualTo(data.get(i));
            }
            assertThatThrownBy(() -> store.chunk(14, 3, 0, "hospital-1", 3)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("holds 3 chunks");
            assertThat(files(chunks)).hasSize(1);

            // an upload that breaks off leaves nothing behind, and a later complete one replaces nothing it should not
            try (Store.ChunkWriter w = store.writer(14, 3, 0, "hospital-2")) {
                w.append(bytes(10, 4));
            }
            assertThat(files(chunks)).hasSize(1);
            store.putChunks(6, 3, 0, "*aggregate", 2, i -> bytes(5 + i, 9));
            assertThat(store.chunk(6, 3, 0, "*aggregate", 1)).isEqualTo(bytes(6, 9));

            // a committed object replaces the earlier one under the same key; discarding deletes it
            store.putChunks(14, 3, 0, "hospital-1", 1, i -> bytes(3, 7));
            assertThat(store.chunk(14, 3, 0, "hospital-1", 0)).isEqualTo(bytes(3, 7));
            store.discardChunks(14, 3, 0, "hospital-1");
            assertThatThrownBy(() -> store.chunk(14, 3, 0, "hospital-1", 0)).isInstanceOf(SQLException.class);

            // pruning drops whole rounds
            store.pruneChunks(6, 4);
            assertThatThrownBy(() -> store.chunk(6, 3, 0, "*aggregate", 0)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void objectsOfTheEarlierLayoutAreReadAndReplaced() throws Exception {
        try (Store store = new Store(Store.defaultUrl(tmp))) {
            Path chunks = Store.chunkDirectory(Store.defaultUrl(tmp));
            // the earlier layout: <kind>-<round>/<attempt>-<hex name>/<index>
            Path old = chunks.resolve("15-2").resolve("0-" + java.util.HexFormat.of().formatHex(
                    "hospital-3".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Files.createDirectories(old);
            Files.write(old.resolve("0"), bytes(40, 5));
            Files.write(old.resolve("1"), bytes(41, 6));
            assertThat(store.chunk(15, 2, 0, "hospital-3", 1)).isEqualTo(bytes(41, 6));
            store.putChunks(15, 2, 0, "hospital-3", 1, i -> bytes(8, 8));
            assertThat(store.chunk(15, 2, 0, "hospital-3", 0)).isEqualTo(bytes(8, 8));
            assertThat(Files.isRegularFile(old)).isTrue();
        }
    }

    @Test
    void aDamagedObjectFileIsReportedNotMisread() throws Exception {
        try (Store store = new Store(Store.defaultUrl(tmp))) {
            store.putChunks(14, 1, 0, "h", 2, i -> bytes(1000, i));
            Path f = files(Store.chunkDirectory(Store.defaultUrl(tmp))).get(0);
            byte[] all = Files.readAllBytes(f);
            Files.write(f, java.util.Arrays.copyOf(all, all.length - 3)); // truncated: the index is gone
            assertThatThrownBy(() -> store.chunk(14, 1, 0, "h", 0)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("index");
            byte[] badOffset = all.clone();
            java.nio.ByteBuffer.wrap(badOffset).putLong(all.length - 8 - 16 + 8, 1L << 40); // offset of chunk 1
            Files.write(f, badOffset);
            assertThat(store.chunk(14, 1, 0, "h", 0)).isEqualTo(bytes(1000, 0));
            assertThatThrownBy(() -> store.chunk(14, 1, 0, "h", 1)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("out of range");
        }
    }

    @Test
    void otherDatabasesKeepChunksInTheirTable() throws Exception {
        try (Store store = new Store("jdbc:h2:mem:storetest")) {
            try (Store.ChunkWriter w = store.writer(14, 1, 0, "h")) {
                w.append(bytes(12, 1));
                w.append(bytes(13, 2));
                w.commit();
            }
            assertThat(store.chunk(14, 1, 0, "h", 1)).isEqualTo(bytes(13, 2));
            store.putChunks(6, 1, 0, "*aggregate", 1, i -> bytes(4, 4));
            assertThat(store.chunk(6, 1, 0, "*aggregate", 0)).isEqualTo(bytes(4, 4));
            store.discardChunks(14, 1, 0, "h");
            assertThatThrownBy(() -> store.chunk(14, 1, 0, "h", 0)).isInstanceOf(SQLException.class);
        }
    }
}

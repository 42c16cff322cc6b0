package org.glovebox.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.glovebox.he.io.MalformedDataException;

/** Hostile-input checks shared by the tests of every ml file format. */
public final class HostileInput {
    private HostileInput() {
    }

    /** A reader under test. */
    @FunctionalInterface
    public interface Reader {
        Object read(InputStream in) throws IOException;
    }

    /**
     * The valid bytes read back; every truncation fails with {@link MalformedDataException}; random corruptions
     * either read (a flipped bit inside a residue is still a ciphertext) or fail with an IOException: never another
     * exception, never an out-of-memory error.
     */
    public static void check(byte[] valid, Reader reader) throws IOException {
        assertThat(reader.read(new ByteArrayInputStream(valid))).isNotNull();
        int[] cuts = {0, 1, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 30, 40, 64, 100, 200, valid.length / 2,
            valid.length - 2, valid.length - 1};
        for (int cut : cuts) {
            if (cut >= 0 && cut < valid.length) {
                byte[] b = Arrays.copyOf(valid, cut);
                assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(b))).as("cut at %d", cut)
                        .isInstanceOf(MalformedDataException.class);
            }
        }
        byte[] longer = Arrays.copyOf(valid, valid.length + 1);
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(longer))).isInstanceOf(
                MalformedDataException.class);
        byte[] magic = valid.clone();
        magic[0] ^= 0x20;
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(magic))).isInstanceOf(
                MalformedDataException.class).hasMessageContaining("magic");
        byte[] version = valid.clone();
        version[5] ^= 0x7;
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(version))).isInstanceOf(
                MalformedDataException.class).hasMessageContaining("version");
        SplittableRandom r = new SplittableRandom(42);
        int headerSpan = Math.min(valid.length, 400);
        for (int trial = 0; trial < 150; trial++) {
            byte[] b = valid.clone();
            int pos = trial < 100 ? 6 + r.nextInt(Math.max(1, headerSpan - 6)) : r.nextInt(b.length);
            b[pos] = (byte) (trial % 3 == 0 ? 0xff : trial % 3 == 1 ? 0x7f : r.nextInt(256));
            try {
                reader.read(new ByteArrayInputStream(b));
            } catch (IOException expected) {
                // refused with a clear exception: fine
            } catch (RuntimeException e) {
                throw new AssertionError("corruption at byte " + pos + " gave " + e, e);
            }
        }
    }

    /** Overwrites 4 bytes at {@code offset} with {@code value} (big-endian). */
    public static byte[] withInt(byte[] valid, int offset, int value) {
        byte[] b = valid.clone();
        java.nio.ByteBuffer.wrap(b).putInt(offset, value);
        return b;
    }
}

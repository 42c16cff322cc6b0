package org.glovebox.he.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bit-packed residue arrays: exact layout, round trips at every width, bound checks, truncation. */
class BitPackingTest {
    /** The layout, written bit by bit: value i occupies bits [i·bits, (i+1)·bits), least significant first. */
    private static byte[] reference(long[] values, int bits) {
        byte[] out = new byte[(int) (((long) values.length * bits + 7) / 8)];
        long pos = 0;
        for (long v : values) {
            for (int k = 0; k < bits; k++, pos++) {
                if (((v >>> k) & 1) != 0) {
                    out[(int) (pos >>> 3)] |= (byte) (1 << (pos & 7));
                }
            }
        }
        return out;
    }

    private static byte[] write(long[] values, int bits) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BinaryWriter w = new BinaryWriter(b);
        w.writePacked(values, bits);
        w.flush();
        return b.toByteArray();
    }

    @Test
    void everyWidthMatchesTheBitLayoutAndRoundTrips() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        for (int bits = 1; bits <= 64; bits++) {
            for (int n : new int[] {0, 1, 2, 3, 7, 8, 9, 17, 1000}) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = bits == 64 ? r.nextLong() : r.nextLong() & ((1L << bits) - 1);
                }
                byte[] b = write(v, bits);
                assertThat(b).as("bits %d n %d", bits, n).isEqualTo(reference(v, bits));
                long[] back = new long[n];
                BinaryReader rd = new BinaryReader(new ByteArrayInputStream(b));
                rd.readPacked(back, bits, bits == 64 ? -1L : 1L << bits, "x");
                assertThat(back).isEqualTo(v);
                rd.expectEnd();
            }
        }
    }

    @Test
    void refusesValuesAtOrAboveTheBoundAndTruncatedInput() throws IOException {
        byte[] b = write(new long[] {5, 6, 7}, 3);
        assertThatThrownBy(() -> new BinaryReader(new ByteArrayInputStream(b)).readPacked(new long[3], 3, 7, "x"))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("index 2");
        byte[] c = write(new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 60);
        byte[] cut = java.util.Arrays.copyOf(c, c.length - 1);
        assertThatThrownBy(() -> new BinaryReader(new ByteArrayInputStream(cut)).readPacked(new long[8], 60,
                1L << 60, "x")).isInstanceOf(MalformedDataException.class).hasMessageContaining("truncated");
    }
}

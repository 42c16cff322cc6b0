package org.glovebox.ml.io;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glovebox.he.ckks.Ciphertext;
import org.glovebox.he.ckks.Parameters;
import org.glovebox.he.ckks.Serialization;
import org.glovebox.he.io.MalformedDataException;

/**
 * Shared pieces of the ml file containers: a 4-byte magic and a 2-byte version, then fields written with
 * {@link DataOutputStream} and ciphertexts in the he binary format. Every reader checks every count and range before
 * allocating, so a hostile file fails with {@link MalformedDataException}, never with an out-of-memory error.
 */
public final class Containers {
    public static final int MAX_NAME_BYTES = 1024;
    public static final int MAX_COLUMNS = 4096;
    public static final int MAX_ROWS = 100_000_000;

    private Containers() {
    }

    /** The four ASCII characters of a magic number, for messages. */
    public static String magicText(int magic) {
        return new String(new byte[] {(byte) (magic >>> 24), (byte) (magic >>> 16), (byte) (magic >>> 8),
            (byte) magic}, StandardCharsets.US_ASCII);
    }

    public static void writeHeader(DataOutputStream out, int magic, int version) throws IOException {
        out.writeInt(magic);
        out.writeShort(version);
    }

    /** Reads and checks the magic and version. */
    public static void readHeader(DataInputStream in, int magic, int version, String what) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw new MalformedDataException("not " + what + " (bad magic; expected " + magicText(magic) + ")");
        }
        int v = in.readUnsignedShort();
        if (v != version) {
            throw new MalformedDataException("unsupported " + what + " version " + v + " (this build reads " + version
                    + ")");
        }
    }

    public static void writeName(DataOutputStream out, String name) throws IOException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name longer than " + MAX_NAME_BYTES + " bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    public static String readName(DataInputStream in) throws IOException {
        int len = in.readUnsignedShort();
        if (len > MAX_NAME_BYTES) {
            throw new MalformedDataException("name of " + len + " bytes exceeds " + MAX_NAME_BYTES);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writeNames(DataOutputStream out, List<String> names) throws IOException {
        out.writeInt(names.size());
        for (String n : names) {
            writeName(out, n);
        }
    }

    /** Reads a list of {@code expected} unique names (or any count up to MAX_COLUMNS if expected is -1). */
    public static List<String> readNames(DataInputStream in, int expected) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_COLUMNS || (expected >= 0 && count != expected)) {
            throw new MalformedDataException("name count " + count + (expected >= 0 ? ", expected " + expected : "")
                    + " out of range");
        }
        List<String> names = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String n = readName(in);
            if (!seen.add(n)) {
                throw new MalformedDataException("name '" + n + "' appears twice");
            }
            names.add(n);
        }
        return names;
    }

    /** An int in [min, max] or a {@link MalformedDataException} naming the field. */
    public static int readInt(DataInputStream in, String field, int min, int max) throws IOException {
        int v = in.readInt();
        if (v < min || v > max) {
            throw new MalformedDataException(field + " " + v + " out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A finite double in [min, max]. */
    public static double readDouble(DataInputStream in, String field, double min, double max) throws IOException {
        double v = in.readDouble();
        if (!(v >= min && v <= max)) {
            throw new MalformedDataException(field + " " + v + " out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A ciphertext of the parameter set with the given slot count, size 2; fresh (top level) if asked. */
    public static Ciphertext readCiphertext(DataInputStream in, Parameters params, int slots, boolean fresh,
            String what) throws IOException {
        Ciphertext ct = Serialization.readCiphertext(in, params);
        if (ct.size() != 2) {
            throw new MalformedDataException(what + " is not relinearized (size " + ct.size() + ")");
        }
        if (ct.slots() != slots) {
            throw new MalformedDataException(what + " packs " + ct.slots() + " slots, expected " + slots);
        }
        if (fresh && ct.level() != params.maxLevel()) {
            throw new MalformedDataException(what + " is not a fresh encryption (level " + ct.level() + ")");
        }
        return ct;
    }

    public static void writeCiphertext(DataOutputStream out, Ciphertext ct) throws IOException {
        Serialization.writeCiphertext(ct, out);
    }

    /** Fails unless the stream is at its end. */
    public static void requireEnd(DataInputStream in, String what) throws IOException {
        if (in.read() != -1) {
            throw new MalformedDataException("unexpected data after the end of the " + what);
        }
    }

    /** Reads the 4-byte magic at the start of a stream that supports mark/reset, without consuming it. */
    public static int peekMagic(java.io.InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("stream must support mark/reset");
        }
        in.mark(4);
        byte[] b = in.readNBytes(4);
        in.reset();
        if (b.length < 4) {
            return 0;
        }
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }
}

package org.glovebox.data.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.glovebox.data.DataInputException;
import org.glovebox.data.SourceLocation;

/**
 * Opens input files the way hospital exports arrive: UTF-8 (a leading byte-order mark is skipped, invalid bytes are an
 * error rather than silently replaced), optionally gzip-compressed ({@code .gz}, as FHIR bulk exports often are).
 */
public final class InputFiles {

    private InputFiles() {
    }

    /** A strict UTF-8 reader over the file, transparently gunzipping {@code *.gz}. */
    public static Reader openText(Path file) {
        InputStream bytes = openBytes(file);
        try {
            PushbackInputStream in = new PushbackInputStream(bytes, 3);
            byte[] head = in.readNBytes(3);
            boolean bom = head.length == 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                    && (head[2] & 0xff) == 0xBF;
            if (!bom && head.length > 0) {
                in.unread(head);
            }
            return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));
        } catch (IOException e) {
            closeQuietly(bytes);
            throw new DataInputException(SourceLocation.of(file.toString()), "cannot read: " + e.getMessage(), e);
        }
    }

    /** The file's bytes, transparently gunzipping {@code *.gz}. */
    public static InputStream openBytes(Path file) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                try {
                    return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
                } catch (IOException e) {
                    closeQuietly(in);
                    throw new DataInputException(SourceLocation.of(file.toString()),
                            "named .gz but not gzip-compressed", e);
                }
            }
            return in;
        } catch (NoSuchFileException e) {
            throw new DataInputException(SourceLocation.of(file.toString()), "file not found", e);
        } catch (IOException e) {
            throw new DataInputException(SourceLocation.of(file.toString()), "cannot open: " + e.getMessage(), e);
        }
    }

    /** The file name without a trailing {@code .gz}, lower-cased, for deciding how to parse it. */
    public static String logicalName(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already failing with a more useful exception.
        }
    }
}

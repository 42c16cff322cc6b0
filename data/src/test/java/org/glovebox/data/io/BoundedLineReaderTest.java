package org.glovebox.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.glovebox.data.DataInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedLineReaderTest {

    private static List<String> lines(String text, int max) {
        BoundedLineReader r = new BoundedLineReader(new StringReader(text), "t.txt", max);
        List<String> out = new ArrayList<>();
        for (String line; (line = r.readLine()) != null; ) {
            out.add(r.lineNumber() + ":" + line);
        }
        return out;
    }

    @Test
    void acceptsEveryLineEndingAndAMissingFinalNewline() {
        assertThat(lines("a\nb\r\nc\rd", 10)).containsExactly("1:a", "2:b", "3:c", "4:d");
        assertThat(lines("a\r\n\r\nb\r\n", 10)).containsExactly("1:a", "2:", "3:b");
        assertThat(lines("", 10)).isEmpty();
    }

    @Test
    void linesLongerThanTheBufferAreJoined() {
        String longLine = "x".repeat(200_000);
        assertThat(lines(longLine + "\r\nshort", 300_000)).containsExactly("1:" + longLine, "2:short");
    }

    @Test
    void tooLongLineFailsWithItsNumberAndCanBeSkipped() {
        BoundedLineReader r = new BoundedLineReader(new StringReader("ok\n" + "y".repeat(100_000) + "\r\nnext"),
                "t.txt", 1000);
        assertThat(r.readLine()).isEqualTo("ok");
        assertThatThrownBy(r::readLine).isInstanceOf(LineTooLongException.class).hasMessageStartingWith("t.txt:2:");
        r.skipRestOfLine();
        assertThat(r.readLine()).isEqualTo("next");
        assertThat(r.lineNumber()).isEqualTo(3);
    }

    @Test
    void filesAreStrictUtf8AndTheByteOrderMarkIsSkipped(@TempDir Path dir) throws IOException {
        Path bom = Files.write(dir.resolve("bom.csv"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\n'});
        try (BoundedLineReader r = new BoundedLineReader(InputFiles.openText(bom), "bom.csv", 10)) {
            assertThat(r.readLine()).isEqualTo("a");
        }
        Path latin1 = Files.write(dir.resolve("latin1.csv"), new byte[] {'o', 'k', '\n', 'M', (byte) 0xFC, '\n'});
        try (BoundedLineReader r = new BoundedLineReader(InputFiles.openText(latin1), "latin1.csv", 10)) {
            assertThatThrownBy(() -> {
                while (r.readLine() != null) {
                    continue;
                }
            }).isInstanceOf(DataInputException.class).hasMessageContaining("not valid UTF-8");
        }
        Path fake = Files.writeString(dir.resolve("fake.csv.gz"), "plain");
        assertThatThrownBy(() -> InputFiles.openText(fake)).hasMessageContaining("not gzip-compressed");
    }
}

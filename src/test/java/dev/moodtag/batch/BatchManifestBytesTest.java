package dev.moodtag.batch;

import dev.moodtag.storage.S3ObjectStorage;
import dev.moodtag.testing.TextBytesFuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code moodtag tag list.csv} reads its manifest as the UTF-8 text it was meant to be, or refuses it naming the
 * manifest and the line of the file the bytes that are not UTF-8 stand on: saved as Windows-1252, Latin-1 or UTF-16, or
 * with one stray byte, it was refused as "cannot read manifest ...: Input length = 1", naming no line and no encoding.
 */
class BatchManifestBytesTest {

    private static final List<String> NAMES = List.of("café.wav", "Grüße aus Köln.mp4", "naïve “quoted” – dash.wav",
            "😀 joy.wav", "plain.wav", "two\nlines.wav", "« guillemets ».wav", "Ελληνικά.wav", "日本語です.wav", "a, b.wav");

    private static String manifest(String newline) {
        StringBuilder csv = new StringBuilder("path,note").append(newline).append("# a comment: é").append(newline);
        for (String n : NAMES) csv.append('"').append(n.replace("\n", newline)).append("\",ü").append(newline);
        return csv.toString();
    }

    @Test
    void everyManifestIsReadAsUtf8OrRefusedNamingItAndTheLine(@TempDir Path dir) throws Exception {
        BatchSources sources = new BatchSources(new S3ObjectStorage(List.of("media"), Optional.empty(), () -> {
            throw new AssertionError("no S3 call expected");
        }));
        List<String> wrong = new ArrayList<>();
        int read = 0;
        List<TextBytesFuzz.Case> cases = TextBytesFuzz.cases(BatchManifestBytesTest::manifest, 20261208, 300);
        for (int i = 0; i < cases.size(); i++) {
            TextBytesFuzz.Case c = cases.get(i);
            Path file = Files.write(dir.resolve("list" + i + ".csv"), c.bytes());
            try {
                List<String> keys = sources.resolve(file.toString(), ".emotion.json").stream().map(b -> b.ref().key())
                        .map(k -> k.replace("\r\n", "\n").replace('\r', '\n')).toList();
                read++;
                if (!c.utf8()) wrong.add(c.how() + ": read though not UTF-8: " + keys);
                else if (!keys.equals(NAMES)) wrong.add(c.how() + ": " + keys);
            } catch (IllegalArgumentException e) {
                String why = TextBytesFuzz.wrongRefusal(c, file, e.getMessage());
                if (why != null) wrong.add(why);
            } catch (RuntimeException e) {
                wrong.add(c.how() + ": " + e);
            }
        }
        assertEquals(List.of(), wrong.stream().limit(15).toList(), wrong.size() + " of " + cases.size() + " wrong");
        assertEquals(6, read, "the six UTF-8 manifests, with and without a mark, in each line ending");
    }
}

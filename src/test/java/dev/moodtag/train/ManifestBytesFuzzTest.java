package dev.moodtag.train;

import dev.moodtag.testing.TextBytesFuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A manifest's bytes as spreadsheets and editors save them, and damaged: it is read as the UTF-8 text it was meant to
 * be, or refused with an {@link IllegalArgumentException} naming the manifest, saying it is not UTF-8 and on which line
 * of the file, never an I/O failure (before, a manifest saved as Windows-1252 or UTF-16, or with one stray byte, failed
 * as an UncheckedIOException "reading manifest ...", caused by "MalformedInputException: Input length = 1", which
 * {@code moodtag train} printed as a stack trace).
 */
class ManifestBytesFuzzTest {

    private static final String[] TEXTS = {"café au lait", "Grüße aus Köln", "naïve “quoted” – dash", "😀 joy",
            "plain words", "\"two\nlines\"", "« guillemets »", "Ελληνικά", "日本語です", "a, b and c", "x", "-3 =1"};

    /** The same manifest in every line ending: 12 rows, text beyond ASCII, a quoted cell that spans two lines. */
    private static String manifest(String newline) {
        StringBuilder csv = new StringBuilder("id,label,group,transcript,media,feat.speech.b.0,feat.speech.b.1").append(newline);
        for (int i = 0; i < TEXTS.length; i++) {
            String text = TEXTS[i].contains(",") && !TEXTS[i].startsWith("\"") ? "\"" + TEXTS[i] + "\"" : TEXTS[i];
            csv.append("u").append(i).append(',').append(new String[]{"happy", "sad", "angry", "neutral"}[i % 4]).append(',')
                    .append("s").append(i % 3).append(',').append(text.replace("\n", newline)).append(',')
                    .append("clips/ü").append(i).append(".wav,").append(i).append(".5,-").append(i).append(newline);
        }
        return csv.toString();
    }

    @Test
    void everyManifestIsReadAsUtf8OrRefusedNamingItAndTheLine(@TempDir Path dir) throws Exception {
        List<String> wrong = new ArrayList<>();
        int read = 0, refused = 0;
        List<TextBytesFuzz.Case> cases = TextBytesFuzz.cases(ManifestBytesFuzzTest::manifest, 20261207, 400);
        for (int i = 0; i < cases.size(); i++) {
            TextBytesFuzz.Case c = cases.get(i);
            Path file = Files.write(dir.resolve("m" + i + ".csv"), c.bytes());
            try {
                DatasetManifest m = DatasetManifest.read(file);
                read++;
                if (!c.utf8()) {
                    wrong.add(c.how() + ": read though not UTF-8, transcripts " + m.rows().stream().map(ManifestRow::transcript).toList());
                    continue;
                }
                List<String> transcripts = m.rows().stream()
                        .map(r -> r.transcript().replace("\r\n", "\n").replace('\r', '\n')).toList();
                List<String> expected = new ArrayList<>();
                for (String t : TEXTS) expected.add(t.startsWith("\"") ? t.substring(1, t.length() - 1) : t);
                if (!transcripts.equals(expected)) wrong.add(c.how() + ": transcripts " + transcripts);
                if (!m.rows().get(3).media().get("media").endsWith(Path.of("clips/ü3.wav")))
                    wrong.add(c.how() + ": media " + m.rows().get(3).media());
            } catch (IllegalArgumentException e) {
                refused++;
                String why = TextBytesFuzz.wrongRefusal(c, file, e.getMessage());
                if (why != null) wrong.add(why);
            } catch (RuntimeException e) {
                wrong.add(c.how() + ": " + e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
            }
        }
        assertEquals(List.of(), wrong.stream().limit(15).toList(), wrong.size() + " of " + cases.size() + " wrong");
        assertEquals(6, read, "the six UTF-8 manifests, with and without a mark, in each line ending");
        assertTrue(refused > 400, refused + " refused");
    }
}

package dev.moodtag.cli;

import dev.moodtag.support.NotARegularFile;
import dev.moodtag.testing.TextBytesFuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code asr-eval}'s manifests and inputs from outside, adversarially: every manifest is read as the clips and reference
 * texts it lists, or refused before the recogniser loads with an {@link IllegalArgumentException} naming the manifest
 * and what is wrong where (the line, the cell, UTF-8). Before, a row naming a folder (an empty cell names the manifest's
 * own) passed and ended the run in a stack trace once the recogniser had loaded; a row or an input naming a FIFO waited
 * for ever, a stop signal waiting with it; a header with a byte order mark or spaces around a name scored every clip as
 * speech without a reference; bytes that are not UTF-8 and CSV that is not well-formed were stack traces, and a short
 * row or a column with no name commons-csv's words without the manifest's name.
 */
class AsrEvalManifestGridTest {

    @TempDir
    Path dir;

    /** The outcome of reading one manifest: the items, or the refusal. */
    private record Read(List<AsrEvalCommand.Item> items, RuntimeException refusal) {
    }

    private Read read(String name, byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve(name), bytes);
        try {
            return new Read(AsrEvalCommand.manifest(file), null);
        } catch (RuntimeException e) {
            return new Read(null, e);
        } catch (java.io.IOException e) {
            return new Read(null, new RuntimeException("an I/O failure: " + e, e));
        }
    }

    private Read read(String name, String text) throws Exception {
        return read(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String shown(Read r) {
        return r.refusal() == null ? "read " + r.items() : r.refusal() + (r.refusal().getCause() == null ? ""
                : " caused by " + r.refusal().getCause());
    }

    @Test
    void everyRowNamesARegularFileOrTheManifestIsRefusedNamingTheLineAndWhy() throws Exception {
        Files.writeString(dir.resolve("a.wav"), "RIFF");
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path pipe = dir.resolve("pipe.wav");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        Files.createSymbolicLink(dir.resolve("link-pipe.wav"), pipe);
        Files.createSymbolicLink(dir.resolve("link-sub.wav"), sub);
        Files.createSymbolicLink(dir.resolve("dangling.wav"), dir.resolve("gone.wav"));
        String folder = NotARegularFile.FOLDER, other = NotARegularFile.OTHER;
        // the file cell of the second row, and the words its refusal must hold
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("", "names no file");
        cells.put(".", folder);
        cells.put("./", folder);
        cells.put("sub", folder);
        cells.put("sub/", folder);
        cells.put("sub/..", folder);
        cells.put("../" + dir.getFileName(), folder);
        cells.put(sub.toString(), folder);
        cells.put("link-sub.wav", folder);
        cells.put("pipe.wav", other);
        cells.put("./sub/../pipe.wav", other);
        cells.put("link-pipe.wav", other);
        cells.put(pipe.toString(), other);
        cells.put("/dev/zero", other); // only looked at, never opened
        cells.put("missing.wav", "does not exist");
        cells.put("dangling.wav", "does not exist");
        List<String> wrong = new ArrayList<>();
        int i = 0;
        for (var cell : cells.entrySet()) {
            String name = "rows" + i++ + ".csv";
            Read r = read(name, "file,text\na.wav,hello\n" + cell.getKey() + ",good morning\n");
            String message = r.refusal() == null ? "" : String.valueOf(r.refusal().getMessage());
            if (!(r.refusal() instanceof IllegalArgumentException) || !message.contains(name) || !message.contains("line 3")
                    || !message.contains("'" + cell.getKey() + "'") || !message.contains(cell.getValue()))
                wrong.add("'" + cell.getKey() + "': " + shown(r));
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells.size() + " wrong");
    }

    @Test
    void aFifoOrDeviceGivenAsAClipIsRefusedBeforeStart() throws Exception {
        Path pipe = dir.resolve("pipe.wav");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        Files.createSymbolicLink(dir.resolve("link.wav"), pipe);
        List<String> wrong = new ArrayList<>();
        for (String input : List.of(pipe.toString(), dir.resolve("link.wav").toString(), "/dev/zero")) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            OptionalInt code = BeforeStart.answer(new String[]{"asr-eval", input, "--out", dir.resolve("o.csv").toString(),
                    "--cache", dir.resolve("cache").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
            if (code.orElse(-1) != 2 || !err.toString().contains(input + " is " + NotARegularFile.OTHER))
                wrong.add(input + ": " + (code.isPresent() ? "exit " + code.getAsInt() + " " + err : "passed to start"));
        }
        assertEquals(List.of(), wrong, wrong.size() + " of 3 wrong");
        assertTrue(Files.notExists(dir.resolve("cache")), "the check makes nothing");
    }

    @Test
    void headerNamesAreReadWithoutAByteOrderMarkAndSurroundingSpaces() throws Exception {
        Files.writeString(dir.resolve("a.wav"), "RIFF");
        // the header, and whether the file cell comes first in each row
        Map<String, Boolean> headers = new LinkedHashMap<>();
        for (String bom : List.of("", "\uFEFF")) {
            for (String[] names : List.of(new String[]{"file", "text"}, new String[]{"path", "reference"},
                    new String[]{"file", "transcript"})) {
                for (String[] pad : List.of(new String[]{"", ""}, new String[]{" ", ""}, new String[]{"", " "},
                        new String[]{" ", " "}, new String[]{"\t", "  "})) {
                    headers.put(bom + pad[0] + names[0] + pad[1] + "," + pad[0] + names[1] + pad[1], true);
                    headers.put(bom + pad[0] + names[1] + pad[1] + "," + pad[0] + names[0] + pad[1], false);
                }
            }
        }
        List<String> wrong = new ArrayList<>();
        int i = 0;
        for (var header : headers.entrySet()) {
            String rows = header.getValue() ? "a.wav,Kids are talking\n" : "Kids are talking,a.wav\n";
            Read r = read("header" + i++ + ".csv", header.getKey() + "\n" + rows);
            if (r.refusal() != null || r.items().size() != 1
                    || !"Kids are talking".equals(r.items().get(0).reference())
                    || !r.items().get(0).file().equals(dir.resolve("a.wav")))
                wrong.add(header.getKey().replace("\uFEFF", "<BOM>").replace("\t", "<TAB>") + ": " + shown(r));
        }
        assertEquals(List.of(), wrong.stream().limit(12).toList(), wrong.size() + " of " + headers.size() + " wrong");
    }

    @Test
    void malformedCsvAndRowsOfTheWrongLengthAreRefusedNamingTheManifest() throws Exception {
        Files.writeString(dir.resolve("a.wav"), "RIFF");
        // the manifest, and what the refusal must also name
        Map<String, String> manifests = new LinkedHashMap<>();
        manifests.put("file,text\na.wav,hello\na.wav\n", "line 3 has 1 cells");
        manifests.put("file,text\na.wav\na.wav,hello\n", "line 2 has 1 cells");
        manifests.put("file,text\na.wav,hello,there\n", "line 2 has 3 cells");
        manifests.put("file,text,group\na.wav,hello\n", "line 2 has 2 cells");
        manifests.put("file,text\na.wav,\"hello\n", "not well-formed CSV");
        manifests.put("file,text\na.wav,\"hel\"lo\"\n", "not well-formed CSV");
        manifests.put("file,,text\na.wav,x,hello\n", "a column with no name");
        manifests.put("file,text,\na.wav,hello,\n", "a column with no name");
        List<String> wrong = new ArrayList<>();
        int i = 0;
        for (var m : manifests.entrySet()) {
            String name = "shape" + i++ + ".csv";
            Read r = read(name, m.getKey());
            String message = r.refusal() == null ? "" : String.valueOf(r.refusal().getMessage());
            if (!(r.refusal() instanceof IllegalArgumentException) || !message.contains(name) || !message.contains(m.getValue()))
                wrong.add(m.getKey().replace("\n", "\\n") + ": " + shown(r));
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + manifests.size() + " wrong");
    }

    private static final String[] TEXTS = {"Kids are talking by the door", "café au lait", "Grüße aus Köln",
            "naïve “quoted” – dash", "😀 joy", "\"two\nlines\"", "Ελληνικά", "日本語です", "\"a, b and c\"", "-3 =1"};

    private static String manifest(String newline) {
        StringBuilder csv = new StringBuilder("file,text").append(newline);
        for (int i = 0; i < TEXTS.length; i++) csv.append("c").append(i).append(".wav,").append(TEXTS[i].replace("\n", newline)).append(newline);
        return csv.toString();
    }

    @Test
    void everyManifestIsReadAsUtf8OrRefusedNamingItAndTheLine() throws Exception {
        for (int i = 0; i < TEXTS.length; i++) Files.writeString(dir.resolve("c" + i + ".wav"), "RIFF");
        List<String> expected = new ArrayList<>();
        for (String t : TEXTS) expected.add(t.startsWith("\"") ? t.substring(1, t.length() - 1) : t);
        List<TextBytesFuzz.Case> cases = TextBytesFuzz.cases(AsrEvalManifestGridTest::manifest, 20261208, 300);
        List<String> wrong = new ArrayList<>();
        int read = 0;
        for (int i = 0; i < cases.size(); i++) {
            TextBytesFuzz.Case c = cases.get(i);
            Read r = read("bytes" + i + ".csv", c.bytes());
            if (r.refusal() == null) {
                read++;
                List<String> references = r.items().stream()
                        .map(item -> item.reference().replace("\r\n", "\n").replace('\r', '\n')).toList();
                if (!c.utf8()) wrong.add(c.how() + ": read though not UTF-8, references " + references);
                else if (!references.equals(expected)) wrong.add(c.how() + ": references " + references);
            } else {
                String why = r.refusal() instanceof IllegalArgumentException
                        ? TextBytesFuzz.wrongRefusal(c, dir.resolve("bytes" + i + ".csv"), String.valueOf(r.refusal().getMessage()))
                        : c.how() + ": " + shown(r);
                if (why != null) wrong.add(why);
            }
        }
        assertEquals(List.of(), wrong.stream().limit(12).toList(), wrong.size() + " of " + cases.size() + " wrong");
        assertEquals(6, read, "the six UTF-8 manifests, with and without a mark, in each line ending");
    }
}

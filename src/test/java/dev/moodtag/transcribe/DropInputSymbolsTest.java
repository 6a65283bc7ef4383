package dev.moodtag.transcribe;

import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The build step that drops the Vosk grammar's unused input symbol table ({@code src/main/vosk/DropInputSymbols.java},
 * run by the build as a single-file program, and so here): what it keeps is byte for byte what was there, what it
 * refuses it leaves untouched, and the shipped grammar went through it.
 */
class DropInputSymbolsTest {
    static final Path TOOL = Path.of("src/main/vosk/DropInputSymbols.java");
    static final int FST_MAGIC = 2125659606;
    static final int SYMBOL_TABLE_MAGIC = 2125658996;

    @Test
    void dropsTheInputTableAndKeepsEverythingElseByteForByte(@TempDir Path tmp) throws Exception {
        byte[] inputTable = symbolTable("words.txt", List.of("<eps>", "kids", "door"));
        byte[] outputTable = symbolTable("words.txt", List.of("<eps>", "kids", "door", "talking"));
        byte[] body = "arcs and weights \0\1\2\3".getBytes(StandardCharsets.ISO_8859_1);
        Path fst = tmp.resolve("Gr.fst");
        Files.write(fst, concat(header(0x3), inputTable, outputTable, body));

        assertEquals(0, run(fst), "exit status");

        assertArrayEquals(concat(header(0x2), outputTable, body), Files.readAllBytes(fst));
        byte[] once = Files.readAllBytes(fst);
        assertEquals(0, run(fst), "a second run");
        assertArrayEquals(once, Files.readAllBytes(fst), "a file without an input table is left as it is");
    }

    @Test
    void refusesWhatIsNotAnFstAndLeavesItAlone(@TempDir Path tmp) throws Exception {
        Path notFst = tmp.resolve("Gr.fst");
        byte[] garbage = "garbage\n".repeat(64).getBytes(StandardCharsets.US_ASCII);
        Files.write(notFst, garbage);
        assertNotEquals(0, run(notFst));
        assertArrayEquals(garbage, Files.readAllBytes(notFst));

        // The header says there is an input table, but what follows is not one.
        Path lying = tmp.resolve("lying.fst");
        byte[] content = concat(header(0x1), "not a symbol table".getBytes(StandardCharsets.US_ASCII));
        Files.write(lying, content);
        assertNotEquals(0, run(lying));
        assertArrayEquals(content, Files.readAllBytes(lying));
        try (var left = Files.list(tmp)) {
            assertEquals(2, left.count(), "no half-written file is left beside them");
        }
    }

    /** The built model's grammar keeps its output table (Vosk's words) and has no input table. */
    @Test
    void theBuiltGrammarHasOnlyItsOutputTable() throws IOException {
        Path grammar = Fixtures.BUILT_MODELS.resolve(TranscriberPackTest.MODEL).resolve("graph/Gr.fst");
        assertTrue(Files.isRegularFile(grammar), grammar + " is missing: the build (generate-resources) makes it");
        ByteBuffer head;
        try (var in = Files.newInputStream(grammar)) {
            head = ByteBuffer.wrap(in.readNBytes(256)).order(ByteOrder.LITTLE_ENDIAN);
        }
        assertEquals(FST_MAGIC, head.getInt());
        assertEquals("ngram", string(head));
        assertEquals("standard", string(head));
        head.getInt(); // version
        assertEquals(0x2, head.getInt() & 0x3, "flags: output symbols only");
        head.position(head.position() + 32);
        assertEquals(SYMBOL_TABLE_MAGIC, head.getInt(), "the output table follows the header");
    }

    private static int run(Path fst) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(launcher.toString(), TOOL.toString(), fst.toString()).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream()); // read so that it never blocks on a full pipe
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the tool did not finish within 2 minutes on " + fst);
        }
        return p.exitValue();
    }

    private static byte[] header(int flags) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FST_MAGIC);
        putString(b, "ngram");
        putString(b, "standard");
        b.putInt(4).putInt(flags).putLong(0x1234L).putLong(0).putLong(3).putLong(0);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] symbolTable(String name, List<String> symbols) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SYMBOL_TABLE_MAGIC);
        putString(b, name);
        b.putLong(symbols.size()).putLong(symbols.size());
        for (int i = 0; i < symbols.size(); i++) {
            putString(b, symbols.get(i));
            b.putLong(i);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length).put(bytes);
    }

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}

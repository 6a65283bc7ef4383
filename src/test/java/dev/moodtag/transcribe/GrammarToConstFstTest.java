package dev.moodtag.transcribe;

import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The build step that rewrites the Vosk grammar as a const FST ({@code src/main/vosk/GrammarToConstFst.java}, run by
 * the build as a single-file program, and so here). A small language model laid out as OpenFst's {@code NGramFst}
 * lays it out (a LOUDS context tree, futures, finals) must come out as the arcs worked out by hand below; what the
 * tool refuses it leaves untouched; the shipped grammar went through it.
 *
 * <p>The shipped file was also checked once against OpenFst's own tools (2026-12-05, {@code fstprint --numeric} of
 * the model's grammar, {@code fstcompile --keep_state_numbering --fst_type=const}): the same states and arcs, byte
 * for byte, but for 38 backoff weights of {@code -0} that the text round trip prints as {@code 0}.
 */
class GrammarToConstFstTest {
    static final Path TOOL = Path.of("src/main/vosk/GrammarToConstFst.java");
    static final int FST_MAGIC = 2125659606;
    static final int SYMBOL_TABLE_MAGIC = 2125658996;
    static final float ZERO = Float.POSITIVE_INFINITY; // the tropical semiring's zero: not final

    /*
     * The model, in the breadth-first state numbers NGramFst uses (0 the unigram state, 1 the start):
     *   context tree: 0 -> {1 (label 0, the start's forced epsilon), 2 (word 5), 3 (word 7)}, 2 -> {4 (word 3),
     *   5 (word 7)}, so state 4 is the history "3 5", state 5 the history "7 5", and both back off to state 2 ("5");
     *   futures: 0: 3, 5, 7, 9; 1: 5; 2: 3, 7; 3: 5; 4: 7, 9; 5: 5;  finals: 0 and 4.
     */
    static final long CONTEXT_BITS = bits("1011100110000");
    static final long FUTURE_BITS = bits("011110101101011010");
    static final long FINAL_BITS = bits("100010");
    static final int[] CONTEXT_WORDS = {-1, 0, 5, 7, 3, 7, 0};
    static final int[] FUTURE_WORDS = {3, 5, 7, 9, 5, 3, 7, 5, 7, 9, 5};
    static final float[] BACKOFF = {ZERO, 0.5f, 0.25f, 0.125f, 0.0625f, 0.03125f, 0f};
    static final float[] FINAL_WEIGHTS = {2.5f, 1.25f};
    static final float[] FUTURE_WEIGHTS = {0.9f, 1f, 2f, 3f, 1.5f, 0.7f, 0.75f, 0.5f, 0.3f, 4f, 0.6f, 0f};

    /** Each state's final weight, then its arcs as (input label, output label, weight, next state). */
    static final Object[][] EXPECTED = {
            {2.5f, arc(3, 0.9f, 0), arc(5, 1f, 2), arc(7, 2f, 3), arc(9, 3f, 0)}, // no history ends in 3 alone
            {ZERO, arc(0, 0.5f, 0), arc(5, 1.5f, 2)},
            {ZERO, arc(0, 0.25f, 0), arc(3, 0.7f, 0), arc(7, 0.75f, 3)},
            {ZERO, arc(0, 0.125f, 0), arc(5, 0.5f, 5)},                 // "7" then 5: the history "7 5", second child
            {1.25f, arc(0, 0.0625f, 2), arc(7, 0.3f, 3), arc(9, 4f, 0)},
            {ZERO, arc(0, 0.03125f, 2), arc(5, 0.6f, 2)},               // "7 5 5": only "5" is known
    };

    @Test
    void writesTheArcsOfTheLanguageModelAsAConstFst(@TempDir Path tmp) throws Exception {
        byte[] inputTable = symbolTable("words.txt", List.of("<eps>", "kids", "door"));
        byte[] outputTable = symbolTable("words.txt", List.of("<eps>", "kids", "door", "talking"));
        Path fst = tmp.resolve("Gr.fst");
        Files.write(fst, concat(header("ngram", 4, 0x3, 0x25a555550001L, 0), inputTable, outputTable, ngramBody()));

        assertEquals(0, run(fst), "exit status");

        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(fst)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] expectedHeader = header("const", 2, 0x2, 0x25a555550001L, 16);
        byte[] head = new byte[expectedHeader.length];
        out.get(head);
        assertArrayEquals(expectedHeader, head, "const, version 2, output symbols only, the same properties, 6 states, 16 arcs");
        byte[] table = new byte[outputTable.length];
        out.get(table);
        assertArrayEquals(outputTable, table, "the output table, byte for byte");

        int firstArc = 0;
        for (int s = 0; s < EXPECTED.length; s++) {
            int arcs = EXPECTED[s].length - 1;
            int backoffArcs = s == 0 ? 0 : 1;
            assertEquals((float) EXPECTED[s][0], out.getFloat(), "final weight of state " + s);
            assertEquals(firstArc, out.getInt(), "first arc of state " + s);
            assertEquals(arcs, out.getInt(), "arcs of state " + s);
            assertEquals(backoffArcs, out.getInt(), "input epsilons of state " + s);
            assertEquals(backoffArcs, out.getInt(), "output epsilons of state " + s);
            firstArc += arcs;
        }
        for (int s = 0; s < EXPECTED.length; s++) {
            for (int a = 1; a < EXPECTED[s].length; a++) {
                float[] arc = (float[]) EXPECTED[s][a];
                String which = "state " + s + ", arc " + (a - 1);
                assertEquals((int) arc[0], out.getInt(), which + ": input label");
                assertEquals((int) arc[0], out.getInt(), which + ": output label");
                assertEquals(arc[1], out.getFloat(), which + ": weight");
                assertEquals((int) arc[2], out.getInt(), which + ": next state");
            }
        }
        assertFalse(out.hasRemaining(), "nothing after the arcs");

        byte[] once = Files.readAllBytes(fst);
        assertEquals(0, run(fst), "a second run");
        assertArrayEquals(once, Files.readAllBytes(fst), "a const FST is left as it is");
    }

    @Test
    void refusesWhatItCannotReadAndLeavesItAlone(@TempDir Path tmp) throws Exception {
        byte[] body = ngramBody();
        Map<String, byte[]> refused = new LinkedHashMap<>();
        refused.put("garbage", "garbage\n".repeat(64).getBytes(StandardCharsets.US_ASCII));
        // The header says there is an input table, but what follows is not one.
        refused.put("lying", concat(header("ngram", 4, 0x1, 0, 0), "not a symbol table".getBytes(StandardCharsets.US_ASCII)));
        refused.put("vector", concat(header("vector", 2, 0, 0, 0), body));
        refused.put("version 3", concat(header("ngram", 3, 0, 0, 0), body));
        refused.put("truncated", concat(header("ngram", 4, 0, 0, 0), Arrays.copyOf(body, body.length - 20)));
        byte[] wrongCounts = body.clone();
        ByteBuffer.wrap(wrongCounts).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 10); // 10 futures, 11 in the bitmap
        refused.put("counts", concat(header("ngram", 4, 0, 0, 0), wrongCounts));
        byte[] hugeCounts = body.clone();
        ByteBuffer.wrap(hugeCounts).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        refused.put("huge", concat(header("ngram", 4, 0, 0, 0), hugeCounts));

        for (Map.Entry<String, byte[]> e : refused.entrySet()) {
            Path file = tmp.resolve(e.getKey().replace(' ', '-') + ".fst");
            Files.write(file, e.getValue());
            assertNotEquals(0, run(file), e.getKey());
            assertArrayEquals(e.getValue(), Files.readAllBytes(file), e.getKey() + ": left untouched");
        }
        try (var left = Files.list(tmp)) {
            assertEquals(refused.size(), left.count(), "no half-written file is left beside them");
        }
    }

    /**
     * A context tree whose walk towards the root comes back to where it started (state 2's node is its own parent):
     * refused by name, not walked until the memory runs out.
     */
    @Test
    void refusesAContextTreeThatGoesInCircles(@TempDir Path tmp) throws Exception {
        byte[] body = ngramBody();
        ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).putLong(24, bits("1010010111000")); // still 6 ones
        Path file = tmp.resolve("circle.fst");
        byte[] content = concat(header("ngram", 4, 0, 0, 0), body);
        Files.write(file, content);
        Ran ran = runTool(file);
        assertNotEquals(0, ran.exit());
        assertTrue(ran.output().contains("the context tree does not reach its root from state 2"), ran.output());
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    /**
     * A fuzz grid over the body: bytes flipped at random (seeded) in the bitmaps, words and weights. Whatever comes of
     * it, the tool finishes, and either writes a const FST or fails and leaves the file as it was, with nothing beside it.
     */
    @Test
    void corruptBodiesEndInAConstFstOrAnUntouchedFile(@TempDir Path tmp) throws Exception {
        byte[] head = header("ngram", 4, 0, 0x25a555550001L, 0);
        byte[] body = ngramBody();
        Random random = new Random(20261205);
        for (int variant = 0; variant < 8; variant++) {
            byte[] corrupt = body.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) corrupt[24 + random.nextInt(corrupt.length - 24)] ^= (byte) (1 << random.nextInt(8));
            byte[] content = concat(head, corrupt);
            Path file = tmp.resolve("fuzz-" + variant + ".fst");
            Files.write(file, content);
            int exit = run(file);
            byte[] after = Files.readAllBytes(file);
            if (exit == 0) {
                ByteBuffer b = ByteBuffer.wrap(after).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(FST_MAGIC, b.getInt(), "variant " + variant);
                assertEquals("const", string(b), "variant " + variant);
            } else {
                assertArrayEquals(content, after, "variant " + variant + ": refused and left untouched");
            }
        }
        try (var left = Files.list(tmp)) {
            assertEquals(8, left.count(), "no half-written file is left beside them");
        }
    }

    /** The built model's grammar is a const FST with its output table (Vosk's words) and no input table. */
    @Test
    void theBuiltGrammarIsAConstFstWithOnlyItsOutputTable() throws IOException {
        Path grammar = Fixtures.BUILT_MODELS.resolve(TranscriberPackTest.MODEL).resolve("graph/Gr.fst");
        assertTrue(Files.isRegularFile(grammar), grammar + " is missing: the build (generate-resources) makes it");
        ByteBuffer head;
        try (var in = Files.newInputStream(grammar)) {
            head = ByteBuffer.wrap(in.readNBytes(256)).order(ByteOrder.LITTLE_ENDIAN);
        }
        assertEquals(FST_MAGIC, head.getInt());
        assertEquals("const", string(head));
        assertEquals("standard", string(head));
        assertEquals(2, head.getInt(), "version");
        assertEquals(0x2, head.getInt(), "flags: output symbols only, not aligned");
        head.getLong(); // properties
        assertEquals(1, head.getLong(), "start state");
        assertEquals(196_557, head.getLong(), "states");
        assertEquals(2_195_831, head.getLong(), "arcs");
        assertEquals(SYMBOL_TABLE_MAGIC, head.getInt(), "the output table follows the header");
    }

    /** The LOUDS body of the model above, laid out as {@code NGramFstImpl} writes it. */
    private static byte[] ngramBody() {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(6).putLong(11).putLong(2);
        b.putLong(CONTEXT_BITS).putLong(FUTURE_BITS).putLong(FINAL_BITS);
        for (int w : CONTEXT_WORDS) b.putInt(w);
        for (int w : FUTURE_WORDS) b.putInt(w);
        for (float w : BACKOFF) b.putFloat(w);
        for (float w : FINAL_WEIGHTS) b.putFloat(w);
        for (float w : FUTURE_WEIGHTS) b.putFloat(w);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Bit i of the result is character i of the string (OpenFst's bitmaps count from the lowest bit). */
    private static long bits(String s) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '1') v |= 1L << i;
        return v;
    }

    private static float[] arc(int label, float weight, int next) {
        return new float[] {label, weight, next};
    }

    private static int run(Path fst) throws IOException, InterruptedException {
        return runTool(fst).exit();
    }

    private record Ran(int exit, String output) {
    }

    private static Ran runTool(Path fst) throws IOException, InterruptedException {
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(launcher.toString(), TOOL.toString(), fst.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // never blocks on a full pipe
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the tool did not finish within 2 minutes on " + fst);
        }
        return new Ran(p.exitValue(), output);
    }

    private static byte[] header(String type, int version, int flags, long properties, long arcs) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FST_MAGIC);
        putString(b, type);
        putString(b, "standard");
        b.putInt(version).putInt(flags).putLong(properties).putLong(1).putLong(6).putLong(arcs);
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

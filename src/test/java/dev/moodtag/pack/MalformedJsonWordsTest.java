package dev.moodtag.pack;

import dev.moodtag.classify.ClassifierStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A pack manifest or a classifier.json that does not parse stops every command in "one line naming the file" (README).
 * The line went on with Jackson's location, on a line of its own: " at [Source: REDACTED
 * (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 22]", so tag, embed, bench, bench-embed,
 * watch, train and asr-eval printed two lines (and serve's log a parser switch). Over a grid of broken JSON (cut short,
 * a key not quoted, a trailing comma, a stray character, a NUL, a second document, an empty file, one of spaces, a lone
 * bracket; each as the whole file and after a valid start) and the three readers (the manifest, the classifier's mode
 * as identity reads it, the whole classifier), each message is now one line naming the file, what is wrong and
 * "(line L, column C)".
 */
class MalformedJsonWordsTest {

    @TempDir
    Path tmp;

    private static final Pattern ONE_LINE_WITH_WHERE = Pattern.compile("[^\\n\\r]*: [^\\n\\r]+ \\(line \\d+, column \\d+\\)");

    private static Map<String, String> grid() {
        Map<String, String> grid = new LinkedHashMap<>();
        grid.put("cut short", "{ \"format\": 2, \"id\": ");
        grid.put("key not quoted", "{ format: 2 }");
        grid.put("trailing comma", "{ \"format\": 2, }");
        grid.put("stray character", "{ \"format\": 2 x }");
        grid.put("NUL", "{ \"format\": \u0000 }");
        grid.put("lone bracket", "[");
        grid.put("unclosed string", "{ \"format\": \"2");
        grid.put("lines before", "{\n\n  \"format\": 2,\n  \"id\": \"p\"\n  \"x\": 1\n}");
        grid.put("empty", "");
        grid.put("spaces", "   \n ");
        return grid;
    }

    @Test
    void everyReaderSaysBrokenJsonInOneLineWithItsLineAndColumn() throws IOException {
        Map<String, Function<Path, ModelPackException>> readers = new LinkedHashMap<>();
        ModelPackLoader loader = new ModelPackLoader(List.of(), true, Map.of(), Set.of());
        readers.put("manifest", file -> assertThrows(ModelPackException.class, () -> loader.load(file)));
        readers.put("classifier mode", file -> assertThrows(ModelPackException.class, () -> ClassifierStore.modeOf(file)));
        readers.put("classifier", file -> assertThrows(ModelPackException.class, () -> ClassifierStore.load(file.getParent())));
        List<String> wrong = new ArrayList<>();
        int cells = 0;
        for (Map.Entry<String, String> broken : grid().entrySet()) {
            Path dir = Files.createDirectories(tmp.resolve("c" + cells));
            Path file = dir.resolve(ClassifierStore.FILE);
            Files.write(file, broken.getValue().getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Function<Path, ModelPackException>> reader : readers.entrySet()) {
                cells++;
                String said = reader.getValue().apply(file).getMessage();
                // an empty file (or one of spaces) is no JSON document at all: one line, no place in it to name
                boolean nothing = broken.getValue().isBlank();
                boolean right = said.contains(file.toString()) && !said.contains("REDACTED") && !said.contains("Source")
                        && (nothing ? !said.contains("\n") : ONE_LINE_WITH_WHERE.matcher(said).matches());
                if (!right) wrong.add(broken.getKey() + ", " + reader.getKey() + ": " + said);
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + cells + " wrong:\n" + String.join("\n", wrong));
    }
}

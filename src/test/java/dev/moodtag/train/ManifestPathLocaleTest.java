package dev.moodtag.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under a C/POSIX locale Java encodes file names as ASCII, so a manifest's path cell such as "café.wav" names no file
 * at all. {@code moodtag train} refused such a manifest with the bare InvalidPathException "Malformed input or input
 * contains unmappable characters: caf?.wav", naming neither the manifest, nor the line, nor the column, nor what to
 * change (found by running this grid in a child JVM under LC_ALL=C); under a UTF-8 locale every one of them reads.
 */
class ManifestPathLocaleTest {

    private static final List<String> COLUMNS = List.of("media", "audio", "video", "image", "transcript_file");
    private static final List<String> NAMES = List.of("café.wav", "会議.mp4", "😀.wav", "a\u00a0b.wav", "ü/x.wav");

    @Test
    void aPathCellThatIsNoFileNameInThisLocaleIsRefusedNamingTheManifestLineAndColumn(@TempDir Path dir) throws Exception {
        List<String> manifests = new ArrayList<>();
        for (String column : COLUMNS) {
            for (String name : NAMES) {
                for (int row : new int[]{1, 4}) {
                    StringBuilder csv = new StringBuilder("id,label,").append(column).append('\n');
                    for (int i = 1; i <= 5; i++) csv.append("u").append(i).append(",happy,").append(i == row ? name : "plain.wav").append('\n');
                    Path m = Files.writeString(dir.resolve("m" + manifests.size() + ".csv"), csv, StandardCharsets.UTF_8);
                    manifests.add(m.toString());
                    // under this process's UTF-8 locale each reads
                    assertEquals(5, DatasetManifest.read(m).rows().size());
                }
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ManifestPathLocaleTest.class.getName()));
        command.addAll(manifests);
        ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = child.environment();
        env.keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG"));
        env.put("LC_ALL", "C");
        Process p = child.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("encoding ANSI_X3.4-1968"), "the child must run with ASCII file names: " + out);
        List<String> wrong = new ArrayList<>();
        List<String> lines = out.lines().filter(l -> l.startsWith("m")).toList();
        assertEquals(manifests.size(), lines.size(), out);
        for (int i = 0; i < lines.size(); i++) {
            String column = COLUMNS.get(i / (2 * NAMES.size()));
            int row = i % 2 == 0 ? 1 : 4;
            String line = lines.get(i);
            if (!line.contains("IllegalArgumentException") || line.contains("InvalidPathException")
                    || !line.contains("m" + i + ".csv line " + (row + 1) + ", " + column) || !line.contains("LANG=C.UTF-8"))
                wrong.add(line);
        }
        assertEquals(List.of(), wrong.stream().limit(10).toList(), wrong.size() + " of " + lines.size() + " wrong");
    }

    /** The child: reads each manifest and says what became of it, one line each. */
    public static void main(String[] args) {
        System.out.println("encoding " + System.getProperty("sun.jnu.encoding"));
        for (String m : args) {
            String name = Path.of(m).getFileName().toString();
            try {
                System.out.println(name + " read " + DatasetManifest.read(Path.of(m)).rows().size() + " rows");
            } catch (RuntimeException e) {
                System.out.println(name + " " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }
}

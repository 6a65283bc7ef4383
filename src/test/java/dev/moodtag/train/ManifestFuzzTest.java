package dev.moodtag.train;

import dev.moodtag.classify.FusionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A manifest is input from outside: {@code moodtag train} either trains on it or refuses it with an
 * {@link IllegalArgumentException} that says which manifest (or which option) and what is wrong, never another
 * exception from deep inside. A fuzz grid of 500 generated manifests: missing and short cells, numbers that are not
 * numbers or not finite, blank cells, duplicate ids, one class, one group, odd splits, fold schemes that do not fit
 * the data.
 */
class ManifestFuzzTest {

    private static final String[] NUMBERS = {"0.5", "-1.25", "3", "1e-3", "0x1p3", " 2.5 ", "4.2f", "1e-50"};
    private static final String[] NOT_NUMBERS = {"NaN", "Infinity", "-Infinity", "1e39", "abc", "1,5", "--1", "0x"};
    private static final String[] LABELS = {"neutral", "happy", "sad", "angry", "joy", "anger", "calm", "", "NEUTRAL"};
    private static final String[] GROUPS = {"a", "b", "c", "d", "e", "", "corpus:x", "emodb:03", "ravdess:01"};
    private static final String[] SPLITS = {"", "train", "train", "dev", "test", "TEST", "bogus"};
    private static final String[] FOLDS = {"auto", "grouped:3", "grouped:1", "grouped:0", "logo", "stratified:3",
            "stratified:50", "split", "corpus", "corpus:x", "corpus:nowhere", "grouped:x", "bogus"};

    @Test
    void everyGeneratedManifestIsTrainedOrRefusedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        Random r = new Random(20261204);
        Map<String, Integer> refusals = new LinkedHashMap<>();
        int trained = 0;
        for (int i = 0; i < 500; i++) {
            Path manifest = dir.resolve("m" + i + ".csv");
            String text = generate(r, i);
            Files.writeString(manifest, text, StandardCharsets.UTF_8);
            List<String> names = List.of(text.substring(0, text.indexOf('\n')).split(",", -1));
            boolean namedTwice = names.size() != Set.copyOf(names).size();
            String folds = FOLDS[r.nextInt(FOLDS.length)];
            String labels = r.nextBoolean() ? "4class" : "identity";
            try {
                new Trainer().run(new Trainer.Request("fuzz", manifest, LabelMap.parse(labels), folds,
                        Synthetic.settings(FusionMode.values()[r.nextInt(2)], ExperimentSettings.Ablation.NONE, 2,
                                new dev.moodtag.classify.GridSearch(List.of(1.0), List.of(1.0), 1)),
                        Set.of(), dir.resolve("report" + i), Optional.empty(), r.nextBoolean(), false), needed -> {
                    throw new AssertionError("precomputed features need no encoder");
                });
                // A column named twice would be read from one of its two places without a word
                if (namedTwice) fail("manifest " + i + " names a column twice and was trained on:\n" + text);
                trained++;
            } catch (IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                if (!(m.contains(manifest.getFileName().toString()) || m.contains(folds) || m.contains("fold"))) {
                    fail("manifest " + i + " (folds " + folds + ", labels " + labels + ") refused without saying which "
                            + "manifest or option: " + e + "\n" + Files.readString(manifest), e);
                }
                refusals.merge(m.replaceAll(".*m\\d+\\.csv", "").replaceAll("[0-9]+", "N"), 1, Integer::sum);
            } catch (UncheckedIOException e) {
                fail("manifest " + i + ": a malformed manifest is not an I/O failure: " + e + "\n" + Files.readString(manifest), e);
            } catch (RuntimeException e) {
                fail("manifest " + i + " (folds " + folds + ", labels " + labels + ") failed with " + e + "\n"
                        + Files.readString(manifest), e);
            }
        }
        StringBuilder seen = new StringBuilder("manifest fuzz grid: " + trained + " trained; refused:");
        refusals.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> seen.append("\n  ").append(e.getValue()).append(" x").append(e.getKey()));
        System.out.println(seen);
        assertTrue(trained >= 50, "the grid must also hold manifests that train: " + trained);
    }

    private static String generate(Random r, int index) {
        List<String> header = new ArrayList<>(List.of("id", "label"));
        if (r.nextInt(5) > 0) header.add("group");
        if (r.nextInt(3) == 0) header.add("split");
        int blocks = r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(3);
        for (int b = 0; b < blocks; b++) {
            int dim = 1 + r.nextInt(3);
            String modality = new String[]{"speech", "video", "text"}[r.nextInt(3)];
            for (int j = 0; j < dim; j++) header.add("feat." + modality + ".b" + b + "." + j);
        }
        if (r.nextInt(20) == 0) header.add("feat.speech.gap.5"); // a block not numbered from 0
        if (r.nextInt(20) == 0) header.add("feat.video.huge.99999999999");
        if (r.nextInt(25) == 0) header.remove("label");
        // header damage draws from its own generator, so that the rest of the grid stays what it was
        Random damage = new Random(index * 0x9E3779B97F4A7C15L);
        if (damage.nextInt(20) == 0) header.add(header.get(damage.nextInt(header.size()))); // a column named twice
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        if (damage.nextInt(60) == 0) csv.insert(csv.indexOf(",") + 1, '"'); // a header with an unterminated quote
        int rows = r.nextInt(5) == 0 ? r.nextInt(4) : 12 + r.nextInt(40);
        boolean clean = r.nextInt(3) == 0; // a third of the manifests use only well-formed, separable cells
        for (int i = 0; i < rows; i++) {
            List<String> cells = new ArrayList<>();
            for (String h : header) {
                cells.add(switch (h) {
                    case "id" -> !clean && r.nextInt(400) == 0 ? (r.nextBoolean() ? "" : "u0") : "u" + i;
                    case "label" -> clean ? LABELS[i % 4] : LABELS[r.nextInt(LABELS.length)];
                    case "group" -> clean ? GROUPS[i % 5] : GROUPS[r.nextInt(GROUPS.length)];
                    case "split" -> clean ? SPLITS[1 + i % 4] : SPLITS[r.nextInt(SPLITS.length)];
                    default -> clean ? String.format(java.util.Locale.ROOT, "%.3f", (i % 4) + r.nextGaussian() * 0.3)
                            : r.nextInt(1500) == 0 ? NOT_NUMBERS[r.nextInt(NOT_NUMBERS.length)]
                            // a blank cell: a missing one-column block, or a block with a hole (refused)
                            : r.nextInt(1000) == 0 ? "" : NUMBERS[r.nextInt(NUMBERS.length)];
                });
            }
            if (!clean && r.nextInt(300) == 0) cells = new ArrayList<>(cells.subList(0, r.nextInt(cells.size()))); // a short row
            if (!clean && r.nextInt(600) == 0) cells.add("extra");
            if (!clean && !cells.isEmpty() && r.nextInt(800) == 0) cells.set(0, "\"unterminated");
            csv.append(String.join(",", cells.stream().map(c -> c.contains(",") && !c.startsWith("\"") ? "\"" + c + "\"" : c).toList()))
                    .append('\n');
        }
        return csv.toString();
    }
}

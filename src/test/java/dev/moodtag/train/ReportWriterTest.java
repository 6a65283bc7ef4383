package dev.moodtag.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.classify.FusionMode;
import dev.moodtag.support.ShownText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {

    @Test
    void writesMarkdownJsonAndPlotsWithAblationOverEveryModalitySubset(@TempDir Path dir) throws Exception {
        FeatureTable t = Synthetic.table(6, 24, 11);
        ExperimentSettings settings = Synthetic.settings(FusionMode.LATE);
        Experiment.Result r = new Experiment(settings).run(t, new FoldScheme.GroupedKFold(3, 1));
        assertEquals(List.of("A(speech)", "V(video)", "A(speech)+V(video)"), r.subsets().stream().map(Experiment.SubsetResult::subset).toList());
        Experiment.SubsetResult video = r.subsets().get(1), speech = r.subsets().get(0);
        assertTrue(video.ua().mean() > 0.8, "video block separates the classes: " + video.ua());
        assertTrue(video.ua().mean() > speech.ua().mean(), "speech is the weak block");

        Path out = dir.resolve("report");
        ReportWriter.write(out, new ReportWriter.Context("synthetic", dir.resolve("synthetic.csv"), "0".repeat(64), "identity",
                settings, Map.of("calm", 3), Map.of(), true, Map.of()), t, r);
        for (String png : List.of("ablation.png", "confusion-A_speech.png", "confusion-V_video.png", "confusion-A_speech+V_video.png",
                "reliability-A_speech.png", "reliability-V_video.png", "reliability-A_speech+V_video.png")) {
            Path p = out.resolve(png);
            assertTrue(Files.isRegularFile(p), png + " written; folder has " + Files.list(out).toList());
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, png + " is a readable PNG");
            assertTrue(img.getWidth() >= 300 && img.getHeight() >= 250, png + " size " + img.getWidth() + "x" + img.getHeight());
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| A(speech)+V(video) |"), md);
        assertTrue(md.contains("![ablation](ablation.png)"));
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(3, json.path("subsets").size());
        assertEquals(3, json.path("subsets").get(2).path("folds").size());
        assertEquals(144, json.path("rows").asInt());
        assertEquals(3, json.path("skippedLabels").path("calm").asInt());
        // Calibration of the served probabilities: in report.md with its plot, every figure and bin in report.json
        assertTrue(md.contains("Calibration of the probabilities served for the test rows"), md);
        assertTrue(md.contains("![reliability](reliability-A_speech+V_video.png)"), md);
        JsonNode calibration = json.path("subsets").get(2).path("calibration");
        assertEquals(144, calibration.path("n").asInt());
        assertEquals(Calibration.BINS, calibration.path("binCounts").size());
        assertEquals(r.full().calibration().ece(), calibration.path("ece").asDouble(), 1e-12);
        for (String figure : List.of("brier", "logLoss", "meanConfidence", "accuracy"))
            assertTrue(calibration.path(figure).isNumber(), figure + " in " + calibration);
        assertTrue(json.path("subsets").get(2).path("folds").get(0).path("calibration").path("n").asInt() > 0, "per fold too");
        assertTrue(json.path("subsets").get(2).path("folds").get(0).path("predictions").isMissingNode(),
                "per-row predictions stay out of report.json");
        // Every test row with what was served for it, the rows behind the figures
        Experiment.SubsetResult full = r.full();
        List<org.apache.commons.csv.CSVRecord> rows = csv(out.resolve("predictions-A_speech+V_video.csv"));
        assertEquals(144, rows.size());
        assertEquals(144, rows.stream().map(x -> x.get("id")).distinct().count(), "each row tested once");
        int right = 0;
        for (org.apache.commons.csv.CSVRecord x : rows) {
            double sum = 0, best = -1;
            String argmax = null;
            for (String c : r.classes()) {
                double p = Double.parseDouble(x.get("p_" + c));
                sum += p;
                if (p > best) {
                    best = p;
                    argmax = c;
                }
            }
            assertEquals(1.0, sum, 1e-4, "probabilities of " + x);
            assertEquals(argmax, x.get("predicted"), "the label served is the most probable class: " + x);
            assertEquals(t.groups()[t.ids().indexOf(x.get("id"))], x.get("group"));
            if (x.get("truth").equals(x.get("predicted"))) right++;
        }
        assertEquals(full.pooled().wa(), right / 144.0, 1e-12, "the rows give the pooled accuracy");
    }

    /** Ids, groups and class names come from a manifest: in predictions.csv a spreadsheet shows them, never runs them. */
    @Test
    void predictionsFromOutsideAreWrittenBehindAFormulaGuard(@TempDir Path dir) throws Exception {
        FeatureTable s = Synthetic.table(4, 12, 11);
        List<String> classes = List.of("=1+1", "@SUM(A1)", "-2+3");
        List<String> ids = s.ids().stream().map(id -> "=HYPERLINK(\"http://x\",\"" + id + "\")").toList();
        String[] groups = java.util.Arrays.stream(s.groups()).map(g -> "+" + g).toArray(String[]::new);
        FeatureTable t = new FeatureTable(s.layout(), classes, ids, s.samples(), s.labels(), groups, s.splits(),
                s.skippedLabels(), s.skippedRows(), s.featurelessScored());
        ExperimentSettings settings = Synthetic.settings(FusionMode.LATE);
        Experiment.Result r = new Experiment(settings).run(t, new FoldScheme.LeaveOneGroupOut());
        Path out = dir.resolve("report");
        ReportWriter.write(out, new ReportWriter.Context("d", dir.resolve("m.csv"), "0".repeat(64), "identity", settings,
                Map.of(), Map.of(), true, Map.of()), t, r);
        List<org.apache.commons.csv.CSVRecord> rows = csv(out.resolve(ReportWriter.predictionsFile(r.full())));
        assertEquals(t.size(), rows.size());
        for (org.apache.commons.csv.CSVRecord x : rows) {
            for (String cell : x) assertTrue(!cell.startsWith("=") && !cell.startsWith("+") && !cell.startsWith("@")
                    && !(cell.startsWith("-") && !cell.matches("-?[0-9.]+")), "unguarded cell " + cell + " in " + x);
            int i = ids.indexOf(dev.moodtag.support.SpreadsheetCells.unguard(x.get("id")));
            assertTrue(i >= 0, "id read back exactly: " + x.get("id"));
            assertEquals(groups[i], dev.moodtag.support.SpreadsheetCells.unguard(x.get("group")));
            assertEquals(classes.get(t.labels()[i]), dev.moodtag.support.SpreadsheetCells.unguard(x.get("truth")));
        }
    }

    private static List<org.apache.commons.csv.CSVRecord> csv(Path file) throws Exception {
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(file))) {
            return parser.getRecords();
        }
    }

    @Test
    void blockAblationEvaluatesEveryBlockSubset() {
        FeatureTable t = Synthetic.table(4, 24, 12);
        ExperimentSettings s = Synthetic.settings(FusionMode.EARLY);
        ExperimentSettings blocks = new ExperimentSettings(s.mode(), s.base(), s.grid(), s.innerFolds(), s.gridMaxSamples(),
                s.selectBy(), s.balanceBlocks(), ExperimentSettings.Ablation.BLOCKS, s.seed());
        Experiment.Result r = new Experiment(blocks).run(t, new FoldScheme.GroupedKFold(2, 1));
        assertEquals(List.of("A(speech)", "V(video)", "A(speech)+V(video)"), r.subsets().stream().map(Experiment.SubsetResult::subset).toList());
        assertEquals(List.of("speech", "video"), r.full().blocks());
    }

    /** Label, class, group, file and dataset names that would break a markdown table, a heading or turn into HTML. */
    static final List<String> HOSTILE = List.of("<b>x</b>", "a|b", "line\nbreak\n# heading", "<script>alert(1)</script>",
            "x\r\n| fake | row |", "\\|", "`tick`|", "<img src=x onerror=alert(1)>", "&lt;amp", "[l](javascript:alert(1))",
            "*em* _u_ ~s~");

    /**
     * report.md writes what came from outside (labels, class and group names, the dataset, manifest and label-map
     * names, row ids and why they had no features) as text: no table gains or loses a column, no line starts where
     * a name held a newline, no HTML reaches the page; report.json keeps every string as it was.
     */
    @Test
    void namesFromOutsideStayTextInTheMarkdownAndExactInTheJson(@TempDir Path dir) throws Exception {
        FeatureTable s = Synthetic.table(4, 12, 11);
        List<String> classes = List.of(HOSTILE.get(0), HOSTILE.get(1), HOSTILE.get(2));
        String[] groups = new String[s.size()];
        for (int i = 0; i < groups.length; i++) groups[i] = HOSTILE.get(3 + Integer.parseInt(s.groups()[i].substring(3)));
        FeatureTable t = new FeatureTable(s.layout(), classes, s.ids(), s.samples(), s.labels(), groups, s.splits(),
                s.skippedLabels(), s.skippedRows(), s.featurelessScored());
        ExperimentSettings settings = Synthetic.settings(FusionMode.EARLY);
        Experiment.Result r = new Experiment(settings).run(t, new FoldScheme.LeaveOneGroupOut());
        Map<String, String> without = new java.util.LinkedHashMap<>();
        Map<String, Integer> skipped = new java.util.LinkedHashMap<>();
        for (String h : HOSTILE) {
            without.put("id " + h, "file " + h + ".wav has no audio");
            skipped.put(h, 1);
        }
        Path out = dir.resolve("report");
        ReportWriter.write(out, new ReportWriter.Context("set " + HOSTILE.get(8) + HOSTILE.get(2), dir.resolve("m" + HOSTILE.get(6) + ".csv"),
                "0".repeat(64), "map " + HOSTILE.get(5) + HOSTILE.get(0), settings, skipped, without, true, Map.of()), t, r);
        String md = Files.readString(out.resolve("report.md"));
        List<String> wrong = new java.util.ArrayList<>();
        // Code spans (file and label-map names) show their text as it is, HTML included: only text outside them counts
        String text = md.replaceAll("(`+).*?(?<!`)\\1(?!`)", "");
        for (String raw : List.of("<b>", "<script", "<img", "| fake | row |", "[l]("))
            if (text.contains(raw)) wrong.add("holds " + raw);
        if (!md.contains("``m`tick`|.csv``")) wrong.add("manifest name not in one code span");
        if (md.contains("\r")) wrong.add("holds a carriage return");
        String[] lines = md.split("\n");
        int columns = -1;
        for (String line : lines) {
            if (!line.startsWith("|")) {
                columns = -1;
                continue;
            }
            int pipes = unescapedPipes(line);
            if (columns < 0) columns = pipes;
            else if (pipes != columns) wrong.add(pipes + " cells, not " + columns + ": " + line);
        }
        long heads = java.util.Arrays.stream(lines).filter(l -> l.startsWith("#")).count();
        if (heads != 2 + r.subsets().size() + 1) wrong.add(heads + " headings");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong) + "\n" + md);
        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(classes, new ObjectMapper().convertValue(json.get("classes"), List.class));
        // the per-row file: names from outside behind a formula guard, read back exactly; no probabilities served
        List<org.apache.commons.csv.CSVRecord> rows = csv(out.resolve(ReportWriter.predictionsFile(r.full())));
        assertEquals(t.size(), rows.size());
        for (org.apache.commons.csv.CSVRecord x : rows) {
            int i = t.ids().indexOf(dev.moodtag.support.SpreadsheetCells.unguard(x.get("id")));
            assertEquals(groups[i], dev.moodtag.support.SpreadsheetCells.unguard(x.get("group")));
            assertEquals(classes.get(t.labels()[i]), dev.moodtag.support.SpreadsheetCells.unguard(x.get("truth")));
            for (String cell : x) assertTrue(!cell.startsWith("=") && !cell.startsWith("+") && !cell.startsWith("@"), cell);
            for (int c = 5; c < x.size(); c++) assertEquals("", x.get(c), "early fusion serves no probabilities");
        }
        for (String h : HOSTILE) {
            assertEquals(1, json.path("skippedLabels").path(h).asInt(), h);
            assertEquals("file " + h + ".wav has no audio", json.path("rowsWithoutFeaturesById").path("id " + h).asText(), h);
        }
    }

    /**
     * A held-out corpus named on the command line ({@code --folds corpus:NAME}, a name from the manifest's groups)
     * is in the protocol, which heads the report and its "outer folds" line: written as text there too.
     */
    @Test
    void aCorpusNameInTheProtocolStaysText(@TempDir Path dir) throws Exception {
        FeatureTable s = Synthetic.table(4, 12, 11);
        String corpus = "<b>c|x</b>";
        String[] groups = new String[s.size()];
        for (int i = 0; i < groups.length; i++) groups[i] = (i < groups.length / 2 ? corpus : "other") + ":" + s.groups()[i];
        FeatureTable t = new FeatureTable(s.layout(), s.classes(), s.ids(), s.samples(), s.labels(), groups, s.splits(),
                s.skippedLabels(), s.skippedRows(), s.featurelessScored());
        ExperimentSettings settings = Synthetic.settings(FusionMode.EARLY);
        Experiment.Result r = new Experiment(settings).run(t, new FoldScheme.LeaveOneCorpusOut(corpus));
        Path out = dir.resolve("report");
        ReportWriter.write(out, new ReportWriter.Context("d", dir.resolve("m.csv"), "0".repeat(64), "identity", settings,
                Map.of(), Map.of(), true, Map.of()), t, r);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(!md.contains(corpus) && md.contains("&lt;b&gt;c\\|x&lt;/b&gt;"), md);
        assertTrue(Files.readString(out.resolve("report.json")).contains(corpus), "report.json keeps it");
    }

    /**
     * A name with U+202E RIGHT-TO-LEFT OVERRIDE (which shows "evil[U+202E]cod.wav" as "evilvaw.doc"), a control or a zero width
     * space shows them as code points in report.md, as text and in a code span; the brackets are escaped, so a
     * following "(javascript:...)" makes no link.
     */
    @Test
    void charactersThatHideOrReorderANameAreShownAsCodePoints() {
        assertEquals("evil\\[U+202E\\]cod.wav", ReportWriter.md("evil\u202Ecod.wav"));
        assertEquals("a\\[U+202E\\](javascript:alert(1))", ReportWriter.md("a\u202E(javascript:alert(1))"));
        assertEquals("nul\\[U+0000\\] zero\\[U+200B\\]width", ReportWriter.md("nul\u0000\nzero\u200Bwidth"));
        assertEquals("`m[U+202E]vsc.csv`", ReportWriter.code("m\u202Evsc.csv"));
    }

    /**
     * A 100 KB row id, label or reason (a manifest is anyone's) is shown by its beginning and end, as in the batch
     * report, cut before it is escaped: report.md lists up to 1,000 rows without features, and printed each whole.
     */
    @Test
    void aHugeNameIsShortenedBeforeItIsEscaped() {
        String shown = ReportWriter.md("|<".repeat(50_000) + "end.wav");
        assertTrue(shown.length() < 4 * ShownText.TEXT_CHARS && shown.startsWith("\\|&lt;\\|&lt;")
                && shown.endsWith("\\|&lt;end.wav") && shown.contains("characters left out"), shown.length() + ": " + shown);
        assertEquals(0, unescapedPipes(shown), shown);
    }

    /** Pipes that split markdown table cells: those not escaped by an odd number of backslashes. */
    private static int unescapedPipes(String line) {
        int n = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) != '|') continue;
            int slashes = 0;
            for (int j = i - 1; j >= 0 && line.charAt(j) == '\\'; j--) slashes++;
            if (slashes % 2 == 0) n++;
        }
        return n;
    }
}

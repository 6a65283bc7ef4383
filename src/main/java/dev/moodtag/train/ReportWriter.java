package dev.moodtag.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.moodtag.storage.LocalFailures;
import dev.moodtag.support.ShownText;
import dev.moodtag.support.SpreadsheetCells;
import dev.moodtag.support.UnwritableFile;
import dev.moodtag.support.WholeFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.moodtag.batch.BatchReport.esc;

/**
 * Writes an experiment's report folder: {@code report.md} (for people), {@code report.json} (every number, for
 * tools), {@code ablation.png} and per modality subset {@code confusion-<subset>.png}, {@code reliability-<subset>.png}
 * (where probabilities were served) and {@code predictions-<subset>.csv} (every test row).
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /** Rows listed by id in report.md; report.json has them all. */
    static final int LISTED_ROWS_MAX = 1000;

    /**
     * What the report says about where the numbers come from.
     *
     * @param rowsWithoutFeatures row id → why a row with a mapped label has no features at all
     */
    public record Context(String dataset, Path manifest, String manifestSha256, String labelMap,
                          ExperimentSettings settings, Map<String, Integer> skippedLabels,
                          Map<String, String> rowsWithoutFeatures, boolean featurelessScored,
                          Map<String, Object> extra) {
    }

    /**
     * @throws UnwritableFile naming the file and the fault (a full or read-only file system); every file is written
     *                        whole or not at all, and report.md, the last, only once the others are there
     */
    public static void write(Path dir, Context ctx, FeatureTable table, Experiment.Result result) {
        try {
            Files.createDirectories(dir);
            List<String> classes = result.classes();
            for (Experiment.SubsetResult s : result.subsets()) {
                ReportCharts.confusion(dir.resolve(confusionFile(s)), ctx.dataset() + ", " + s.subset()
                        + ": pooled over " + s.folds().size() + " fold(s)", classes, s.pooled().confusion());
                if (s.calibration().scored())
                    ReportCharts.reliability(dir.resolve(reliabilityFile(s)), ctx.dataset() + ", " + s.subset()
                            + ": reliability of the served probabilities", calibrated(s));
                writeWhole(dir.resolve(predictionsFile(s)), t -> writePredictions(t, classes, s));
            }
            ReportCharts.ablation(dir.resolve("ablation.png"), ctx.dataset() + ": "
                    + result.mode().name().toLowerCase(Locale.ROOT) + " fusion, " + result.subsets().get(0).folds().size()
                    + " fold(s)", result.subsets());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("dataset", ctx.dataset());
            json.put("manifest", ctx.manifest().getFileName().toString());
            json.put("manifestSha256", ctx.manifestSha256());
            json.put("labelMap", ctx.labelMap());
            json.put("classes", classes);
            json.put("classCounts", counts(table));
            json.put("rows", result.rows());
            json.put("testedRows", testedRows(result));
            json.put("testRowsSharedGroup", result.testRowsSharedGroup());
            json.put("skippedLabels", ctx.skippedLabels());
            json.put("rowsWithoutFeatures", ctx.rowsWithoutFeatures().size());
            json.put("rowsWithoutFeaturesById", ctx.rowsWithoutFeatures());
            json.put("rowsWithoutFeaturesScored", ctx.featurelessScored());
            json.put("protocol", result.protocol());
            json.put("fusion", result.mode());
            json.put("settings", ctx.settings());
            json.put("layout", table.layout().blocks());
            json.put("subsets", result.subsets());
            json.putAll(ctx.extra());
            writeWhole(dir.resolve("report.json"),
                    t -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(t.toFile(), json));
            String md = markdown(ctx, table, result);
            writeWhole(dir.resolve("report.md"), t -> Files.writeString(t, md, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UnwritableFile("the report folder " + dir + " cannot be made: " + LocalFailures.inWords(e, dir), e);
        }
    }

    /**
     * Writes one file of the report whole ({@link WholeFile}): a full disk left a PNG or CSV cut short, and the run ended
     * in a stack trace naming no reason.
     *
     * @throws UnwritableFile naming the file and, in words, what its file system said
     */
    static void writeWhole(Path file, WholeFile.Content content) {
        try {
            WholeFile.write(file, content);
        } catch (IOException e) {
            throw new UnwritableFile("the report's " + file.getFileName() + " cannot be written: "
                    + LocalFailures.inWords(e, file), e);
        }
    }

    static String confusionFile(Experiment.SubsetResult s) {
        return "confusion-" + fileSubset(s) + ".png";
    }

    static String predictionsFile(Experiment.SubsetResult s) {
        return "predictions-" + fileSubset(s) + ".csv";
    }

    /**
     * Every test row of every fold with what was served for it: the rows behind each figure, for auditing the errors or
     * fitting one's own calibration. Ids, groups and class names come from the manifest and are written after a formula guard
     * ({@link SpreadsheetCells}); an empty probability means none was served.
     */
    static void writePredictions(Path file, List<String> classes, Experiment.SubsetResult s) throws IOException {
        List<String> header = new ArrayList<>(List.of("fold", "id", "group", "truth", "predicted"));
        classes.forEach(c -> header.add(SpreadsheetCells.guard("p_" + c)));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new)).get())) {
            for (Experiment.FoldResult f : s.folds()) {
                for (Experiment.RowPrediction r : f.predictions()) {
                    List<String> row = new ArrayList<>(List.of(SpreadsheetCells.guard(f.fold()), SpreadsheetCells.guard(r.id()),
                            SpreadsheetCells.guard(r.group()), SpreadsheetCells.guard(classes.get(r.truth())),
                            SpreadsheetCells.guard(classes.get(r.predicted()))));
                    for (int c = 0; c < classes.size(); c++)
                        row.add(r.probabilities() == null ? "" : String.format(Locale.ROOT, "%.6f", r.probabilities()[c]));
                    out.printRecord(row);
                }
            }
        }
    }

    static String reliabilityFile(Experiment.SubsetResult s) {
        return "reliability-" + fileSubset(s) + ".png";
    }

    /** A subset's name as a file name's part: A(mfcc)+V(au) → A_mfcc+V_au. */
    private static String fileSubset(Experiment.SubsetResult s) {
        return s.subset().replace("(", "_").replace(")", "").replaceAll("[^A-Za-z0-9+_-]+", "-");
    }

    /** The calibration series a subset reports: pooled over all test rows, then each corpus's rows. */
    static Map<String, Calibration> calibrated(Experiment.SubsetResult s) {
        Map<String, Calibration> out = new LinkedHashMap<>();
        out.put("all test rows", s.calibration());
        out.putAll(s.calibrationByCorpus());
        return out;
    }

    /**
     * How honest the probabilities the folds' classifiers served for their test rows are: a table of the figures and
     * the rows in each of the bins, or why there are none.
     */
    static String calibrationSection(Experiment.SubsetResult x) {
        StringBuilder md = new StringBuilder();
        if (!x.calibration().scored()) {
            return md.append("Calibration: none measured, the classifier served no probabilities for the ")
                    .append(x.calibration().unscored()).append(" test rows: it serves labels only (early fusion trains without probability")
                    .append(" estimates, and linear-svm has none; late fusion, as the shipped parts are trained, serves them).\n\n").toString();
        }
        md.append("Calibration of the probabilities served for the test rows (pooled over folds; top-label ECE over ")
                .append(Calibration.BINS).append(" equal-width bins of the top probability; Brier summed over classes, 0-2; ")
                .append("log-loss in nats):\n\n");
        md.append("| test rows | scored | mean top probability | accuracy of the top class | ECE | Brier | log-loss | rows per bin (0-1/15 … 14/15-1) |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        calibrated(x).forEach((name, c) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %s |%n",
                md(name), c.n(), c.meanConfidence(), c.accuracy(), c.ece(), c.brier(), c.logLoss(),
                Arrays.stream(c.binCounts()).mapToObj(String::valueOf).collect(Collectors.joining(" ")))));
        if (x.calibration().unscored() > 0)
            md.append(String.format(Locale.ROOT, "%n%d test row(s) got no probabilities (no block of this subset present) and are not in these figures.%n",
                    x.calibration().unscored()));
        md.append("\n![reliability](").append(reliabilityFile(x)).append(")\n\n");
        return md.toString();
    }

    private static Map<String, Integer> counts(FeatureTable t) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String c : t.classes()) m.put(c, 0);
        for (int y : t.labels()) m.merge(t.classes().get(y), 1, Integer::sum);
        return m;
    }

    static String markdown(Context ctx, FeatureTable table, Experiment.Result r) {
        StringBuilder md = new StringBuilder();
        ExperimentSettings s = ctx.settings();
        md.append("# ").append(md(ctx.dataset())).append(": ").append(r.mode().name().toLowerCase(Locale.ROOT))
                .append(" fusion, ").append(md(r.protocol())).append("\n\n"); // names a corpus from the manifest
        md.append("* manifest ").append(code(ctx.manifest().getFileName().toString())).append(" (sha256 `")
                .append(ctx.manifestSha256(), 0, 12).append("…`), ").append(rowsLine(r));
        if (!ctx.skippedLabels().isEmpty()) md.append("; skipped by the label map: ").append(md(ctx.skippedLabels()));
        if (!ctx.rowsWithoutFeatures().isEmpty()) md.append("; ").append(ctx.rowsWithoutFeatures().size())
                .append(" rows without any features (").append(featurelessTreatment(ctx)).append(", listed below)");
        md.append("\n* ").append(outerFolds(r)).append("\n");
        if (r.testRowsSharedGroup() > 0)
            md.append(String.format(Locale.ROOT, "* **not group-independent**: %,d of the %,d test rows are of a group"
                    + " (speaker) that the same fold also trains on%n", r.testRowsSharedGroup(), testedRows(r)));
        md.append("* label map ").append(code(ctx.labelMap())).append(", ").append(r.classes().size()).append(" classes: ")
                .append(md(counts(table))).append("\n");
        md.append("* blocks: ");
        table.layout().blocks().forEach(b -> md.append(code(b.id())).append(" (").append(b.modality().code())
                .append(", ").append(b.dim()).append("-d) "));
        md.append("\n* classifier: ").append(s.classifier().type().name()).append(s.classifier().kernelised()
                        ? ", " + s.base().kernel().name().toLowerCase(Locale.ROOT) + " kernel" : "").append(", class weights ")
                .append(s.base().weighting().name().toLowerCase(Locale.ROOT)).append("; C from ").append(s.grid().cs());
        if (s.base().kernel() == dev.moodtag.classify.SvmParams.Kernel.RBF)
            md.append(", gamma from ").append(s.grid().gammaScales()).append(s.balanceBlocks()
                    ? " × 1/blocks (blocks balanced to unit expected squared norm)" : " × 1/dim");
        md.append("\n* ").append(selection(s, r)).append("; scalers, grid search and class weights fitted inside each fold.\n");
        if (s.mode() == dev.moodtag.classify.FusionMode.LATE)
            md.append("* late-fusion weights: ").append(s.fusionWeights() != ExperimentSettings.FusionWeights.LEARNED
                    ? "equal" : devSplit(r) ? "learned from the parts' probabilities on the dev split"
                    : "learned from out-of-fold probabilities inside each training set").append('\n');
        if (s.normalisation() != GroupNormalisation.NONE) md.append("* ").append(s.normalisation().described()).append('\n');
        if (s.balance() != SampleBalance.NONE) md.append("* ").append(s.balance().described()).append('\n');
        md.append('\n');

        md.append("## Ablation (mean ± std over folds; pooled = from the summed confusion matrix)\n\n");
        md.append("| modalities | WA % | UA % | macro-F1 % | weighted-F1 % | pooled WA % | pooled UA % |\n|---|---|---|---|---|---|---|\n");
        for (Experiment.SubsetResult x : r.subsets()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f | %.1f |%n", md(x.subset()), x.wa().percent(),
                    x.ua().percent(), x.macroF1().percent(), x.weightedF1().percent(), 100 * x.pooled().wa(), 100 * x.pooled().ua()));
        }
        md.append("\n![ablation](ablation.png)\n\n");
        for (Experiment.SubsetResult x : r.subsets()) {
            md.append("## ").append(md(x.subset())).append("\n\n");
            md.append("Per-class recall (pooled): ");
            for (int c = 0; c < r.classes().size(); c++) {
                md.append(String.format(Locale.ROOT, "%s %.1f%s", md(r.classes().get(c)), 100 * x.pooled().recall()[c],
                        c + 1 < r.classes().size() ? ", " : "\n\n"));
            }
            if (!x.pooledByCorpus().isEmpty()) {
                md.append("Per corpus (pooled over folds): ");
                md.append(x.pooledByCorpus().entrySet().stream().map(e -> String.format(Locale.ROOT,
                        "%s UA %.1f, WA %.1f (%d rows)", md(e.getKey()), 100 * e.getValue().ua(), 100 * e.getValue().wa(),
                        e.getValue().n())).collect(Collectors.joining("; "))).append("\n\n");
            }
            md.append(calibrationSection(x));
            md.append("| fold | train | test | WA % | UA % | macro-F1 % | weighted-F1 % | C, gamma |\n|---|---|---|---|---|---|---|---|\n");
            for (Experiment.FoldResult f : x.folds()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %s |%n", md(f.fold()), f.trainRows(),
                        f.testRows(), 100 * f.metrics().wa(), 100 * f.metrics().ua(), 100 * f.metrics().macroF1(),
                        100 * f.metrics().weightedF1(), String.join("; ", f.params())));
            }
            md.append("\n![confusion](").append(confusionFile(x)).append(")\n\n");
        }
        if (!ctx.rowsWithoutFeatures().isEmpty()) {
            md.append("## Rows without features (").append(ctx.rowsWithoutFeatures().size()).append(", ")
                    .append(featurelessTreatment(ctx)).append(")\n\n| id | why |\n|---|---|\n");
            ctx.rowsWithoutFeatures().entrySet().stream().limit(LISTED_ROWS_MAX).forEach(e ->
                    md.append("| ").append(md(e.getKey())).append(" | ").append(md(e.getValue())).append(" |\n"));
            if (ctx.rowsWithoutFeatures().size() > LISTED_ROWS_MAX)
                md.append("\n… and ").append(ctx.rowsWithoutFeatures().size() - LISTED_ROWS_MAX)
                        .append(" more: all are in report.json (`rowsWithoutFeaturesById`).\n");
            md.append("\n");
        }
        return md.toString();
    }

    private static String featurelessTreatment(Context ctx) {
        return ctx.featurelessScored() ? "scored: they count as the training majority class" : "left out";
    }

    /** How the rows were split for evaluation, e.g. "outer folds: leave-one-group-out, 10 folds". */
    /** "N rows evaluated" where every row is tested once, else how many of them the folds test. */
    static String rowsLine(Experiment.Result r) {
        int tested = testedRows(r);
        return tested == r.rows() ? r.rows() + " rows evaluated"
                : String.format(Locale.ROOT, "%,d rows, %,d of them tested (the others only trained on or used to choose)",
                r.rows(), tested);
    }

    private static int testedRows(Experiment.Result r) {
        return r.full().folds().stream().mapToInt(Experiment.FoldResult::testRows).sum();
    }

    private static boolean devSplit(Experiment.Result r) {
        return r.full().folds().stream().allMatch(f -> f.selection().kind() == Experiment.Selection.Kind.DEV_SPLIT);
    }

    static String outerFolds(Experiment.Result r) {
        List<Experiment.FoldResult> folds = r.full().folds();
        if (r.protocol().equals(new FoldScheme.GivenSplit().describe())) {
            Experiment.FoldResult f = folds.get(0);
            return String.format(Locale.ROOT, "evaluated once on the %s (%,d rows); trained on its train split (%,d rows)",
                    r.protocol(), f.testRows(), f.trainRows());
        }
        return "outer folds: " + md(r.protocol()) + ", " + folds.size() + " folds";
    }

    /**
     * Where C and gamma were chosen, as it was done in the folds (a fold whose training rows have too few groups
     * falls back to stratified inner folds, and says so).
     */
    static String selection(ExperimentSettings s, Experiment.Result r) {
        String what = s.base().kernel() == dev.moodtag.classify.SvmParams.Kernel.RBF ? "C and gamma" : "C";
        Map<Experiment.Selection, Long> used = r.full().folds().stream()
                .collect(Collectors.groupingBy(Experiment.FoldResult::selection, LinkedHashMap::new,
                        Collectors.counting()));
        if (used.keySet().stream().allMatch(k -> k.kind() == Experiment.Selection.Kind.FIXED))
            return what + " fixed: one grid point, no search";
        StringBuilder out = new StringBuilder(what).append(" chosen by ").append(s.selectBy().option().toUpperCase(Locale.ROOT))
                .append(s.grid().rule() == dev.moodtag.classify.GridSearch.Rule.ONE_SE
                        ? " (one-standard-error rule: the smallest gamma, then C, within one standard error of the best)" : "")
                .append(" on ");
        if (used.size() == 1) {
            Experiment.Selection only = used.keySet().iterator().next();
            out.append(only);
            if (only.kind() == Experiment.Selection.Kind.DEV_SPLIT)
                out.append(String.format(Locale.ROOT, " (%,d rows)", only.validationRows()));
        } else {
            int total = r.full().folds().size();
            out.append(used.entrySet().stream().map(e -> e.getKey() + " (in " + e.getValue() + " of " + total + " outer folds)")
                    .collect(Collectors.joining(", ")));
        }
        if (s.gridMaxSamples() > 0) out.append(" (grid fits on at most ").append(String.format(Locale.ROOT, "%,d", s.gridMaxSamples()))
                .append(" training rows, stratified)");
        return out.toString();
    }

    /**
     * Text from outside (labels, class, group and file names, row ids, reasons) as markdown text or a table cell that
     * reads as written: a newline ended the table row or started a heading, {@code |} split the cell, {@code <b>}
     * rendered as HTML. Text over {@link ShownText#TEXT_CHARS} characters is shown by its beginning and end,
     * characters that hide or reorder text as code points ({@link ShownText#visible}),
     * whitespace runs become one space, markdown's punctuation is backslash-escaped, then HTML's characters are
     * escaped as in the batch report. report.json keeps the strings as they are.
     */
    static String md(Object text) {
        // Shortened before anything is escaped, so that no escape is cut; code points shown before markdown's
        // escaping, so that the brackets of "[U+202E]" are escaped too
        String s = ShownText.visible(ShownText.shortened(String.valueOf(text), ShownText.TEXT_CHARS)).replaceAll("\\s+", " ");
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if ("\\`*_[]|#~".indexOf(c) >= 0) out.append('\\');
            out.append(c);
        }
        return esc(out.toString());
    }

    /**
     * A name as a code span (not HTML, nothing escaped inside one): fenced by one backtick more than its longest run
     * of backticks, so a backtick in a file name does not end the span; whitespace runs as one space, characters
     * that hide or reorder text as code points.
     */
    static String code(String text) {
        String s = ShownText.visible(text).replaceAll("\\s+", " ");
        int longest = 0, run = 0;
        for (char c : s.toCharArray()) longest = Math.max(longest, run = c == '`' ? run + 1 : 0);
        String fence = "`".repeat(longest + 1), pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
        return fence + pad + s + pad + fence;
    }
}

package dev.moodtag.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.classify.FusionMode;
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
        for (String png : List.of("ablation.png", "confusion-A_speech.png", "confusion-V_video.png", "confusion-A_speech+V_video.png")) {
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
}

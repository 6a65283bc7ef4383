package dev.moodtag.cli;

import dev.moodtag.batch.ReportFolder;
import dev.moodtag.train.DatasetAdapter;
import dev.moodtag.train.TrainConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code moodtag dataset}: writes training manifests for the datasets of the shared data folder. */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Write a training manifest (CSV) for each named dataset of the shared data folder "
                + "(emodb, meld, ravdess, ravdess-speech, speech-pooled, faces, goemotions, meld-goemotions, fer2013, "
                + "fer2013-to-faces, faces-to-fer2013, or all).")
public class DatasetCommand implements Callable<Integer>, BeforeStart.Check {

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Dataset names, or 'all'.")
    List<String> names;

    @Option(names = "--data", paramLabel = "DIR", description = "The shared data folder (default: moodtag.train.data-dir).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write NAME.csv (default: moodtag.train.datasets-dir).")
    Path out;

    private final TrainConfig config;

    public DatasetCommand(TrainConfig config) {
        this.config = config;
    }

    @Override
    public Optional<String> problemBeforeStart() {
        // A folder that could not be made was an UncheckedIOException's stack trace after the first data set was read,
        // or, under /proc, blamed on the data folder ("dataset emodb: /proc/x does not exist; is ... the shared data
        // folder")
        try {
            if (out != null) ReportFolder.check("--out", out); // made when the first manifest is written
        } catch (IllegalArgumentException wrong) {
            return Optional.of(wrong.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Integer call() {
        Path dataDir = data != null ? data : Path.of(config.dataDir());
        // Before the folder is checked: an unknown name was refused after the folder had been made
        List<DatasetAdapter> adapters = names.contains("all") ? DatasetAdapter.ALL
                : names.stream().map(DatasetAdapter::named).toList();
        // the configured folder (moodtag.train.datasets-dir) is checked here, the one given on the command line before;
        // either is made when the first manifest is written
        Path outDir = out != null ? out : Path.of(config.datasetsDir());
        if (out == null) ReportFolder.check("moodtag.train.datasets-dir", outDir);
        for (DatasetAdapter a : adapters) {
            Path manifest = outDir.resolve(a.name() + ".csv");
            int rows = DatasetAdapter.writeManifest(a, dataDir, manifest);
            System.out.printf("%-11s %6d rows -> %s   (protocol: --folds %s --labels %s)%n", a.name(), rows, manifest,
                    a.folds(), a.labels());
        }
        return 0;
    }
}

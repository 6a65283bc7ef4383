package dev.moodtag.cli;

import dev.moodtag.label.Labeller;
import dev.moodtag.label.Labelling;

import dev.moodtag.encode.EmbeddingEngine;
import dev.moodtag.encode.EncoderInfo;
import dev.moodtag.encode.EncoderResult;
import dev.moodtag.encode.UtteranceEmbeddings;
import dev.moodtag.media.MediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.MediaFiles;
import dev.moodtag.media.Transcript;
import dev.moodtag.media.Utterance;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code moodtag embed}: decode and embed media files, printing what each encoder made of them. */
@Dependent
@Unremovable // created by picocli through MoodtagMain, not injected anywhere
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Decode media files (folders are walked), embed every modality with the model pack and label "
                + "them with the pack's classifier.")
public class EmbedCommand implements java.util.concurrent.Callable<Integer>, BeforeStart.Check {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Media files, or folders of media files.")
    List<Path> inputs;

    @Option(names = "--transcript", paramLabel = "TEXT",
            description = "What was said, for a single file; otherwise a sidecar <name>.txt/.vtt/.srt/.json is used.")
    String transcript;

    private final MediaDecoder decoder;
    private final EmbeddingEngine engine;
    /**
     * Made in {@link #call}, once a signal can stop the command: injected, the classifier (and the model pack it
     * verifies) loaded when the command was made, before it could listen for one.
     */
    private final Instance<Labeller> labeller;

    public EmbedCommand(MediaDecoder decoder, EmbeddingEngine engine, Instance<Labeller> labeller) {
        this.decoder = decoder;
        this.engine = engine;
        this.labeller = labeller;
    }

    /**
     * A file or folder named here that is not there is an input the command cannot use (exit code 2, README), known
     * before any model loads; a file that is there and fails to decode is a failure of the run (exit code 1).
     */
    @Override
    public Optional<String> problemBeforeStart() {
        Optional<String> missing = inputs.stream().map(BeforeStart::missing).flatMap(Optional::stream).findFirst();
        if (missing.isPresent() || transcript == null || inputs.size() == 1) return missing;
        return Optional.of(transcriptForOne(inputs.size()));
    }

    private static String transcriptForOne(int files) {
        return "--transcript applies to one file; " + files + " were given";
    }

    @Override
    public Integer call() {
        // Answered before Quarkus starts (BeforeStart); asked again for callers that skip that step
        problemBeforeStart().ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        PrintStream out = System.out;
        List<Path> files = MediaFiles.expand(inputs);
        if (transcript != null && files.size() != 1) {
            System.err.println("moodtag embed: " + transcriptForOne(files.size())); // a folder of several files
            return 2;
        }
        int failed = 0, done = 0;
        // The first signal stops the run before its next file (the file being embedded is finished and printed); a
        // second ends the process at once. Before, a signal ended the process in the middle of a file, with no summary.
        // Listened for before the models load (seconds): a signal then was the JVM's own (exit 130/143, no summary);
        // now the load finishes and nothing is embedded, said as any stop is.
        try (StopSignals stop = StopSignals.install(() -> System.err.printf("%nmoodtag embed: stopping before the next "
                + "file (signal again to quit now)...%n"))) {
            Labeller labels = labeller.get();
            out.printf(Locale.ROOT, "model pack %s %s%n", engine.pack().id(), engine.pack().version());
            for (EncoderInfo i : engine.encoders()) {
                out.printf(Locale.ROOT, "  %s %-22s %-22s %4d-d %-5s %s%s%n", i.modality().code(), i.id(), i.kind(), i.dim(),
                        i.precision(), i.provider(), i.providerNote().isEmpty() ? "" : " (" + i.providerNote() + ")");
            }
            for (; done < files.size() && !stop.getAsBoolean(); done++) {
                if (!embed(out, files, done, labels)) failed++;
            }
        }
        if (done < files.size()) {
            out.printf(Locale.ROOT, "%n%d of %d file(s), %d failed; stopped before %s%n", done, files.size(), failed,
                    files.get(done).getFileName());
            System.err.printf(Locale.ROOT, "moodtag embed: stopped after %d of %d file(s); the other %d were not "
                    + "embedded%n", done, files.size(), files.size() - done);
            return 1; // as moodtag train's and tag's stop
        }
        out.printf(Locale.ROOT, "%n%d file(s), %d failed%n", files.size(), failed);
        return failed == 0 ? 0 : 1;
    }

    /** Embeds, labels and prints the {@code n}-th file; false when it failed to decode. */
    private boolean embed(PrintStream out, List<Path> files, int n, Labeller labeller) {
        Path file = files.get(n);
        out.printf(Locale.ROOT, "%n[%d/%d] %s%n", n + 1, files.size(), file.getFileName());
        try {
            EmbeddingEngine.Decoded d = engine.decodeAndEmbed(decoder, file,
                    transcript == null ? null : Transcript.inline(transcript));
            out.printf(Locale.ROOT, "  decode %7.1f ms  %s%n", d.decodeMillis(), describe(d.utterance()));
            UtteranceEmbeddings e = d.embeddings();
            for (EncoderResult r : e.results()) {
                EncoderInfo i = r.encoder();
                if (r.present()) {
                    out.printf(Locale.ROOT, "  %s %-22s %4d-d %7.1f ms  %s %s%n", i.modality().code(), i.id(),
                            r.vector().length, r.millis(), i.precision(), i.provider());
                } else {
                    out.printf(Locale.ROOT, "  %s %-22s   missing: %s%n", i.modality().code(), i.id(),
                            r.missingReason());
                }
            }
            // The encoders that can start during decoding did (speech and text once the audio was decoded, the face
            // encoder frame by frame): what is timed here is what was left.
            out.printf(Locale.ROOT, "  encode %7.1f ms left after decoding (encoders %s)%n", e.millis(),
                    engine.encoders().size() > 1 ? "concurrent" : "single");
            out.printf("  %s%n", describe(labeller.label(e)));
        } catch (MediaException ex) {
            out.printf("  error: %s%n", ex.getMessage());
            return false;
        }
        return true;
    }

    private static String describe(Labelling l) {
        if (l.label() == null) return "label: none (" + l.reason() + ")";
        String modalities = l.perModality().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(m -> m.getKey() + " " + top(m.getValue())).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "label: %s (p %.2f)%s", l.label(), l.probabilities().get(l.label()),
                modalities.isEmpty() ? "" : "; per modality: " + modalities);
    }

    private static String top(Map<String, Double> p) {
        return p.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(t -> String.format(Locale.ROOT, "%s %.2f", t.getKey(), t.getValue())).orElse("-");
    }

    private static String describe(Utterance u) {
        StringBuilder sb = new StringBuilder();
        u.audioTrack().ifPresent(a -> sb.append(String.format(Locale.ROOT, "audio %.2f s", a.durationSeconds())));
        u.videoTrack().ifPresent(v -> sb.append(sb.isEmpty() ? "" : ", ")
                .append(v.frames().size()).append(v.frames().size() == 1 ? " frame" : " frames")
                .append(v.sampledFps() > 0 ? String.format(Locale.ROOT, " @ %.0f fps", v.sampledFps()) : "")
                .append(String.format(Locale.ROOT, " %dx%d", v.frames().get(0).width(), v.frames().get(0).height())));
        u.transcriptText().ifPresent(t -> sb.append(sb.isEmpty() ? "" : ", ").append("transcript (")
                .append(t.origin()).append(")"));
        return sb.toString();
    }
}

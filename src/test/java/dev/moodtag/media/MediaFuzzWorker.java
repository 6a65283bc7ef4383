package dev.moodtag.media;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child side of {@link MediaFuzz}: reads one media path a line from stdin, decodes it as the tagger does (probe,
 * then one utterance within its bounds, or a stream when it declares or decodes to more than one), and answers one
 * {@code FUZZ} line per path: the outcome, a signature of what decoded (equal bytes must give equal signatures), the
 * wall time, the peak resident set of this process during the case and how far it rose above what the process held
 * before the case (the child's own heap and libraries grow over its cases, so the rise is what a case costs). Not a test: run by {@code bench/media-fuzz.sh}.
 */
public final class MediaFuzzWorker {
    /** TimelineConfig's default segment-above, plus TimelineTagger's slack: where one utterance becomes a timeline. */
    static final double SEGMENT_ABOVE_SECONDS = 30;
    static final double UTTERANCE_SECONDS = SEGMENT_ABOVE_SECONDS + 1;

    private MediaFuzzWorker() {
    }

    /** What one decode came to: an outcome class and what decoded (hash of the audio, frames). */
    record Answer(String outcome, String signature, String detail) {
    }

    public static void main(String[] args) throws Exception {
        Duration base = Duration.ofMillis(Long.parseLong(args.length > 0 ? args[0] : "60000"));
        // FFmpeg's and the product's logs go to stderr; the protocol has stdout to itself.
        PrintStream answers = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(TestMediaConfig.defaults());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        answers.println("FUZZ\tready");
        java.util.concurrent.atomic.AtomicInteger load = filesBeingDecoded(decoder);
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            // "LOADED <path>": as if the cores were busy with other files, so that a film's parts run one after another
            boolean loaded = line.startsWith(LOADED);
            int others = loaded ? Runtime.getRuntime().availableProcessors() : 0;
            PeakMemory before = PeakMemory.reset();
            long t0 = System.nanoTime();
            load.addAndGet(others);
            Answer a;
            try {
                a = decodeAsTagged(decoder, Path.of(loaded ? line.substring(LOADED.length()) : line), base);
            } finally {
                load.addAndGet(-others);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long peak = PeakMemory.peakKb();
            answers.println(String.join("\t", "FUZZ", a.outcome(), a.signature(), Long.toString(ms),
                    Long.toString(peak), Long.toString(before.atResetKb() < 0 ? -1 : peak - before.atResetKb()),
                    oneLine(a.detail())));
        }
    }

    static final String LOADED = "LOADED\t";

    /**
     * The decoder's count of files it is decoding, which decides whether a film's parts run side by side: raised, the
     * next decode runs them one after another, as under load, where the result must be the same.
     */
    private static java.util.concurrent.atomic.AtomicInteger filesBeingDecoded(FfmpegMediaDecoder decoder) throws Exception {
        java.lang.reflect.Field f = FfmpegMediaDecoder.class.getDeclaredField("decoding");
        f.setAccessible(true);
        return (java.util.concurrent.atomic.AtomicInteger) f.get(decoder);
    }

    /** The decoder calls UtteranceTagger makes for an object, with the shipped budget's factor and cap. */
    static Answer decodeAsTagged(FfmpegMediaDecoder decoder, Path file, Duration base) {
        try {
            StreamInfo info = decoder.probe(file);
            TimeBudget time = TimeBudget.start(base, 0.5, TimeBudget.DEFAULT_STARVED_CAP);
            try (CpuAccount.Scope charged = time.charge()) {
                if (!info.stillImage() && info.declaredSeconds() > SEGMENT_ABOVE_SECONDS) return streamed(decoder, file, time);
                try {
                    Utterance u = decoder.decode(file, null, DecodeListener.NONE, new DecodeBounds(UTTERANCE_SECONDS, time));
                    return new Answer("ok", signature(u), "utterance");
                } catch (LongerThanUtterance longer) {
                    return streamed(decoder, file, time);
                }
            }
        } catch (TimeBudget.Starved e) {
            return new Answer("starved", "-", e.getMessage());
        } catch (MediaException e) {
            return new Answer("media:" + e.kind().id(), "-", e.getMessage());
        } catch (OutOfMemoryError e) {
            return new Answer("oom", "-", String.valueOf(e));
        } catch (Throwable e) {
            StackTraceElement[] at = e.getStackTrace();
            return new Answer("exception:" + e.getClass().getName(), "-",
                    e.getMessage() + (at.length > 0 ? " at " + at[0] : ""));
        }
    }

    private static Answer streamed(FfmpegMediaDecoder decoder, Path file, TimeBudget time) {
        CountingSink sink = new CountingSink();
        decoder.stream(file, sink, time);
        return new Answer("ok", "stream:" + sink, "streamed");
    }

    private static String signature(Utterance u) {
        String audio = u.audioTrack().map(a -> a.samples().length + "@" + Integer.toHexString(java.util.Arrays.hashCode(a.samples())))
                .orElse("none");
        String video = u.videoTrack().map(v -> {
            int h = 1;
            for (VideoFrame f : v.frames()) h = 31 * h + java.util.Arrays.hashCode(f.rgb());
            return v.frames().size() + "@" + Integer.toHexString(h);
        }).orElse("none");
        return "a=" + audio + ",v=" + video;
    }

    /** Keeps counts and hashes, never the media: a long stream must not fill the small heap the child runs in. */
    private static final class CountingSink implements MediaSink {
        long samples, frames;
        int audioHash = 1, frameHash = 1;

        @Override
        public boolean audio(AudioTrack chunk) {
            samples += chunk.samples().length;
            audioHash = 31 * audioHash + java.util.Arrays.hashCode(chunk.samples());
            return true;
        }

        @Override
        public boolean frame(VideoFrame frame) {
            frames++;
            frameHash = 31 * frameHash + java.util.Arrays.hashCode(frame.rgb());
            return true;
        }

        @Override
        public String toString() {
            return "a=" + samples + "@" + Integer.toHexString(audioHash) + ",v=" + frames + "@" + Integer.toHexString(frameHash);
        }
    }

    static String oneLine(String s) {
        String flat = String.valueOf(s).replaceAll("[\\t\\r\\n]+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) : flat;
    }
}

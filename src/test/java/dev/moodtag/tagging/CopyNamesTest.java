package dev.moodtag.tagging;

import dev.moodtag.media.FfmpegMediaDecoder;
import dev.moodtag.media.MediaException;
import dev.moodtag.media.TestMediaConfig;
import dev.moodtag.media.TranscriptChain;
import dev.moodtag.media.TranscriptLimits;
import dev.moodtag.media.TranscriptRequest;
import dev.moodtag.media.TranscriptResolution;
import dev.moodtag.storage.LocalObjectStorage;
import dev.moodtag.testing.Fixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every message about a copied object names the object and its sidecar as the user named them, never the scratch
 * copy: that copy is named after the object's {@link ObjectCopier#safeName} in a scratch folder, a name and a place
 * found in no bucket and no folder of the user's.
 */
class CopyNamesTest {
    @TempDir
    Path tmp;

    /** Space, +, %, an escaped +, quotes and URL characters, CJK, an emoji, é in NFC and NFD, a name over the local bound. */
    static final List<String> BASES = List.of("a b", "a+b", "100%", "a%2Bb", "q\"'&=;#?", "\u65e5\u672c\u8a9e",
            "\ud83d\ude00 clip", "caf\u00e9", "cafe\u0301", "x".repeat(200) + " long", "plain");

    /** What is beside the media, and what the message about it must say. */
    enum Case { BLANK_TXT, BAD_VTT, BAD_SRT, NO_SIDECAR, UNDECODABLE, OVER_SIZE }

    @Test
    void everyMessageNamesTheObjectNotTheScratchCopy() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectCopier copier = new ObjectCopier(new TimelineTagger(null, null, null, new SegmentingSinkTest.Config(10, 2),
                ObjectCopierTest.BUDGET, null, new ObjectCopierTest.Limits(1 << 20)),
                new FunctionMetrics(new SimpleMeterRegistry()));
        TranscriptChain chain = TranscriptChain.standard(new TranscriptLimits(1 << 20, 8192, 20000, 100000));
        TestMediaConfig d = TestMediaConfig.defaults();
        FfmpegMediaDecoder decoder = new FfmpegMediaDecoder(d, chain);
        FfmpegMediaDecoder bounded = new FfmpegMediaDecoder(new TestMediaConfig(d.videoFps(), d.maxFrames(),
                d.maxFrameSide(), d.maxSourceSide(), Duration.ofMinutes(10), 1000, true, true), chain);
        List<String> wrong = new ArrayList<>();
        int checked = 0, n = 0;
        for (String base : BASES) {
            for (Case c : Case.values()) {
                Path folder = Files.createDirectories(root.resolve("f" + n++));
                String mediaName = base + ".wav";
                Path media = folder.resolve(mediaName);
                if (c == Case.UNDECODABLE) Files.write(media, new byte[]{0x13, 0x37, (byte) 0xfe, 0x01, 0, 0, 7, 9, 1, 2, 3, 4});
                else Files.copy(Fixtures.sample("03a05Fc.wav"), media);
                String sidecar = switch (c) {
                    case BLANK_TXT -> base + ".txt";
                    case BAD_VTT -> base + ".vtt";
                    case BAD_SRT -> base + ".SRT";
                    default -> null;
                };
                if (sidecar != null) Files.writeString(folder.resolve(sidecar), switch (c) {
                    case BLANK_TXT -> "  \n\t ";
                    case BAD_VTT -> "not a webvtt file\n00:01 --> 00:02\nhi\n";
                    default -> "1\n00:00:02,000 --> 00:00:01,000\nbackwards\n";
                });
                ObjectCopier.Copy copy = copier.copy(store, store.stat(store.refFor(media)).orElseThrow(),
                        Files.createDirectories(scratch.resolve("s" + n)), 1L << 30);
                try {
                    String message;
                    // each reason as the user would read it: the sidecar or the media by the name they gave it
                    String expected = switch (c) {
                        case BLANK_TXT -> "the " + sidecar + " transcript is blank";
                        case BAD_VTT, BAD_SRT -> "transcript not used: " + sidecar + ": ";
                        case NO_SIDECAR -> "no " + base + ".txt, .vtt, .srt or .json beside " + mediaName;
                        case UNDECODABLE -> mediaName + ": FFmpeg cannot read it as media";
                        case OVER_SIZE -> mediaName + ": the file has ";
                    };
                    if (c == Case.UNDECODABLE || c == Case.OVER_SIZE) {
                        try {
                            (c == Case.OVER_SIZE ? bounded : decoder).probe(copy.media());
                            message = "(no error)";
                        } catch (MediaException e) {
                            message = e.getMessage();
                        }
                    } else {
                        TranscriptResolution r = chain.resolve(TranscriptRequest.beside(copy.media()));
                        message = String.valueOf(r.whyMissing());
                    }
                    checked++;
                    String safe = ObjectCopier.safeName(mediaName);
                    String safeBase = safe.substring(0, safe.lastIndexOf('.'));
                    boolean namesScratch = message.contains(scratch.toString()) || message.contains(tmp.toString())
                            || (!safeBase.equals(base) && message.contains(safeBase));
                    if (!message.contains(expected) || namesScratch) wrong.add(c + " " + base + ": " + message);
                } finally {
                    copy.close();
                }
            }
        }
        assertEquals(BASES.size() * Case.values().length, checked);
        assertEquals(List.of(), wrong, wrong.size() + " of " + checked + " messages name the scratch copy");
    }

    /**
     * A local file's read failure names the object it is a copy of, never the copy's path: a FileSystemException's
     * message is that path ({@code /tmp/.../a_b.wav}).
     */
    @Test
    void aReadFailureOfACopyNamesTheObject() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        LocalObjectStorage store = new LocalObjectStorage(List.of(root), true);
        ObjectCopier copier = new ObjectCopier(new TimelineTagger(null, null, null, new SegmentingSinkTest.Config(10, 2),
                ObjectCopierTest.BUDGET, null, new ObjectCopierTest.Limits(1 << 20)),
                new FunctionMetrics(new SimpleMeterRegistry()));
        Path media = Files.copy(Fixtures.sample("03a05Fc.wav"), root.resolve("a b \u65e5.wav"));
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        try (ObjectCopier.Copy copy = copier.copy(store, store.stat(store.refFor(media)).orElseThrow(), scratch, 1L << 30)) {
            assertEquals("a b \u65e5.wav: no such file", dev.moodtag.media.ShownNames.reasonOf(
                    new java.nio.file.NoSuchFileException(copy.media().toString())));
            assertEquals("a b \u65e5.wav: Permission denied", dev.moodtag.media.ShownNames.reasonOf(
                    new java.nio.file.FileSystemException(copy.media().toString(), null, "Permission denied")));
        }
        // closed, the copy is shown by its own name again
        assertEquals("a_b__.wav", dev.moodtag.media.ShownNames.nameOf(scratch.resolve("a_b__.wav")));
    }
}

package dev.moodtag.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transcript fuzz campaign's cases ({@link TranscriptMutator}, run whole with the text encoder and the command line
 * by {@code bench/text-fuzz.sh}) through the transcript chain alone, as CI can afford: each a transcript within its
 * bounds, whole characters, no timing read as text and cues that are time spans ({@link TextFuzz#problems}), or a
 * reason naming the sidecar; the same both times it is read.
 */
class TranscriptFuzzTest {

    @TempDir
    Path dir;

    @Test
    void everyMutatedOrInlineTranscriptIsBoundedTextOrAReasonNamingTheFile() throws Exception {
        TranscriptChain chain = TranscriptChain.standard(TranscriptLimits.DEFAULTS);
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<TranscriptMutator.Case> cases = TranscriptMutator.all(1);
        for (int i = 0; i < cases.size(); i++) {
            TranscriptMutator.Case c = cases.get(i);
            Path file = c.inline() == null ? Files.write(dir.resolve("case" + i + "." + c.extension()), c.bytes()) : null;
            TranscriptRequest request = file == null ? new TranscriptRequest(null, Transcript.inline(c.inline()), null)
                    : new TranscriptRequest(null, null, file);
            TranscriptResolution r;
            try {
                r = chain.resolve(request);
            } catch (RuntimeException e) {
                wrong.add(c.label() + ": " + e);
                continue;
            }
            if (!r.equals(chain.resolve(request))) wrong.add(c.label() + ": read twice, it differs");
            if (r.transcript() != null) {
                TextFuzz.problems(r.transcript()).forEach(p -> wrong.add(c.label() + ": " + p));
            } else if (file == null || !r.whyMissing().contains(file.getFileName().toString())) {
                wrong.add(c.label() + ": " + r.whyMissing());
            }
            outcomes.merge(c.family() + (r.transcript() != null ? " text" : " reason"), 1, Integer::sum);
            if (file != null) Files.delete(file);
        }
        assertEquals(List.of(), wrong);
        // the grid reaches both outcomes in every family that can have both
        for (String family : List.of("bitflip", "truncate", "encoding", "cues", "timestamps"))
            assertTrue(outcomes.getOrDefault(family + " text", 0) > 0 && outcomes.getOrDefault(family + " reason", 0) > 0,
                    family + ": " + outcomes);
        assertTrue(cases.size() > 600, cases.size() + " cases");
    }
}

package dev.moodtag.batch;

import dev.moodtag.support.ParallelWork;
import dev.moodtag.testing.Settings;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A batch asked to run on fewer than one worker, or more than {@link ParallelWork#MAX_THREADS}, is refused naming the
 * size before anything is tagged: 0 and below were raised to one worker without a word (a caller's bug hidden).
 */
class BatchWorkersTest {

    @Test
    void aSizeOutsideTheRangeIsRefusedBeforeAnyObject() {
        BatchTagger tagger = new BatchTagger(null, null, null, null, Settings.mapped(BatchConfig.class));
        List<String> wrong = new ArrayList<>();
        for (int workers : new int[]{Integer.MIN_VALUE, -1_000_000, -1, 0, 1001, 1_000_000, Integer.MAX_VALUE}) {
            String said = answer(tagger, workers);
            if (!said.equals("batch workers must be within 1..1000, not " + workers)) wrong.add(workers + " -> " + said);
        }
        // the edges get past the check (to the empty batch, which the null parts of this tagger may not survive)
        for (int workers : new int[]{1, ParallelWork.MAX_THREADS}) {
            String said = answer(tagger, workers);
            if (said.startsWith("batch workers")) wrong.add(workers + " (an edge) -> " + said);
        }
        assertEquals(List.of(), wrong, wrong.size() + " of 9 sizes");
    }

    private static String answer(BatchTagger tagger, int workers) {
        try {
            tagger.tag(List.of(), workers, false, (row, done, total) -> { }, new AtomicBoolean(),
                    BatchConfig.SpeechOverBatch.OFF, BatchConfig.SelfTrain.OFF);
            return "accepted";
        } catch (IllegalArgumentException refused) {
            return String.valueOf(refused.getMessage());
        } catch (RuntimeException other) {
            return "got past the check: " + other;
        }
    }
}

package dev.moodtag.transcribe;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class WordErrorRateTest {

    @Test
    void normalisesCaseAndPunctuationLikeAsrEvaluations() {
        assertEquals(List.of("kids", "are", "talking", "by", "the", "door"), WordErrorRate.words("Kids are talking by the door."));
        assertEquals(List.of("don't", "well-known"), WordErrorRate.words("  \"Don\u2019t\" -- well-known!  "));
        assertEquals(List.of(), WordErrorRate.words(" ... "));
        assertEquals(List.of(), WordErrorRate.words(null));
        assertEquals(0, WordErrorRate.edits("Kids are talking by the door.", "kids are talking by the door"));
    }

    @Test
    void countsSubstitutionsDeletionsAndInsertions() {
        assertEquals(1, WordErrorRate.edits("dogs are sitting by the door", "dogs are city by the door"));
        assertEquals(1, WordErrorRate.edits("dogs are sitting by the door", "dogs sitting by the door"));
        assertEquals(2, WordErrorRate.edits("dogs are sitting by the door", "the dogs are sitting by the door now"));
        assertEquals(6, WordErrorRate.edits("dogs are sitting by the door", ""));
        assertEquals(3, WordErrorRate.edits("", "a b c"));
        assertEquals(1 / 6.0, WordErrorRate.of("dogs are sitting by the door", "dogs are city by the door"), 1e-12);
        assertTrue(Double.isNaN(WordErrorRate.of("", "anything")));
    }

    @Test
    void editDistanceIsAMetricOnRandomSentences() {
        Random random = new Random(15);
        String[] vocabulary = {"kids", "are", "talking", "by", "the", "door", "dogs", "sitting"};
        for (int trial = 0; trial < 500; trial++) {
            String a = sentence(random, vocabulary), b = sentence(random, vocabulary), c = sentence(random, vocabulary);
            int na = WordErrorRate.words(a).size(), nb = WordErrorRate.words(b).size();
            int ab = WordErrorRate.edits(a, b);
            assertEquals(0, WordErrorRate.edits(a, a));
            assertEquals(ab, WordErrorRate.edits(b, a), "symmetric");
            assertTrue(ab >= Math.abs(na - nb) && ab <= Math.max(na, nb), "bounded by the lengths");
            assertTrue(ab <= WordErrorRate.edits(a, c) + WordErrorRate.edits(c, b), "triangle inequality");
        }
    }

    private static String sentence(Random random, String[] vocabulary) {
        List<String> words = new ArrayList<>();
        for (int i = random.nextInt(9); i > 0; i--) words.add(vocabulary[random.nextInt(vocabulary.length)]);
        return String.join(random.nextBoolean() ? " " : " ,  ", words);
    }
}

package dev.moodtag.encode.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TextWindowsTest {

    /** Word ids for words of the given token lengths, in order. */
    private static long[] words(int... tokensPerWord) {
        int n = 0;
        for (int t : tokensPerWord) n += t;
        long[] ids = new long[n];
        int at = 0;
        for (int w = 0; w < tokensPerWord.length; w++) for (int t = 0; t < tokensPerWord[w]; t++) ids[at++] = w;
        return ids;
    }

    @Test
    void aTextThatFitsIsOneWindow() {
        assertEquals(List.of(new TextWindows.Window(0, 5)), TextWindows.split(words(1, 2, 2), 5));
        assertEquals(List.of(new TextWindows.Window(0, 0)), TextWindows.split(new long[0], 5), "empty text: one empty window");
    }

    @Test
    void windowsEndOnWordBoundaries() {
        // words of 2, 3, 2, 2 tokens (positions 0-1, 2-4, 5-6, 7-8); a cut at 4 would split the second word
        List<TextWindows.Window> w = TextWindows.split(words(2, 3, 2, 2), 4);
        assertEquals(List.of(new TextWindows.Window(0, 2), new TextWindows.Window(2, 5), new TextWindows.Window(5, 9)), w);
    }

    @Test
    void aWordLongerThanAWindowIsCutRatherThanLooping() {
        List<TextWindows.Window> w = TextWindows.split(words(1, 7, 1), 3);
        assertEquals(List.of(new TextWindows.Window(0, 1), new TextWindows.Window(1, 4), new TextWindows.Window(4, 7),
                new TextWindows.Window(7, 9)), w);
    }

    @Test
    void everyTokenIsInExactlyOneWindowOfAtMostTheCapacity() {
        java.util.Random random = new java.util.Random(15);
        for (int trial = 0; trial < 200; trial++) {
            int[] lengths = random.ints(1 + random.nextInt(300), 1, 6).toArray();
            long[] ids = words(lengths);
            int capacity = 1 + random.nextInt(40);
            int next = 0;
            for (TextWindows.Window win : TextWindows.split(ids, capacity)) {
                assertEquals(next, win.from());
                assertTrue(win.tokens() > 0 && win.tokens() <= capacity, win::toString);
                boolean wordCut = win.to() < ids.length && ids[win.to()] == ids[win.to() - 1];
                assertTrue(!wordCut || win.tokens() == capacity && ids[win.from()] == ids[win.to() - 1],
                        () -> "cut inside a word that fits a window: " + win);
                next = win.to();
            }
            assertEquals(ids.length, next);
        }
    }

    @Test
    void aWindowWithoutRoomIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TextWindows.split(words(1), 0));
    }
}

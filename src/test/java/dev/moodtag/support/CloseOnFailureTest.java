package dev.moodtag.support;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloseOnFailureTest {

    @Test
    void withoutSuccessEverythingAddedIsClosedNewestFirstAndTheFailurePropagates() {
        List<String> closed = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("model 3 does not load");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (CloseOnFailure opened = new CloseOnFailure()) {
                opened.add(() -> closed.add("tokenizer"));
                opened.add(() -> closed.add("session"));
                throw boom;
            }
        });
        assertSame(boom, thrown);
        assertEquals(List.of("session", "tokenizer"), closed);
    }

    @Test
    void afterSuccessNothingIsClosed() {
        List<String> closed = new ArrayList<>();
        try (CloseOnFailure opened = new CloseOnFailure()) {
            opened.add(() -> closed.add("session"));
            opened.succeeded();
        }
        assertTrue(closed.isEmpty());
    }

    @Test
    void aResourceThatFailsToCloseDoesNotStopTheOthersAndIsRecordedOnThePrimaryFailure() {
        List<String> closed = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("build failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (CloseOnFailure opened = new CloseOnFailure()) {
                opened.add(() -> closed.add("first"));
                opened.add(() -> {
                    throw new IllegalStateException("close failed");
                });
                throw boom;
            }
        });
        assertSame(boom, thrown);
        assertEquals(List.of("first"), closed);
        assertEquals(1, thrown.getSuppressed().length);
        assertTrue(thrown.getSuppressed()[0].getMessage().contains("close failed"));
    }
}

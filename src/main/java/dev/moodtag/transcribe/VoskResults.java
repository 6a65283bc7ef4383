package dev.moodtag.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleUnaryOperator;

/**
 * Reads Vosk's result JSON ({@code {"result": [{"word", "start", "end", "conf"}...], "text": ...}}); times in it are
 * seconds on the recogniser's clock (from the first sample it was ever fed).
 */
final class VoskResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VoskResults() {
    }

    /** Hands each word of {@code json} to {@code sink}, its start and end read through {@code time}. */
    static void words(String json, DoubleUnaryOperator time, Consumer<RecognisedWord> sink) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Vosk returned a result that is not JSON: " + abbreviate(json), e);
        }
        for (JsonNode w : root.path("result")) {
            String text = w.path("word").asText("");
            if (text.isBlank()) continue;
            sink.accept(new RecognisedWord(text, time.applyAsDouble(w.path("start").asDouble()),
                    time.applyAsDouble(w.path("end").asDouble()), w.path("conf").asDouble()));
        }
    }

    static String text(List<RecognisedWord> words) {
        StringBuilder sb = new StringBuilder();
        for (RecognisedWord w : words) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(w.text());
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}

package dev.moodtag.transcribe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads Vosk's result JSON ({@code {"result": [{"word", "start", "end", "conf"}...], "text": ...}}); times in it are
 * seconds from the recogniser's first sample.
 */
final class VoskResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VoskResults() {
    }

    /** Hands each word of {@code json} to {@code sink}, shifted by {@code offsetSeconds}. */
    static void words(String json, double offsetSeconds, Consumer<RecognisedWord> sink) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Vosk returned a result that is not JSON: " + abbreviate(json), e);
        }
        for (JsonNode w : root.path("result")) {
            String text = w.path("word").asText("");
            if (text.isBlank()) continue;
            sink.accept(new RecognisedWord(text, offsetSeconds + w.path("start").asDouble(),
                    offsetSeconds + w.path("end").asDouble(), w.path("conf").asDouble()));
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

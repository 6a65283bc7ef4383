package dev.moodtag.media;

import java.util.List;

/**
 * What was said. {@code segments} carries timestamps when the source had them (.vtt, .srt, timed .json),
 * and is empty for plain text.
 *
 * @param origin where the text came from ("inline", or the sidecar file name)
 */
public record Transcript(String text, List<Segment> segments, String origin) {
    public Transcript {
        if (text == null) throw new IllegalArgumentException("text must not be null");
        segments = List.copyOf(segments);
    }

    public static Transcript inline(String text) {
        return new Transcript(text.strip(), List.of(), "inline");
    }

    public boolean isBlank() {
        return text.isBlank();
    }

    public record Segment(double startSeconds, double endSeconds, String text) {
    }
}

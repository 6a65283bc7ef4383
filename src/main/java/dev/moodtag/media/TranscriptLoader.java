package dev.moodtag.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.media.MediaException.Kind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds and reads the transcript stored beside a media file: {@code <basename>.txt}, {@code .vtt}, {@code .srt}
 * or {@code .json} (plain {@code {"text": ...}} or WhisperX-style {@code {"segments": [...]}}), first found wins.
 */
public final class TranscriptLoader {
    /** Searched in this order. */
    public static final List<String> SIDECAR_EXTENSIONS = List.of("txt", "vtt", "srt", "json");
    /** A transcript of a long recording is a few hundred kB; anything far larger is not a transcript. */
    private static final long MAX_SIDECAR_BYTES = 16L << 20;

    private final ObjectMapper json = new ObjectMapper();

    /** A transcript, or why there is none. */
    public record Found(Transcript transcript, String whyMissing) {
        public static Found of(Transcript transcript) {
            return new Found(transcript, transcript.isBlank() ? "the " + transcript.origin() + " transcript is blank" : null);
        }
    }

    /** The sidecar transcript of this media file, if one exists. */
    public Found findFor(Path media) {
        String name = MediaFileCheck.nameOf(media);
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        for (String ext : SIDECAR_EXTENSIONS) {
            Path sidecar = media.resolveSibling(base + "." + ext);
            if (Files.isRegularFile(sidecar) && !sidecar.getFileName().toString().equals(name))
                return Found.of(load(sidecar));
        }
        return new Found(null, "no transcript: none given inline and no " + base + ".txt, .vtt, .srt or .json beside " + name);
    }

    /** Reads a transcript file, choosing the parser by its extension. */
    public Transcript load(Path sidecar) {
        String name = MediaFileCheck.nameOf(sidecar);
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        String content = read(sidecar, name);
        return switch (ext) {
            case "txt" -> new Transcript(normalise(content), List.of(), name);
            case "vtt", "srt" -> fromSegments(CueParser.parse(content, ext.equals("vtt"), name), name);
            case "json" -> fromJson(content, name);
            default -> throw new MediaException(Kind.BAD_TRANSCRIPT, name, "unknown transcript type ." + ext);
        };
    }

    private Transcript fromJson(String content, String name) {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (JsonProcessingException e) {
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject())
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "expected a JSON object with \"text\" or \"segments\"");
        JsonNode text = root.get("text");
        JsonNode segments = root.get("segments");
        if (text != null && !text.isTextual())
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "\"text\" must be a string");
        if (segments == null) {
            if (text == null)
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "expected a JSON object with \"text\" or \"segments\"");
            return new Transcript(normalise(text.asText()), List.of(), name);
        }
        if (!segments.isArray()) throw new MediaException(Kind.BAD_TRANSCRIPT, name, "\"segments\" must be an array");
        List<Transcript.Segment> parsed = new ArrayList<>();
        for (JsonNode s : segments) {
            JsonNode start = s.get("start"), end = s.get("end"), words = s.get("text");
            if (start == null || !start.isNumber() || end == null || !end.isNumber() || words == null || !words.isTextual())
                throw new MediaException(Kind.BAD_TRANSCRIPT, name,
                        "segment " + parsed.size() + " needs numeric \"start\" and \"end\" and a string \"text\"");
            parsed.add(new Transcript.Segment(start.asDouble(), end.asDouble(), normalise(words.asText())));
        }
        Transcript joined = fromSegments(parsed, name);
        return text == null ? joined : new Transcript(normalise(text.asText()), joined.segments(), name);
    }

    private static Transcript fromSegments(List<Transcript.Segment> segments, String name) {
        StringBuilder text = new StringBuilder();
        for (Transcript.Segment s : segments) {
            if (s.text().isEmpty()) continue;
            if (!text.isEmpty()) text.append(' ');
            text.append(s.text());
        }
        return new Transcript(text.toString(), segments, name);
    }

    /** Line breaks inside a transcript are layout, not meaning: the encoders get one line. */
    static String normalise(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String read(Path file, String name) {
        try {
            if (Files.size(file) > MAX_SIDECAR_BYTES)
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "larger than " + MAX_SIDECAR_BYTES + " bytes");
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "cannot read it: " + e.getMessage(), e);
        }
    }
}

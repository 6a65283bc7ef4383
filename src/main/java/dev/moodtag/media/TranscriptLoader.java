package dev.moodtag.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.media.MediaException.Kind;
import dev.moodtag.support.LimitedInputStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a transcript file, choosing the parser by its extension: {@code .txt}, {@code .vtt}, {@code .srt} or
 * {@code .json} (plain {@code {"text": ...}} or WhisperX-style {@code {"segments": [...]}} with optional
 * {@code words}); any other extension is read as plain text (a training manifest's {@code transcript_file}). Text is
 * normalised the same way for every format and every caller, and bounded by {@link TranscriptLimits}: plain text is
 * read only as far as it is used, cues are parsed in one pass and stop at the cue limit, and what was left out is
 * recorded in {@link Transcript#note()}.
 */
public final class TranscriptLoader {
    /** Searched in this order. */
    public static final List<String> SIDECAR_EXTENSIONS = List.of("txt", "vtt", "srt", "json");
    /** The extension of a sidecar's refusal ({@link #refuse}); read as one, never as a transcript. */
    private static final String REFUSED = "refused";

    /** Anything after the one JSON value makes the file malformed: it is not a transcript to take half of. */
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final TranscriptLimits limits;

    public TranscriptLoader() {
        this(TranscriptLimits.DEFAULTS);
    }

    public TranscriptLoader(TranscriptLimits limits) {
        this.limits = limits;
    }

    public TranscriptLimits limits() {
        return limits;
    }

    /**
     * The first of {@code <basename>.txt, .vtt, .srt, .json} beside the media file that exists, or that stands
     * {@link #refuse refused} there.
     */
    public static Optional<Path> sidecarOf(Path media) {
        String name = MediaFileCheck.nameOf(media);
        String base = baseName(name);
        for (String ext : SIDECAR_EXTENSIONS) {
            Path sidecar = media.resolveSibling(base + "." + ext);
            if (sidecar.getFileName().toString().equals(name)) continue;
            if (Files.isRegularFile(sidecar)) return Optional.of(sidecar);
            Path refused = refusalOf(sidecar);
            if (Files.isRegularFile(refused)) return Optional.of(refused);
        }
        return Optional.empty();
    }

    /**
     * Leaves {@code reason} beside the media in place of {@code sidecar}, which exists but could not be brought there
     * (over max-sidecar-bytes in object storage, unreadable there): loading it ends the chain with that reason, as an
     * unusable sidecar found beside the media does, so the text is missing and no recogniser guesses over it.
     */
    public static void refuse(Path sidecar, String reason) throws IOException {
        Files.writeString(refusalOf(sidecar), reason, StandardCharsets.UTF_8);
    }

    private static Path refusalOf(Path sidecar) {
        return sidecar.resolveSibling(sidecar.getFileName() + "." + REFUSED);
    }

    static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * A transcript the caller gives (a manifest's {@code transcript} column, {@code --transcript}), its text
     * normalised and cut as a sidecar's is, so that training and serving read the same text however it came; what was
     * cut is noted. Text already read within these limits comes back as it was.
     */
    public Transcript given(Transcript t) {
        BoundedText text = new BoundedText(limits.maxTextChars());
        text.append(t.text());
        return new Transcript(text.toString(), t.segments(), t.origin(), t.source(), t.words(),
                text.cut() ? limits.textCut() : t.note(), t.recogniser());
    }

    /**
     * Reads a transcript file.
     *
     * @throws MediaException {@link Kind#BAD_TRANSCRIPT} when it cannot be used (not a regular file, not UTF-8,
     *                        malformed, too large)
     */
    public Transcript load(Path file) {
        String name = MediaFileCheck.nameOf(file);
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        try (BufferedReader in = open(file, name)) {
            return switch (ext) {
                case "vtt", "srt" -> fromCues(CueParser.parse(in, ext.equals("vtt"), name, limits), name);
                case "json" -> fromJson(in, name);
                case REFUSED -> throw refused(in, name);
                default -> plainText(in, name);
            };
        } catch (CharacterCodingException e) {
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "cannot read it: " + e.getMessage(), e);
        }
    }

    private BufferedReader open(Path file, String name) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        // A FIFO or a device has no size to check, and opening or reading it may never return.
        if (!attributes.isRegularFile()) throw new MediaException(Kind.BAD_TRANSCRIPT, name, "not a regular file");
        if (attributes.size() > limits.maxSidecarBytes()) throw tooLarge(name, String.valueOf(attributes.size()));
        BufferedReader in = new BufferedReader(new InputStreamReader(bounded(Files.newInputStream(file), name),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        in.mark(1);
        if (in.read() != '\uFEFF') in.reset();
        return in;
    }

    /** Why the sidecar a {@link #refuse refusal} stands for was not brought beside the media, in its name. */
    private MediaException refused(BufferedReader in, String name) throws IOException {
        return new MediaException(Kind.BAD_TRANSCRIPT, baseName(name), plainText(in, name).text());
    }

    /** {@code in} refused past max-sidecar-bytes: a file that grows after its size was checked is not read on. */
    private InputStream bounded(InputStream in, String name) {
        return new LimitedInputStream(in, limits.maxSidecarBytes(), read -> {
            throw tooLarge(name, "at least " + read);
        });
    }

    private MediaException tooLarge(String name, String bytes) {
        return new MediaException(Kind.BAD_TRANSCRIPT, name, "it has " + bytes + " bytes, more than "
                + "moodtag.transcript.max-sidecar-bytes=" + limits.maxSidecarBytes());
    }

    /** Plain text is read only until the text bound is reached: the rest could not be used. */
    private Transcript plainText(BufferedReader in, String name) throws IOException {
        BoundedText text = new BoundedText(limits.maxTextChars());
        char[] buf = new char[8192];
        reading:
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) if (!text.add(buf[i])) break reading;
        }
        return new Transcript(text.toString(), List.of(), name, Transcript.Source.SIDECAR, List.of(),
                text.cut() ? limits.textCut() : null);
    }

    private Transcript fromCues(CueParser.Cues cues, String name) {
        return joined(cues.cues(), List.of(), name, cues.moreLeftOut() ? cuesLeftOut() : null, cues.textCut());
    }

    private Transcript fromJson(BufferedReader in, String name) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(in);
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof CharacterCodingException c) throw c;
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
            BoundedText t = new BoundedText(limits.maxTextChars());
            t.append(text.asText());
            return new Transcript(t.toString(), List.of(), name, Transcript.Source.SIDECAR, List.of(),
                    t.cut() ? limits.textCut() : null);
        }
        if (!segments.isArray()) throw new MediaException(Kind.BAD_TRANSCRIPT, name, "\"segments\" must be an array");
        List<Transcript.Segment> parsed = new ArrayList<>();
        List<Transcript.Word> words = new ArrayList<>();
        boolean cut = false, wordsLeftOut = false;
        for (JsonNode s : segments) {
            if (parsed.size() >= limits.maxCues()) break;
            JsonNode start = s.get("start"), end = s.get("end"), said = s.get("text");
            if (!time(start) || !time(end) || said == null || !said.isTextual())
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "segment " + parsed.size()
                        + " needs \"start\" and \"end\" (seconds, finite, not negative) and a string \"text\"");
            BoundedText t = new BoundedText(limits.maxTextChars());
            t.append(said.asText());
            cut |= t.cut();
            parsed.add(new Transcript.Segment(start.asDouble(), end.asDouble(), t.toString()));
            wordsLeftOut |= words(s.get("words"), words, name);
        }
        List<String> notes = new ArrayList<>();
        if (segments.size() > parsed.size()) notes.add(cuesLeftOut());
        if (wordsLeftOut) notes.add("only the first " + limits.maxWords() + " word timings kept (moodtag.transcript.max-words)");
        Transcript joined = joined(parsed, words, name, notes.isEmpty() ? null : String.join("; ", notes), cut);
        if (text == null) return joined;
        BoundedText t = new BoundedText(limits.maxTextChars());
        t.append(text.asText());
        if (t.cut()) notes.add(0, limits.textCut());
        return new Transcript(t.toString(), joined.segments(), name, Transcript.Source.SIDECAR, joined.words(),
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    private static boolean time(JsonNode n) {
        return n != null && n.isNumber() && Double.isFinite(n.asDouble()) && n.asDouble() >= 0;
    }

    /** WhisperX word entries: {@code word} with optional {@code start}, {@code end}, {@code score}; true if some were left out. */
    private boolean words(JsonNode list, List<Transcript.Word> into, String name) {
        if (list == null) return false;
        if (!list.isArray()) throw new MediaException(Kind.BAD_TRANSCRIPT, name, "\"words\" must be an array");
        for (JsonNode w : list) {
            if (into.size() >= limits.maxWords()) return true;
            JsonNode word = w.get("word");
            if (word == null || !word.isTextual())
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "every entry of \"words\" needs a string \"word\"");
            into.add(new Transcript.Word(BoundedText.normalise(word.asText(), limits.maxTextChars()),
                    number(w.get("start")), number(w.get("end")), number(w.get("score"))));
        }
        return false;
    }

    private static double number(JsonNode n) {
        return n != null && n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : Double.NaN;
    }

    /** The cues' text joined, as the whole utterance's text; the cues themselves keep all of theirs. */
    private Transcript joined(List<Transcript.Segment> segments, List<Transcript.Word> words, String name, String note,
                              boolean cueTextCut) {
        BoundedText text = BoundedText.joined(segments.stream().map(Transcript.Segment::text).toList(),
                limits.maxTextChars());
        List<String> notes = new ArrayList<>();
        if (text.cut() || cueTextCut) notes.add(limits.textCut());
        if (note != null) notes.add(note);
        return new Transcript(text.toString(), segments, name, Transcript.Source.SIDECAR, words,
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    private String cuesLeftOut() {
        return "only the first " + limits.maxCues() + " cues kept (moodtag.transcript.max-cues)";
    }
}

package dev.moodtag.media;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moodtag.media.MediaException.Kind;
import dev.moodtag.support.LimitedInputStream;
import dev.moodtag.support.NotARegularFile;
import dev.moodtag.support.Utf8Text;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
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
    /** Each of {@link #SIDECAR_EXTENSIONS} in every case, in lookup order: made once, not for every object looked up. */
    private static final List<List<String>> SIDECAR_EXTENSION_CASES = SIDECAR_EXTENSIONS.stream()
            .map(TranscriptLoader::casesOf).toList();
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
     * The first of {@link #sidecarNames} beside the media file that exists, or that stands {@link #refuse refused}
     * there. Each is looked up by its exact name, as the media is: the same rules (and, in a store, the same
     * confinement) apply to {@code clip.TXT} as to {@code clip.txt}, and no folder is listed.
     */
    public static Optional<Path> sidecarOf(Path media) {
        // the local names: a scratch copy's sidecar is beside it under the copy's name, not the object's
        for (String candidate : sidecarNames(media.getFileName().toString())) {
            Path sidecar = media.resolveSibling(candidate);
            if (Files.isRegularFile(sidecar)) return Optional.of(sidecar);
            Path refused = refusalOf(sidecar);
            if (Files.isRegularFile(refused)) return Optional.of(refused);
        }
        return Optional.empty();
    }

    /**
     * The names a sidecar of the media {@code mediaName} may have, in the order they are looked for: its base name with
     * {@code .txt}, {@code .vtt}, {@code .srt}, then {@code .json}, each extension in any case, as a folder walk takes
     * {@code clip.TXT} beside {@code clip.wav} for its sidecar (a camera's or a Windows tool's upper-case name) and so
     * does not tag it; the lookup asked for the lower-case name alone, so on a case-sensitive file system such a text
     * was neither tagged nor used. Where one extension stands in several cases, the lower-case name wins, then the
     * others in code-point order ({@code clip.TXT} before {@code clip.Txt}): the rule is the same on every store, so
     * the same folder gives the same transcript on a laptop, on a server and in a bucket. The base keeps its case, as
     * the walk compares it; the media's own name is never its sidecar.
     */
    public static List<String> sidecarNames(String mediaName) {
        String base = baseName(mediaName);
        List<String> names = new ArrayList<>();
        for (List<String> cases : SIDECAR_EXTENSION_CASES) {
            for (String cased : cases) {
                String name = base + "." + cased;
                if (!name.equals(mediaName)) names.add(name);
            }
        }
        return names;
    }

    /** Every case of an ASCII extension: the lower-case one first, then the others in code-point order. */
    private static List<String> casesOf(String ext) {
        List<String> cases = new ArrayList<>();
        for (int mask = 0; mask < 1 << ext.length(); mask++) {
            char[] c = ext.toCharArray();
            for (int i = 0; i < c.length; i++) if ((mask & 1 << i) != 0) c[i] = Character.toUpperCase(c[i]);
            cases.add(new String(c));
        }
        cases.sort(Comparator.comparing((String s) -> !s.equals(ext)).thenComparing(s -> s));
        return List.copyOf(cases);
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

    public static String baseName(String name) {
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
                case REFUSED -> throw refused(in, file);
                default -> plainText(in, name);
            };
        } catch (IOException e) {
            Optional<Utf8Text.NotUtf8> notText = Utf8Text.carried(e);
            if (notText.isPresent()) throw new MediaException(Kind.BAD_TRANSCRIPT, name, notText.get().reason(), e);
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "cannot read it: " + ShownNames.reasonOf(e), e);
        }
    }

    private BufferedReader open(Path file, String name) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        // A FIFO or a device has no size to check, and opening or reading it may never return.
        if (!attributes.isRegularFile())
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, NotARegularFile.words(attributes));
        if (attributes.size() > limits.maxSidecarBytes()) throw tooLarge(name, String.valueOf(attributes.size()));
        InputStream bytes = new BufferedInputStream(bounded(Files.newInputStream(file), name));
        Marked marked = encoding(bytes);
        BufferedReader text = new BufferedReader(new Utf8Text(bytes, marked.charset(), marked.markBytes(), name, NOT_TEXT_ADVICE), 1 << 16);
        skipMarks(text);
        return text;
    }

    /**
     * Reads past every U+FEFF at the text's start. A file that starts with two byte-order marks (one added by a tool
     * that did not see the first, or two files joined) read the second as text: an invisible character at the start of
     * the transcript, which the text encoder was given, a .vtt refused for want of its WEBVTT line and a .json for an
     * unexpected character. At the start it says nothing but "this is Unicode" again, so it is dropped rather than the
     * sidecar refused for it; within the text it is left as it is.
     */
    private static void skipMarks(BufferedReader text) throws IOException {
        while (true) {
            text.mark(1);
            if (text.read() != '\uFEFF') {
                text.reset();
                return;
            }
        }
    }

    /**
     * How a sidecar comes to hold bytes that are no text of its encoding, or a NUL (one a JSON string escapes is the
     * text's, not the file's), and what to do: text saved as UTF-16 or UTF-32 without a byte-order mark has a NUL beside
     * every ASCII letter, which is valid UTF-8, so that such a .txt was read as "h\0e\0l\0l\0o" and a .srt refused for
     * its timing line, neither saying what was wrong. {@link Utf8Text} refuses both naming the line and byte offset.
     */
    private static final String NOT_TEXT_ADVICE = "as text saved as Windows-1252 or Latin-1, or as UTF-16 or UTF-32 "
            + "without a byte-order mark, does; save it as UTF-8 (or UTF-16 with a byte-order mark)";

    /** A file's encoding and the bytes of the byte-order mark that named it (none for UTF-8 without one). */
    private record Marked(Charset charset, int markBytes) {
    }

    /**
     * UTF-8, or UTF-16 where a byte-order mark says so, the mark read past: subtitles saved on Windows ("Unicode") are
     * UTF-16 with a mark, and were refused as "not UTF-8 text" though the mark leaves no doubt.
     */
    private static Marked encoding(InputStream in) throws IOException {
        in.mark(3);
        int a = in.read(), b = in.read(), c = in.read();
        in.reset();
        Marked marked = new Marked(StandardCharsets.UTF_8, 0);
        if (a == 0xEF && b == 0xBB && c == 0xBF) marked = new Marked(StandardCharsets.UTF_8, 3);
        else if (a == 0xFF && b == 0xFE) marked = new Marked(StandardCharsets.UTF_16LE, 2);
        else if (a == 0xFE && b == 0xFF) marked = new Marked(StandardCharsets.UTF_16BE, 2);
        in.skipNBytes(marked.markBytes());
        return marked;
    }

    /** Why the sidecar a {@link #refuse refusal} stands for was not brought beside the media, in its name. */
    private MediaException refused(BufferedReader in, Path refusal) throws IOException {
        String name = MediaFileCheck.nameOf(refusal);
        Path sidecar = refusal.resolveSibling(baseName(refusal.getFileName().toString()));
        return new MediaException(Kind.BAD_TRANSCRIPT, MediaFileCheck.nameOf(sidecar), plainText(in, name).text());
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

    /**
     * Read as a stream, never as a tree: a tree of a 16 MiB file of small objects took about 20 times its size in heap
     * (out of memory at -Xmx256m), where the cue and word limits keep what is held small. Fields may come in any order;
     * the last of a repeated field counts, as in a tree.
     */
    private Transcript fromJson(BufferedReader in, String name) throws IOException {
        String text = null;
        boolean sawSegments = false, cuesLeftOut = false;
        JsonSegments segments = new JsonSegments(name);
        try (JsonParser p = json.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "expected a JSON object with \"text\" or \"segments\"");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("text")) {
                    if (value != JsonToken.VALUE_STRING)
                        throw new MediaException(Kind.BAD_TRANSCRIPT, name, "\"text\" must be a string");
                    text = p.getText();
                } else if (field.equals("segments")) {
                    if (value != JsonToken.START_ARRAY)
                        throw new MediaException(Kind.BAD_TRANSCRIPT, name, "\"segments\" must be an array");
                    sawSegments = true;
                    segments = new JsonSegments(name);
                    cuesLeftOut = segments.read(p);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw new MediaException(Kind.BAD_TRANSCRIPT, name, "not valid JSON: trailing content after the object");
        } catch (JsonProcessingException e) {
            if (Utf8Text.carried(e).isPresent()) throw e;
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!sawSegments) {
            if (text == null)
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "expected a JSON object with \"text\" or \"segments\"");
            BoundedText t = new BoundedText(limits.maxTextChars());
            t.append(text);
            return new Transcript(t.toString(), List.of(), name, Transcript.Source.SIDECAR, List.of(),
                    t.cut() ? limits.textCut() : null);
        }
        List<String> notes = new ArrayList<>();
        if (cuesLeftOut) notes.add(cuesLeftOut());
        if (segments.wordsLeftOut) notes.add("only the first " + limits.maxWords() + " word timings kept (moodtag.transcript.max-words)");
        Transcript joined = joined(segments.parsed, segments.words, name, notes.isEmpty() ? null : String.join("; ", notes),
                segments.cut);
        if (text == null) return joined;
        BoundedText t = new BoundedText(limits.maxTextChars());
        t.append(text);
        if (t.cut()) notes.add(0, limits.textCut());
        return new Transcript(t.toString(), joined.segments(), name, Transcript.Source.SIDECAR, joined.words(),
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** WhisperX-style {@code "segments"}, read entry by entry up to max-cues and max-words; the rest is only skipped. */
    private final class JsonSegments {
        final String name;
        final List<Transcript.Segment> parsed = new ArrayList<>();
        final List<Transcript.Word> words = new ArrayList<>();
        boolean cut, wordsLeftOut;

        JsonSegments(String name) {
            this.name = name;
        }

        /** From just after the array's start to its end; true if cues were left out. */
        boolean read(JsonParser p) throws IOException {
            boolean leftOut = false;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (parsed.size() >= limits.maxCues()) {
                    leftOut = true;
                    p.skipChildren();
                    continue;
                }
                segment(p, t);
            }
            return leftOut;
        }

        private void segment(JsonParser p, JsonToken first) throws IOException {
            double start = Double.NaN, end = Double.NaN;
            String said = null;
            // a segment's word timings count only once the segment itself is known good, as its fields may come in any order
            List<Transcript.Word> own = new ArrayList<>();
            boolean ownLeftOut = false;
            String wordsWrong = null;
            if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "start" -> start = time(p, value);
                        case "end" -> end = time(p, value);
                        case "text" -> said = value == JsonToken.VALUE_STRING ? p.getText() : null;
                        case "words" -> {
                            own.clear();
                            ownLeftOut = false;
                            wordsWrong = null;
                            if (value != JsonToken.START_ARRAY) {
                                wordsWrong = "\"words\" must be an array";
                                p.skipChildren();
                            } else {
                                for (JsonToken w = p.nextToken(); w != JsonToken.END_ARRAY; w = p.nextToken()) {
                                    if (wordsWrong != null || words.size() + own.size() >= limits.maxWords()) {
                                        ownLeftOut |= wordsWrong == null;
                                        p.skipChildren();
                                        continue;
                                    }
                                    Transcript.Word word = word(p, w);
                                    if (word == null) wordsWrong = "every entry of \"words\" needs a string \"word\"";
                                    else own.add(word);
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            if (Double.isNaN(start) || Double.isNaN(end) || said == null)
                throw new MediaException(Kind.BAD_TRANSCRIPT, name, "segment " + parsed.size()
                        + " needs \"start\" and \"end\" (seconds, finite, not negative) and a string \"text\"");
            BoundedText t = new BoundedText(limits.maxTextChars());
            t.append(said);
            cut |= t.cut();
            parsed.add(CueParser.ordered(name, "segment " + parsed.size(), start, end, t.toString()));
            if (wordsWrong != null) throw new MediaException(Kind.BAD_TRANSCRIPT, name, wordsWrong);
            words.addAll(own);
            wordsLeftOut |= ownLeftOut;
        }

        /** A word entry ({@code word}, optional {@code start}, {@code end}, {@code score}); null without a string word. */
        private Transcript.Word word(JsonParser p, JsonToken first) throws IOException {
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                return null;
            }
            String word = null;
            double start = Double.NaN, end = Double.NaN, score = Double.NaN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "word" -> word = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "start" -> start = number(p, value);
                    case "end" -> end = number(p, value);
                    case "score" -> score = number(p, value);
                    default -> p.skipChildren();
                }
            }
            return word == null ? null
                    : new Transcript.Word(BoundedText.normalise(word, limits.maxTextChars()), start, end, score);
        }
    }

    /** Seconds: a finite number, not negative; NaN for anything else. */
    private static double time(JsonParser p, JsonToken value) throws IOException {
        double v = number(p, value);
        return v >= 0 ? v : Double.NaN;
    }

    private static double number(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
            p.skipChildren();
            return Double.NaN;
        }
        double v = p.getDoubleValue();
        return Double.isFinite(v) ? v : Double.NaN;
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

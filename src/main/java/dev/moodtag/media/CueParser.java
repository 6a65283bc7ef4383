package dev.moodtag.media;

import dev.moodtag.media.MediaException.Kind;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses WebVTT and SubRip cues: the two differ only in the header, the decimal mark and the extra blocks. It reads
 * line by line and keeps only the cues, so time is linear in the file and memory bounded by the cues kept: it stops
 * after {@link TranscriptLimits#maxCues()} cues, and each cue's text is cut at {@link TranscriptLimits#maxTextChars()}.
 */
final class CueParser {
    /** Hours bounded so that a hostile number cannot overflow. */
    private static final String TIME = "(?:(\\d{1,9}):)?(\\d{1,2}):(\\d{2})[.,](\\d{1,3})";
    /**
     * A timing line, its cue settings (after the end time) read past. Only CR, LF and CR LF end a line in WebVTT (and in
     * SubRip as players read it), so U+0085, U+2028 and U+2029 are characters of the line: DOTALL, where Java's {@code .}
     * stops at them and a line with one in its settings ("align:start\u2028line:0", as a converter may leave) was
     * refused as "no valid timing line". As in WebVTT, the settings are the rest of the line after the end time, with or
     * without a space; a digit, '.', ',' or ':' right after it would make the time itself another, so it is refused.
     */
    private static final Pattern TIMING = Pattern.compile("^\\s*" + TIME + "\\s*-->\\s*" + TIME + "(?:[^0-9.,:].*)?$",
            Pattern.DOTALL);

    /** The cues read, and whether more were left unread. */
    record Cues(List<Transcript.Segment> cues, boolean moreLeftOut, boolean textCut) {
    }

    private final boolean vtt;
    private final String name;
    private final TranscriptLimits limits;
    private final List<Transcript.Segment> cues = new ArrayList<>();
    // The block being read: its line number, whether it is skipped (header, NOTE, STYLE, REGION), its timing and text.
    private int lineInBlock;
    private boolean skipBlock, firstBlock = true, sawContent, textCut;
    private Matcher timing;
    private StringBuilder raw;
    // The text's length before its last line, and whether that line was a number (the next cue's, if a timing follows)
    private int rawBeforeLastLine;
    private boolean lastLineNumber;

    private CueParser(boolean vtt, String name, TranscriptLimits limits) {
        this.vtt = vtt;
        this.name = name;
        this.limits = limits;
    }

    static Cues parse(BufferedReader in, boolean vtt, String name, TranscriptLimits limits) throws IOException {
        return new CueParser(vtt, name, limits).read(in);
    }

    private Cues read(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            boolean blank = line.isBlank();
            if (blank || beginsCue(line)) {
                endBlock();
                if (cues.size() >= limits.maxCues()) return new Cues(cues, !blank || moreCues(in), textCut);
            }
            if (!blank) line(line);
        }
        endBlock();
        if (cues.isEmpty() && !vtt && sawContent)
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "no subtitle cues found");
        return new Cues(cues, false, textCut);
    }

    /**
     * Whether {@code line}, inside a block past its first line, is a timing line that begins a cue of its own, wherever it
     * stands, as WebVTT's parser reads it: cues run together without their blank line were one cue whose text held the
     * next one's number and timing, and a cue right after the WEBVTT line or a NOTE's first line was skipped with it. A
     * number line just before it is that cue's number, not the text of the one before.
     */
    private boolean beginsCue(String line) {
        if (lineInBlock == 0 || (!skipBlock && timing == null) || !line.contains("-->") || !TIMING.matcher(line).matches())
            return false;
        if (lastLineNumber) raw.setLength(rawBeforeLastLine);
        return true;
    }

    /** Whether a timing line follows: cues beyond the limit exist. Reads on only until the next one. */
    private static boolean moreCues(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null; ) if (line.contains("-->")) return true;
        return false;
    }

    private void line(String line) {
        sawContent = true;
        int n = lineInBlock++;
        if (skipBlock) return;
        if (n == 0) {
            if (vtt && firstBlock) {
                if (!isWebVttSignature(line))
                    throw new MediaException(Kind.BAD_TRANSCRIPT, name, "a WebVTT file must start with WEBVTT");
                skipBlock = true;
                return;
            }
            if (vtt && (line.startsWith("NOTE") || line.startsWith("STYLE") || line.startsWith("REGION"))) {
                skipBlock = true;
                return;
            }
            if (line.contains("-->")) timing = timing(line); // else the first line is a cue id or number
            return;
        }
        if (timing == null) {
            if (n == 1) timing = timing(line);
            return;
        }
        rawBeforeLastLine = raw.length();
        lastLineNumber = line.strip().chars().allMatch(Character::isDigit);
        // Raw text is bounded before tags are stripped: stripping only removes, so the cut is not lost.
        if (raw.length() < 4L * limits.maxTextChars()) raw.append(line, 0,
                (int) Math.min(line.length(), 4L * limits.maxTextChars() - raw.length())).append(' ');
    }

    /** The word alone, or followed by a space or a tab and anything: "WEBVTTX" is no WebVTT file (WebVTT, 4.1). */
    private static boolean isWebVttSignature(String line) {
        return line.startsWith("WEBVTT") && (line.length() == 6 || line.charAt(6) == ' ' || line.charAt(6) == '\t');
    }

    private Matcher timing(String line) {
        Matcher m = TIMING.matcher(line);
        if (!m.matches()) throw noTiming();
        raw = new StringBuilder();
        return m;
    }

    private MediaException noTiming() {
        String mark = vtt ? "." : ",";
        return new MediaException(Kind.BAD_TRANSCRIPT, name, "cue " + (cues.size() + 1)
                + " has no valid timing line (expected 00:00:01" + mark + "000 --> 00:00:02" + mark + "000)");
    }

    private void endBlock() {
        if (lineInBlock == 0) return;
        boolean wasCue = !skipBlock;
        if (wasCue && timing == null) throw noTiming();
        if (wasCue) {
            BoundedText text = new BoundedText(limits.maxTextChars());
            text.append(clean(raw));
            textCut |= text.cut();
            cues.add(ordered(name, "cue " + (cues.size() + 1), seconds(1), seconds(5), text.toString()));
        }
        firstBlock = false;
        lineInBlock = 0;
        skipBlock = false;
        timing = null;
        raw = null;
        lastLineNumber = false;
    }

    /**
     * A cue or segment from {@code start} to {@code end}, refused where it ends before it starts (its times swapped, a
     * typo in one): its text counted for the whole utterance, but a timeline drops a cue without length, so there it
     * was lost without a word.
     */
    static Transcript.Segment ordered(String name, String what, double start, double end, String text) {
        if (end < start)
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, what + " ends at " + seconds(end) + ", before it starts at "
                    + seconds(start));
        return new Transcript.Segment(start, end, text);
    }

    /** A time for a reason: a JSON segment may say 1e300 s, which %f spells in 300 digits. */
    private static String seconds(double s) {
        return String.format(Locale.ROOT, s < 1e12 ? "%.3f s" : "%.3e s", s);
    }

    /**
     * The timestamp at {@code group} of the block's timing, in seconds. Minutes and seconds run to 59, as on a clock:
     * "00:99:01,000" was read as 99 minutes, the cue's text given to whatever lay there, or to nothing.
     */
    private double seconds(int group) {
        Matcher m = timing;
        String hours = m.group(group);
        String millis = m.group(group + 3);
        int minutes = Integer.parseInt(m.group(group + 1)), seconds = Integer.parseInt(m.group(group + 2));
        if (minutes > 59 || seconds > 59) {
            String stamp = m.group(0).substring(hours == null ? m.start(group + 1) : m.start(group), m.end(group + 3));
            throw new MediaException(Kind.BAD_TRANSCRIPT, name, "cue " + (cues.size() + 1) + " has the time " + stamp
                    + ", whose minutes and seconds do not run from 00 to 59");
        }
        return (hours == null ? 0 : Long.parseLong(hours) * 3600) + minutes * 60 + seconds
                + Integer.parseInt(millis) / Math.pow(10, millis.length());
    }

    /**
     * Styling and voice tags ({@code <b>}, {@code <v Name>}, {@code {\an8}}) are presentation; entities are the common
     * HTML ones subtitles use. One pass: a {@code <} or {@code {\} with no closing mark after it is kept as text.
     */
    static String clean(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        int noCloseAngleFrom = Integer.MAX_VALUE, noCloseBraceFrom = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '<' && i < noCloseAngleFrom) {
                int close = indexOf(text, '>', i + 1);
                if (close >= 0) {
                    i = close;
                    continue;
                }
                noCloseAngleFrom = i; // no '>' after here: every later '<' is text too
            } else if (c == '{' && i + 1 < n && text.charAt(i + 1) == '\\' && i < noCloseBraceFrom) {
                int close = indexOf(text, '}', i + 2);
                if (close >= 0) {
                    i = close;
                    continue;
                }
                noCloseBraceFrom = i;
            }
            out.append(c);
        }
        return entitiesDecoded(out);
    }

    private static final java.util.Map<String, String> ENTITIES = java.util.Map.of("lt", "<", "gt", ">", "amp", "&",
            "nbsp", " ", "quot", "\"", "apos", "'", "lrm", "", "rlm", "");

    /**
     * The named entities WebVTT defines and numeric ones ({@code &#39;}, {@code &#x2019;}), in one pass so that
     * {@code &amp;lt;} stays {@code &lt;}. Subtitle exports write apostrophes as {@code &#39;}: "I&#39;m" reached the text
     * encoder as six tokens of markup. Anything else after an {@code &} is text.
     */
    static String entitiesDecoded(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int end = -1;
            // an entity is short: looking further for its ';' made text of many '&' quadratic
            for (int j = i + 1; c == '&' && j < n && j <= i + 10; j++) {
                if (text.charAt(j) == ';') {
                    end = j;
                    break;
                }
            }
            String decoded = end > i + 1 ? entity(text.subSequence(i + 1, end).toString()) : null;
            if (decoded == null) {
                out.append(c);
            } else {
                out.append(decoded);
                i = end;
            }
        }
        return out.toString();
    }

    /** What {@code &name;} stands for, or null where it is no entity (then it stays as written). */
    private static String entity(String name) {
        if (!name.startsWith("#")) return ENTITIES.get(name);
        boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
        String digits = name.substring(hex ? 2 : 1);
        if (digits.isEmpty() || digits.length() > 7) return null;
        int code;
        try {
            code = Integer.parseInt(digits, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            return null;
        }
        // NUL, surrogates and what lies past Unicode are no characters to read
        if (code <= 0 || code > Character.MAX_CODE_POINT || (code >= 0xD800 && code <= 0xDFFF)) return null;
        return new String(Character.toChars(code));
    }

    private static int indexOf(CharSequence s, char c, int from) {
        for (int i = from; i < s.length(); i++) if (s.charAt(i) == c) return i;
        return -1;
    }
}

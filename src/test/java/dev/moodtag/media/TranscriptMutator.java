package dev.moodtag.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Hostile transcripts for {@link TextFuzz}: a seed of every sidecar format the README lists (.txt, .srt, .vtt, .json
 * with {@code text} and WhisperX-style {@code segments}), each mutated by family (bit flips, truncation at every line,
 * cue blocks duplicated, overlapping, reversed and swapped, absurd timestamps, encodings, text extremes for the
 * tokenizer), and the same text extremes given inline. Deterministic: the campaign seed picks the bit flips, so a case
 * is its number.
 */
final class TranscriptMutator {

    /** One input: a sidecar's bytes (its extension says its format), or inline text where {@code inline} is set. */
    record Case(String family, String format, String how, String extension, byte[] bytes, String inline) {
        String label() {
            return family + "/" + format + "/" + how;
        }
    }

    static final String TXT = "Kids are talking by the door.\nI am so happy today!\n";
    static final String SRT = "1\n00:00:00,200 --> 00:00:01,000\nKids are talking\n\n2\n00:00:01,100 --> 00:00:02,000\n"
            + "<i>by the door.</i>\n\n3\n00:00:02,100 --> 00:00:03,000\nI am so happy\n\n4\n00:00:03,000 --> 00:00:03,300\n"
            + "today!\n";
    static final String VTT = "WEBVTT\n\nNOTE made by hand\n\n00:00.200 --> 00:01.000 align:start\n<v Ann>Kids are talking"
            + "\n\n00:01.100 --> 00:02.000\nby the door.\n\n00:02.100 --> 00:03.000\nI am so happy\n\n00:03.000 --> 00:03.300\n"
            + "today!\n";
    static final String JSON_TEXT = "{\"text\": \"Kids are talking by the door. I am so happy today!\"}";
    static final String JSON_SEGMENTS = "{\"segments\": [{\"start\": 0.2, \"end\": 1.0, \"text\": \"Kids are talking\","
            + " \"words\": [{\"word\": \"Kids\", \"start\": 0.2, \"end\": 0.4, \"score\": 0.9}]},"
            + " {\"start\": 1.1, \"end\": 2.0, \"text\": \"by the door.\"}, {\"start\": 2.1, \"end\": 3.0, \"text\":"
            + " \"I am so happy\"}, {\"start\": 3.0, \"end\": 3.3, \"text\": \"today!\"}]}";

    /** Format name, extension and seed text. */
    record Seed(String format, String extension, String text) {
        boolean timed() {
            return !extension.equals("txt") && !format.equals("json-text");
        }
    }

    static final List<Seed> SEEDS = List.of(new Seed("txt", "txt", TXT), new Seed("srt", "srt", SRT),
            new Seed("vtt", "vtt", VTT), new Seed("json-text", "json", JSON_TEXT),
            new Seed("json-segments", "json", JSON_SEGMENTS));

    /** Text extremes for the tokenizer, each a whole transcript; the big ones stay under max-sidecar-bytes. */
    static List<String[]> extremes() {
        List<String[]> out = new ArrayList<>();
        out.add(new String[]{"one-word-10MB", "a".repeat(10_000_000)});
        out.add(new String[]{"1M-combining-marks", "a" + "\u0301".repeat(1_000_000)});
        out.add(new String[]{"zero-width-joiners", "hap\u200Dpy \u200D\u200D\u200D sad ".repeat(600)});
        out.add(new String[]{"rtl-overrides", "\u202Eyppah ma I\u202C and \u202Dsad\u202C ".repeat(400)});
        out.add(new String[]{"emoji-zwj", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66 ".repeat(900)});
        out.add(new String[]{"cjk-no-spaces", "我今天非常高兴因为天气很好".repeat(700)});
        out.add(new String[]{"unk-only", "\uE000\uE001\uE002 ".repeat(2500)});
        out.add(new String[]{"punctuation-only", "!?.,;:".repeat(1500)});
        out.add(new String[]{"whitespace-only", " \t\u00A0\u2003\u3000\u2028\u0085".repeat(1500)});
        out.add(new String[]{"control-characters", "\u0001\u0002\u001B[31mred\u007F\u0085 ".repeat(1000)});
        out.add(new String[]{"special-token-names", "[CLS] [SEP] [PAD] [MASK] [UNK] happy ".repeat(300)});
        out.add(new String[]{"report-injection", "<script>alert(1)</script> =HYPERLINK(\"http://x\",\"y\") +1 -1 @SUM(A1) "
                + "\"quoted\",comma\r\nline </td></tr><img src=x onerror=alert(1)> &lt;b&gt; ]]> {{x}} ${x}"});
        out.add(new String[]{"mixed-scripts-long", ("Ich bin glücklich. Je suis triste. أنا سعيد. я злой. 😀 ").repeat(200)});
        return out;
    }

    static List<Case> all(long campaign) {
        List<Case> cases = new ArrayList<>();
        Random random = new Random(campaign);
        for (Seed s : SEEDS) {
            cases.add(new Case("control", s.format(), "seed as written", s.extension(), utf8(s.text()), null));
            bitFlips(s, random, cases);
            truncations(s, cases);
            encodings(s, cases);
            textExtremes(s, cases);
            if (s.timed()) {
                cueShapes(s, cases);
                timestamps(s, cases);
            }
        }
        for (String[] e : extremes()) cases.add(new Case("inline", "inline", e[0], "", new byte[0], e[1]));
        cases.add(new Case("inline", "inline", "lone-surrogates", "", new byte[0], "a \uD800 b \uDC00 c \uDBFF"));
        cases.add(new Case("inline", "inline", "nul-characters", "", new byte[0], "h\0e\0l\0l\0o\0"));
        return cases;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void bitFlips(Seed s, Random random, List<Case> cases) {
        byte[] seed = utf8(s.text());
        for (int i = 0; i < 40; i++) {
            byte[] b = seed.clone();
            int flips = 1 + random.nextInt(8);
            StringBuilder how = new StringBuilder("bits");
            for (int k = 0; k < flips; k++) {
                int at = random.nextInt(b.length), bit = random.nextInt(8);
                b[at] ^= (byte) (1 << bit);
                how.append(' ').append(at).append('.').append(bit);
            }
            cases.add(new Case("bitflip", s.format(), how.toString(), s.extension(), b, null));
        }
    }

    /** Cut at every line's start and in the middle of every line: every cue boundary and every half cue. */
    private static void truncations(Seed s, List<Case> cases) {
        byte[] seed = utf8(s.text());
        List<Integer> cuts = new ArrayList<>();
        for (int i = 0; i < seed.length; i++) {
            if (i == 0 || seed[i - 1] == '\n') cuts.add(i);
        }
        int lines = cuts.size();
        for (int k = 0; k < lines; k++) {
            int end = k + 1 < lines ? cuts.get(k + 1) : seed.length;
            cuts.add((cuts.get(k) + end) / 2);
        }
        if (s.extension().equals("json")) for (int i = 1; i < seed.length; i += 7) cuts.add(i);
        for (int cut : cuts.stream().distinct().sorted().toList())
            cases.add(new Case("truncate", s.format(), "first " + cut + " bytes", s.extension(), Arrays.copyOf(seed, cut), null));
    }

    private static void encodings(Seed s, List<Case> cases) {
        String t = s.text();
        byte[] u8 = utf8(t);
        add(cases, s, "encoding", "utf-8 with a byte-order mark", cat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, u8));
        add(cases, s, "encoding", "utf-16le with a mark", cat(new byte[]{(byte) 0xFF, (byte) 0xFE}, t.getBytes(StandardCharsets.UTF_16LE)));
        add(cases, s, "encoding", "utf-16be with a mark", cat(new byte[]{(byte) 0xFE, (byte) 0xFF}, t.getBytes(StandardCharsets.UTF_16BE)));
        add(cases, s, "encoding", "utf-16le without a mark", t.getBytes(StandardCharsets.UTF_16LE));
        add(cases, s, "encoding", "utf-16be without a mark", t.getBytes(StandardCharsets.UTF_16BE));
        add(cases, s, "encoding", "utf-16le with a mark, odd length", cat(new byte[]{(byte) 0xFF, (byte) 0xFE},
                Arrays.copyOf(t.getBytes(StandardCharsets.UTF_16LE), t.length() * 2 - 1)));
        add(cases, s, "encoding", "utf-32le with a mark", cat(new byte[]{(byte) 0xFF, (byte) 0xFE, 0, 0}, t.getBytes(Charset.forName("UTF-32LE"))));
        add(cases, s, "encoding", "utf-16 mark twice", cat(new byte[]{(byte) 0xFF, (byte) 0xFE, (byte) 0xFF, (byte) 0xFE},
                t.getBytes(StandardCharsets.UTF_16LE)));
        String accented = t.replace("happy", "très heureux");
        add(cases, s, "encoding", "latin-1, not utf-8", accented.getBytes(StandardCharsets.ISO_8859_1));
        add(cases, s, "encoding", "cp1252 quotes", t.replace("Kids", "\u201CKids\u201D").getBytes(Charset.forName("windows-1252")));
        int at = t.indexOf("happy");
        add(cases, s, "encoding", "invalid utf-8 (0xFF)", splice(u8, at, new byte[]{(byte) 0xFF}));
        add(cases, s, "encoding", "lone continuation byte", splice(u8, at, new byte[]{(byte) 0x80}));
        add(cases, s, "encoding", "lone surrogate (CESU bytes)", splice(u8, at, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        add(cases, s, "encoding", "overlong '/' (C0 AF)", splice(u8, at, new byte[]{(byte) 0xC0, (byte) 0xAF}));
        add(cases, s, "encoding", "overlong 3-byte (E0 80 AF)", splice(u8, at, new byte[]{(byte) 0xE0, (byte) 0x80, (byte) 0xAF}));
        add(cases, s, "encoding", "4-byte past U+10FFFF", splice(u8, at, new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
        add(cases, s, "encoding", "cut multi-byte character", splice(u8, at, new byte[]{(byte) 0xE2, (byte) 0x82}));
        add(cases, s, "encoding", "nul byte", splice(u8, at, new byte[]{0}));
        add(cases, s, "encoding", "json-escaped lone surrogate", utf8(t.replace("happy", "hap\\ud800py")));
        add(cases, s, "encoding", "line endings CR", utf8(t.replace("\n", "\r")));
        add(cases, s, "encoding", "line endings CRLF", utf8(t.replace("\n", "\r\n")));
        add(cases, s, "encoding", "line endings mixed", utf8(mixedEndings(t)));
        add(cases, s, "encoding", "line endings U+2028", utf8(t.replace("\n", "\u2028")));
        add(cases, s, "encoding", "line endings NEL U+0085", utf8(t.replace("\n", "\u0085")));
        add(cases, s, "encoding", "trailing spaces and tabs on every line", utf8(t.replace("\n", " \t \n")));
        add(cases, s, "encoding", "blank lines holding spaces", utf8(t.replace("\n\n", "\n \t\n")));
    }

    private static String mixedEndings(String t) {
        StringBuilder b = new StringBuilder();
        String[] endings = {"\n", "\r\n", "\r"};
        int k = 0;
        for (char c : t.toCharArray()) {
            if (c == '\n') b.append(endings[k++ % 3]);
            else b.append(c);
        }
        return b.toString();
    }

    /** The seed's words replaced by each extreme (in .json as a JSON string, escaped). */
    private static void textExtremes(Seed s, List<Case> cases) {
        for (String[] e : extremes()) {
            String text = s.extension().equals("json") ? jsonEscaped(e[1]) : e[1];
            String body = s.extension().equals("txt") ? text : s.text().replace("I am so happy", text);
            if (s.format().equals("srt") || s.format().equals("vtt")) body = body.replace("\n\n\n", "\n\n");
            add(cases, s, "text", e[0], utf8(body));
        }
    }

    private static void cueShapes(Seed s, List<Case> cases) {
        Blocks b = blocks(s);
        List<String> twice = new ArrayList<>(b.cues());
        twice.addAll(b.cues());
        add(cases, s, "cues", "every cue twice", utf8(b.with(twice)));
        List<String> reversed = new ArrayList<>(b.cues());
        java.util.Collections.reverse(reversed);
        add(cases, s, "cues", "cues in reverse order", utf8(b.with(reversed)));
        add(cases, s, "cues", "5000 cues at one instant",
                utf8(b.with(java.util.Collections.nCopies(5000, cue(s, "00:00:01.000", "00:00:01.000", "now")))));
        add(cases, s, "cues", "25000 cues over one second (past max-cues)",
                utf8(b.with(java.util.Collections.nCopies(25_000, cue(s, "00:00:00.500", "00:00:01.500", "again")))));
        add(cases, s, "cues", "one cue spanning 10^9 s", utf8(b.with(List.of(cue(s, "00:00:00.000", "277777:46:40.000", "forever")))));
        add(cases, s, "cues", "overlapping cues", utf8(b.with(List.of(cue(s, "00:00:00.000", "00:00:03.000", "Kids are talking"),
                cue(s, "00:00:01.000", "00:00:02.000", "by the door")))));
        add(cases, s, "cues", "a cue with no text", utf8(b.with(List.of(cue(s, "00:00:00.000", "00:00:01.000", "")))));
        add(cases, s, "cues", "no cue at all", utf8(b.with(List.of())));
        add(cases, s, "cues", "start and end swapped", utf8(swapFirstTiming(s)));
        if (!s.extension().equals("json")) {
            add(cases, s, "cues", "cues run together (no blank lines)", utf8(b.head() + String.join("",
                    b.cues().stream().map(c -> c.replace("\n\n", "\n")).toList())));
            add(cases, s, "cues", "no blank line after the header", utf8(s.text().replaceFirst("\n\n", "\n")));
        }
    }

    private static void timestamps(Seed s, List<Case> cases) {
        String[][] variants = {{"negative", "-00:00:01.000"}, {"NaN", "NaN"}, {"10^300 hours",
                "1" + "0".repeat(300) + ":00:00.000"}, {"hours 25", "25:00:00.000"}, {"hours 999999999", "999999999:00:00.000"},
                {"minutes 99", "00:99:00.000"}, {"seconds 99", "00:00:99.000"}, {"millis 4 digits", "00:00:01.0000"},
                {"no millis", "00:00:01"}, {"letters", "aa:bb:cc.ddd"}, {"full-width digits", "００:００:０１.０００"},
                {"Infinity", "Infinity"}, {"1e300", "1e300"}};
        for (String[] v : variants) add(cases, s, "timestamps", v[0], utf8(replaceFirstStart(s, v[1])));
        if (!s.extension().equals("json")) {
            String mark = s.format().equals("srt") ? "," : ".", other = s.format().equals("srt") ? "." : ",";
            add(cases, s, "timestamps", "decimal mark of the other format", utf8(s.text().replace(mark, other)));
            add(cases, s, "timestamps", "missing arrow", utf8(s.text().replaceFirst(" --> ", " ")));
            add(cases, s, "timestamps", "arrow doubled", utf8(s.text().replaceFirst(" --> ", " --> --> ")));
            add(cases, s, "timestamps", "arrow without spaces", utf8(s.text().replace(" --> ", "-->")));
            add(cases, s, "timestamps", "colon for the decimal mark", utf8(s.text().replaceFirst("00:00:00" + mark, "00:00:00:")
                    .replaceFirst("00:00" + (s.format().equals("vtt") ? "\\" : "") + mark + "200", "00:00:200")));
        }
    }

    /** A timed seed taken apart: what comes before its cues, the cues, what comes after, and what joins them. */
    record Blocks(String head, List<String> cues, String tail, String separator) {
        String with(List<String> cues) {
            return head + String.join(separator, cues) + tail;
        }
    }

    private static Blocks blocks(Seed s) {
        if (s.extension().equals("json")) {
            int open = s.text().indexOf('[') + 1, close = s.text().lastIndexOf(']');
            return new Blocks(s.text().substring(0, open),
                    List.of(s.text().substring(open, close).split("(?<=\\}), (?=\\{\"start)")), s.text().substring(close), ", ");
        }
        String[] parts = s.text().split("\n\n");
        int first = s.format().equals("vtt") ? 2 : 0;
        StringBuilder head = new StringBuilder();
        for (int i = 0; i < first; i++) head.append(parts[i]).append("\n\n");
        List<String> cues = new ArrayList<>();
        for (int i = first; i < parts.length; i++) cues.add(parts[i].strip() + "\n\n");
        return new Blocks(head.toString(), cues, "", "");
    }

    /** One cue in the seed's format from two hh:mm:ss.mmm times. */
    private static String cue(Seed s, String start, String end, String text) {
        if (s.extension().equals("json"))
            return "{\"start\": " + seconds(start) + ", \"end\": " + seconds(end) + ", \"text\": \"" + text + "\"}";
        if (s.format().equals("srt")) return "1\n" + start.replace('.', ',') + " --> " + end.replace('.', ',') + "\n" + text + "\n\n";
        return start + " --> " + end + "\n" + text + "\n\n";
    }

    private static String seconds(String hms) {
        String[] p = hms.split(":");
        return Double.toString(Double.parseDouble(p[0]) * 3600.0 + Double.parseDouble(p[1]) * 60 + Double.parseDouble(p[2]));
    }

    private static String swapFirstTiming(Seed s) {
        if (s.extension().equals("json")) return s.text().replaceFirst("\"start\": 0.2, \"end\": 1.0", "\"start\": 1.0, \"end\": 0.2");
        String[] lines = s.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].contains("-->")) continue;
            String[] t = lines[i].split(" --> ");
            lines[i] = t[1].split(" ")[0] + " --> " + t[0];
            break;
        }
        return String.join("\n", lines);
    }

    /** The first cue's start written as {@code value} (in .json as the number or string it spells). */
    private static String replaceFirstStart(Seed s, String value) {
        if (s.extension().equals("json")) {
            String v = value.matches("-?[0-9.e]+") ? value : value.matches("[-0-9:.]+") && value.contains(":")
                    ? seconds(value.replace("-", "")) : "\"" + value + "\"";
            if (value.startsWith("-")) v = "-" + v;
            return s.text().replaceFirst("\"start\": 0.2", "\"start\": " + v);
        }
        String written = s.format().equals("srt") ? value.replace('.', ',') : value;
        String first = s.format().equals("srt") ? "00:00:00,200" : "00:00.200";
        return s.text().replaceFirst(java.util.regex.Pattern.quote(first), java.util.regex.Matcher.quoteReplacement(written));
    }

    private static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    private static void add(List<Case> cases, Seed s, String family, String how, byte[] bytes) {
        cases.add(new Case(family, s.format(), how, s.extension(), bytes, null));
    }

    private static byte[] cat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] splice(byte[] into, int charAt, byte[] what) {
        // charAt is a char index into ASCII seed text, so it is the byte index too
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(into, 0, charAt);
        out.writeBytes(what);
        out.write(into, charAt, into.length - charAt);
        return out.toByteArray();
    }
}

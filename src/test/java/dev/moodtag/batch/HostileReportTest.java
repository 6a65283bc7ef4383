package dev.moodtag.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * report.html with hostile text everywhere an uploader or a transcript puts it (object keys, reasons, labels,
 * statuses, class names, segment words, transcripts, why a segment has no text), parsed as a browser parses it: no
 * element or attribute comes from the input, every text reads back, every inline SVG is well-formed XML.
 */
class HostileReportTest {

    /** Markup, attribute breakers, entities, a link scheme: each must read back as written. */
    static final List<String> MARKUP = List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "' onmouseover='alert(1)", "\" onmouseover=\"alert(1)", "</style><script>alert(1)</script>",
            "]]><script>alert(1)</script>", "javascript:alert(1)", "&#x3C;script&#x3E;", "&lt;b&gt;", "<!--x",
            "<![CDATA[x", "<svg onload=alert(1)>", "</svg></td><a href=javascript:alert(1)>x</a>", "</title><b>t</b>");

    private static final Set<String> ELEMENTS = Set.of("#root", "html", "head", "meta", "title", "style", "body", "h1", "h2", "p",
            "b", "div", "span", "i", "svg", "text", "rect", "table", "tbody", "tr", "th", "td");
    private static final Set<String> ATTRIBUTES = Set.of("lang", "charset", "class", "style", "xmlns", "width", "height",
            "x", "y", "text-anchor", "font-size", "fill", "stroke", "title");

    private final ObjectMapper json = new ObjectMapper();

    /** A recording whose every name and text is {@code h}, and a failed and an ignored object named after it. */
    private List<BatchRow> rows(String h, int n) {
        ObjectNode result = json.createObjectNode();
        result.putObject("classifier").putArray("classes").add("happy").add(h);
        ObjectNode timeline = result.putObject("timeline").put("segmentation", h).put("durationSeconds", 30);
        var segments = timeline.putArray("segments");
        ObjectNode labelled = segments.addObject().put("start", 0).put("end", 10).put("status", "labelled").put("label", h);
        labelled.putObject("probabilities").put(h, 0.6).put("happy", 0.4);
        ObjectNode transcript = labelled.putObject("transcript").put("source", h).put("text", h);
        transcript.putArray("words").addObject().put("word", h).put("start", 1.0).put("confidence", 0.5);
        segments.addObject().put("start", 10).put("end", 20).put("status", h).putObject("transcript").put("source", "sidecar")
                .put("text", h);
        segments.addObject().put("start", 20).put("end", 30).put("status", "labelled").put("label", "happy")
                .put("textMissing", h).putObject("probabilities").put("happy", 1.0);
        result.putObject("summary").put("dominant", h).putObject("shareOfTime").put(h, 0.5);
        timeline.putObject("speechStandardisation").put("over", "utterance").put("reason", h);
        return List.of(
                new BatchRow("file:///a/" + n + h, "processed", "labelled", h, 3, h, null, "file:///r/" + h, 1.0, result),
                new BatchRow("file:///b/" + n + h, "failed", h, null, null, null, h, null, 1.0, null),
                new BatchRow("file:///c/" + n + h, "ignored", null, null, null, null, h, null, 1.0, null));
    }

    /** The report of objects named after each of {@code hostile}, titled with all of them. */
    private String report(List<String> hostile) {
        List<BatchRow> rows = new ArrayList<>();
        for (int i = 0; i < hostile.size(); i++) rows.addAll(rows(hostile.get(i), i));
        return new BatchReport().html(new BatchSummary(rows, 1.0, false), String.join(" ", hostile));
    }

    /** What is wrong with {@code html}'s structure (see {@link #structure}), and which of {@code shown} it does not show. */
    private static List<String> wrong(String html, List<String> shown) {
        List<String> wrong = new ArrayList<>(structure(html));
        String text = Jsoup.parse(html).text();
        for (String s : shown) if (!text.contains(s)) wrong.add("does not show: " + s);
        return wrong;
    }

    @Test
    void hostileNamesAndTextsStayTextInTheReportAndItsSvg() {
        List<String> wrong = wrong(report(MARKUP), MARKUP);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * Characters that are not text (controls, lone surrogates, U+FFFF: not even allowed in XML, so an SVG holding one
     * does not parse) or that hide or reorder it (U+202E shows "evil[U+202E]cod.wav" as "evilvaw.doc", zero width
     * spaces, isolates) are shown as their code point; a tab, CR or LF reads as the space HTML makes of it anyway.
     */
    @Test
    void controlBidiAndInvisibleCharactersAreShownAsTheirCodePoints() {
        List<String> hostile = List.of("nul\u0000bell\u0007esc\u001b", "lone \uD800 high", "lone \uDC00 low",
                "evil\u202Ecod.wav", "iso\u2066late\u2069", "bom\uFEFFzero\u200Bwidth", "ffff\uFFFF", "c1\u0085\u009b",
                "tab\tcr\rlf\nend", "line\u2028sep");
        List<String> shown = List.of("nul[U+0000]bell[U+0007]esc[U+001B]", "lone [U+D800] high", "lone [U+DC00] low",
                "evil[U+202E]cod.wav", "iso[U+2066]late[U+2069]", "bom[U+FEFF]zero[U+200B]width", "ffff[U+FFFF]",
                "c1[U+0085][U+009B]", "tab cr lf end", "line[U+2028]sep");
        List<String> wrong = wrong(report(hostile), shown);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * A 100 KB name, reason, label or transcript is shown by its beginning and its end (where a file's type is), not
     * whole in each of the report's tables; cut before it is escaped, so the cut never splits an entity, and at a
     * character, so it never splits a surrogate pair. Before: over 8 million characters of HTML for these six objects
     * (8,079,295 without the title), now 98,467.
     */
    @Test
    void hugeNamesAndTextsAreShortenedWithTheirEscapingIntact() {
        String html = report(List.of("<b>&amp;\"'".repeat(10_000) + "evil.exe", "\uD83D\uDE00".repeat(50_001) + "smile.exe"));
        List<String> wrong = wrong(html, List.of("\"'evil.exe", "\uD83D\uDE00smile.exe", "file:///a/0<b>&amp;", "file:///b/1\uD83D\uDE00"));
        if (html.length() > 150_000) wrong.add(html.length() + " characters of HTML");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** Elements and attributes not of the report's own making, and inline SVGs that are not well-formed XML. */
    static List<String> structure(String html) {
        List<String> wrong = new ArrayList<>();
        Document doc = Jsoup.parse(html);
        for (Element e : doc.getAllElements()) {
            if (!ELEMENTS.contains(e.normalName())) wrong.add("element <" + e.normalName() + ">");
            for (Attribute a : e.attributes())
                if (!ATTRIBUTES.contains(a.getKey()) || a.getValue().contains("javascript"))
                    wrong.add("attribute " + a.getKey() + "=" + a.getValue() + " on <" + e.normalName() + ">");
        }
        if (doc.select("style").size() != 1) wrong.add(doc.select("style").size() + " style elements");
        if (doc.select("head > title").size() != 1 || doc.select("title").size() != doc.select("head > title, svg title").size())
            wrong.add("a title element outside the head and the SVGs");
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        var xml = DocumentBuilderFactory.newInstance();
        xml.setNamespaceAware(true);
        while (svg.find()) {
            try {
                xml.newDocumentBuilder().parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            } catch (SAXException e) {
                wrong.add("an SVG is not well-formed XML: " + e.getMessage());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        for (int i = 0; i < html.length(); i++) {
            char c = html.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < html.length() && Character.isLowSurrogate(html.charAt(i + 1));
            if (paired) i++;
            else if (c != '\n' && Character.isISOControl(c) || Character.isSurrogate(c) || c == '\u202E' || c == '\uFFFF')
                wrong.add(String.format("U+%04X written at %d", (int) c, i));
        }
        return wrong.size() > 50 ? wrong.subList(0, 50) : wrong;
    }
}

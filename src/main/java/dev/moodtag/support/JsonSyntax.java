package dev.moodtag.support;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A JSON file moodtag reads that does not parse, said in one line with where: Jackson's own message adds a second line,
 * {@code " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 22]"}, which
 * broke the one line a command is refused in and named a parser switch where a person wants the line and column.
 */
public final class JsonSyntax {

    /** A location inside Jackson's message ("start marker at [Source: REDACTED (…); line: 1, column: 1]"). */
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    private JsonSyntax() {
    }

    /** What is wrong and where: "Unexpected end-of-input within/between Object entries (line 1, column 22)". */
    public static String inWords(JsonProcessingException e) {
        // the message may quote a character of the file
        String what = SOURCE.matcher(ShownText.visible(Objects.requireNonNullElse(e.getOriginalMessage(), "malformed JSON")))
                .replaceAll("line $1, column $2");
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? what
                : what + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}

package dev.moodtag.function;

import dev.moodtag.tagging.ObjectEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The size an event reports is checked against moodtag.function.filter.max-object-bytes before anything is read, so
 * it must be the number the event wrote or none. A seeded grid of sizes (integers of every magnitude to 2^80 and both
 * signs, fractions, exponents, as JSON numbers and as strings, the way GCS sends them) in each shape that carries one:
 * each is read as the whole byte count written, or as no size at all (the store's own size then decides). Read with
 * asLong, 2^64 + 1 was 1 byte, 1e30 and 2.5e19 were Long.MAX_VALUE (an object "too large", ignored unread), 1.9 was 1
 * and -5 was kept; as a string read with Long.parseLong, "+5" and five in Arabic-Indic, fullwidth or Devanagari
 * digits were 5 bytes.
 */
class EventSizeFuzzTest {

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private static List<String> sizes() {
        List<String> out = new ArrayList<>(List.of("0", "-0", "5", "-5", "1.9", "5.0", "1e3", "1E+19", "2.5e19", "1e30",
                "-1e30", "9223372036854775807", "9223372036854775808", "18446744073709551617", "-9223372036854775808",
                "99999999999999999999", "0.0000001", "1" + "0".repeat(400)));
        Random random = new Random(20261207);
        for (int i = 0; i < 300; i++) {
            BigInteger whole = new BigInteger(random.nextInt(81), random);
            if (random.nextInt(4) == 0) whole = whole.negate();
            out.add(switch (random.nextInt(4)) {
                case 0, 1 -> whole.toString();
                case 2 -> whole + "." + random.nextInt(10);
                default -> new BigDecimal(whole).movePointLeft(random.nextInt(6)).toString().replace("E", "e");
            });
        }
        return out;
    }

    /**
     * Strings that BigDecimal and Long.parseLong read as 5 and GCS never writes: a plus sign, the digits of other scripts
     * (Arabic-Indic, fullwidth, Devanagari five), spaces around.
     */
    private static final List<String> TEXT_ONLY = List.of("+5", "\u0665", "\uff15", "\u096b", "+\u0665", " 5", "5 ");

    /** The whole byte count {@code written} stands for, or null where it is none. */
    private static Long byteCount(String written) {
        BigDecimal v;
        try {
            v = new BigDecimal(written);
        } catch (NumberFormatException e) {
            return null;
        }
        if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0 || v.compareTo(new BigDecimal(LONG_MAX)) > 0) return null;
        return v.longValueExact();
    }

    @Test
    void everyReportedSizeIsTheWholeByteCountWrittenOrNone() throws Exception {
        EventParser parser = new EventParser();
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        List<String> all = new ArrayList<>(sizes());
        all.addAll(TEXT_ONLY);
        for (String size : all) {
            for (boolean quoted : new boolean[]{false, true}) {
                if (!quoted && TEXT_ONLY.contains(size)) continue;
                String value = quoted ? "\"" + size + "\"" : size;
                List<String[]> events = List.of(
                        new String[]{null, "{\"Records\": [{\"eventSource\": \"aws:s3\", \"eventName\": \"ObjectCreated:Put\","
                                + " \"s3\": {\"bucket\": {\"name\": \"media\"}, \"object\": {\"key\": \"a.wav\", \"size\": " + value + "}}}]}"},
                        new String[]{null, "{\"detail-type\": \"Object Created\", \"source\": \"aws.s3\", \"detail\": {\"bucket\":"
                                + " {\"name\": \"media\"}, \"object\": {\"key\": \"a.wav\", \"size\": " + value + "}}}"},
                        new String[]{EventParser.GCS_FINALIZED, "{\"bucket\": \"media\", \"name\": \"a.wav\", \"size\": " + value + "}"});
                for (String[] event : events) {
                    cases++;
                    ObjectEvent parsed = parser.parse(FunctionFixtures.JSON.readTree(event[1]), event[0]).get(0);
                    // a string is a byte count in ASCII digits alone, as GCS writes one
                    Long meant = quoted && !size.matches("-?[0-9]+") ? null : byteCount(size);
                    OptionalLong read = parsed.size();
                    if (read.isPresent() && (meant == null || read.getAsLong() != meant))
                        wrong.add(value + " read as " + read.getAsLong() + " in " + event[1]);
                }
            }
        }
        assertEquals(List.of(), wrong.stream().limit(15).toList(), wrong.size() + " of " + cases + " wrong");
    }
}

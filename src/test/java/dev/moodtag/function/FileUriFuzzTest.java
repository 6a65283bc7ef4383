package dev.moodtag.function;

import dev.moodtag.tagging.ObjectAddress;
import dev.moodtag.testing.EscapedNames;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code file://} URIs whose names are percent-escaped bytes, valid UTF-8 or not (Latin-1 "caf%E9", overlong
 * "%C0%AE", an encoded surrogate, a lone continuation byte, escapes cut short), from a fixed list and a seeded grid: each
 * names exactly the file whose UTF-8 name the escapes spell, or is refused as a bad event naming the URI. Java's URI
 * decodes bytes that are not UTF-8 as U+FFFD, so "caf%E9.wav", "a%FF.wav" and "%C0%AE%C0%AE" named the files "caf�.wav",
 * "a�.wav" and "����", another object than the sender's, as an S3 object URL's key is never read (found by this grid).
 */
class FileUriFuzzTest {

    private static final String ROOT = "/data/in";

    @Test
    void everyFileUriNamesTheFileItsEscapesSpellOrIsRefused() {
        List<String> names = EscapedNames.names(20261207, 400);
        List<String> wrong = new ArrayList<>();
        int named = 0, refused = 0;
        for (String name : names) {
            String uri = "file://" + ROOT + "/" + name;
            String meant = EscapedNames.spelled(ROOT + "/" + name);
            try {
                ObjectAddress address = EventParser.address(uri);
                named++;
                if (meant == null) wrong.add(uri + " names " + address + ", though its escapes are no UTF-8 name");
                else if (!address.equals(new ObjectAddress.LocalFile(java.nio.file.Path.of(meant))))
                    wrong.add(uri + " names " + address + ", not " + meant);
            } catch (EventException e) {
                refused++;
                if (meant != null && meant.indexOf('\0') < 0) wrong.add(uri + " refused: " + e.getMessage());
                else if (!e.getMessage().contains("malformed uri")) wrong.add(uri + " refused naming no uri: " + e.getMessage());
            } catch (RuntimeException e) {
                wrong.add(uri + ": " + e);
            }
        }
        assertEquals(List.of(), wrong.stream().limit(15).toList(), wrong.size() + " of " + names.size() + " wrong");
        assertTrue(named > 50 && refused > 50, named + " named, " + refused + " refused");
    }
}

package dev.moodtag.function;

import dev.moodtag.tagging.ObjectAddress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

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
    private static final List<String> NAMES = List.of("clip.wav", "caf%C3%A9.wav", "caf%E9.wav", "a%FF.wav",
            "%C0%AE%C0%AE/x.wav", "%ED%A0%80.wav", "%2e%2e/x.wav", "a%2Fb.wav", "a+b.wav", "%20x.wav", "%F0%9F%98%80.wav",
            "%EF%BF%BD.wav", "%F4%90%80%80.wav", "%F8%88%80%80%80.wav", "x%2", "%", "%zz.wav", "%C3", "100%25.wav",
            "%e4%bc%9a%e8%ad%b0.wav", "会議.wav", "a%00b.wav");

    @Test
    void everyFileUriNamesTheFileItsEscapesSpellOrIsRefused() {
        List<String> names = new ArrayList<>(NAMES);
        Random random = new Random(20261207);
        for (int i = 0; i < 400; i++) {
            StringBuilder name = new StringBuilder("f");
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                // bytes of every kind: ASCII, lead and continuation bytes, and those UTF-8 never uses (C0, C1, F5-FF)
                int b = random.nextInt(3) == 0 ? 0x20 + random.nextInt(0x60) : 0x80 + random.nextInt(0x80);
                name.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
            names.add(name.append(".wav").toString());
        }
        List<String> wrong = new ArrayList<>();
        int named = 0, refused = 0;
        for (String name : names) {
            String uri = "file://" + ROOT + "/" + name;
            String meant = spelled(ROOT + "/" + name);
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

    /** The name the escapes of {@code raw} spell as UTF-8, or null where they are malformed or spell no UTF-8. */
    private static String spelled(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0)
                return null;
            bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

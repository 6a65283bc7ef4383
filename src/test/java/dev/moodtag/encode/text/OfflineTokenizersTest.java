package dev.moodtag.encode.text;

import dev.moodtag.encode.EncoderContext;
import dev.moodtag.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loading the text encoder never lets DJL phone home. DJL's {@code Ec2Utils.callHome} stamps its private
 * {@code lastCheckIn} just before it contacts the EC2 metadata address, and returns before stamping when tracking is
 * opted out or DJL is offline; the EC2 address cannot be redirected to a local listener, so the stamp is what this
 * test reads. With the stamp reset and neither switch set beforehand, building the real encoder must leave it at 0.
 */
class OfflineTokenizersTest {

    private Field lastCheckIn;
    private long savedCheckIn;
    private String savedOptOut;
    private String savedOffline;

    @BeforeEach
    void forgetEarlierCheckIns() throws ReflectiveOperationException {
        // Set in the environment, the switches would make this test pass whatever the encoder does
        assumeTrue(System.getenv(OfflineTokenizers.OPT_OUT) == null && System.getenv("DJL_OFFLINE") == null,
                "OPT_OUT_TRACKING or DJL_OFFLINE is set in the environment");
        lastCheckIn = Class.forName("ai.djl.util.Ec2Utils").getDeclaredField("lastCheckIn");
        lastCheckIn.setAccessible(true);
        savedCheckIn = lastCheckIn.getLong(null);
        lastCheckIn.setLong(null, 0L);
        savedOptOut = System.clearProperty(OfflineTokenizers.OPT_OUT);
        savedOffline = System.clearProperty(OfflineTokenizers.OFFLINE);
    }

    @AfterEach
    void restore() throws IllegalAccessException {
        if (lastCheckIn == null) return;
        lastCheckIn.setLong(null, Math.max(savedCheckIn, lastCheckIn.getLong(null)));
        restore(OfflineTokenizers.OPT_OUT, savedOptOut);
        restore(OfflineTokenizers.OFFLINE, savedOffline);
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void loadingTheTextEncoderDoesNotCallHome() throws IllegalAccessException {
        try (BertTextEncoder encoder = new BertTextEncoder(Fixtures.defaultPack().encoder("text-bge-small").orElseThrow(),
                new EncoderContext(Fixtures.onnxCpu(), Optional.empty()))) {
            assertEquals(384, encoder.embed("The tokenizer still works offline.").length);
        }
        assertEquals(0L, lastCheckIn.getLong(null), "DJL went on to contact the EC2 metadata address");
        assertEquals("true", System.getProperty(OfflineTokenizers.OPT_OUT));
    }
}

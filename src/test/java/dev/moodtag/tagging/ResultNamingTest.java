package dev.moodtag.tagging;

import dev.moodtag.storage.ObjectRef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A result's name and the name of the media it is the result of, each the other's inverse, on generated keys. */
class ResultNamingTest {

    private static ResultLocator locator(Optional<String> prefix, String suffix) {
        return new ResultLocator(new ObjectFilterTest.Config(new ObjectFilterTest.Result(prefix, suffix),
                new ObjectFilterTest.Filter(Optional.empty(), Optional.empty(), Optional.empty(), 1)), null);
    }

    @Test
    void mediaOfIsTheInverseOfResultForAndNothingElseIsAResult() {
        Random random = new Random(11);
        String[] parts = {"a", " ", "-", ".", "/", "é", "😀", "results/", ".emotion.json", ".json", "x", "%"};
        for (Optional<String> prefix : List.of(Optional.<String>empty(), Optional.of("results/"), Optional.of("out-"),
                Optional.of("a/b/"))) {
            for (String suffix : List.of(".emotion.json", ".json", "x")) {
                ResultLocator results = locator(prefix, suffix);
                String p = prefix.orElse("");
                for (int n = 0; n < 2000; n++) {
                    StringBuilder k = new StringBuilder();
                    for (int i = random.nextInt(6); i >= 0; i--) k.append(parts[random.nextInt(parts.length)]);
                    ObjectRef media = new ObjectRef(ObjectRef.Scheme.FILE, "/in", k.toString());
                    ObjectRef result = results.resultFor(media);
                    assertEquals(Optional.of(media), results.mediaOf(result), result.key());
                    // The suffix in another case (a case-insensitive file system's twin of the name) is the same result.
                    ObjectRef upper = media.withKey(p + media.key() + suffix.toUpperCase(java.util.Locale.ROOT));
                    assertEquals(Optional.of(media), results.mediaOf(upper), upper.key());
                    // Any key the inverse maps names its own result, its suffix in some case: nothing else is taken for one.
                    ObjectRef any = media.withKey(k.toString());
                    results.mediaOf(any).ifPresent(m -> assertTrue(any.key().startsWith(p + m.key())
                            && any.key().length() == results.resultFor(m).key().length()
                            && any.key().equalsIgnoreCase(results.resultFor(m).key()), any.key()));
                }
                ObjectRef bare = new ObjectRef(ObjectRef.Scheme.FILE, "/in", p + suffix);
                assertTrue(results.mediaOf(bare).isEmpty(), "prefix and suffix around nothing: " + bare.key());
                assertTrue(results.mediaOf(bare.withKey(p + "a.wav")).isEmpty(), "no suffix");
                if (!p.isEmpty()) assertTrue(results.mediaOf(bare.withKey("a.wav" + suffix)).isEmpty(), "no prefix");
            }
        }
    }
}

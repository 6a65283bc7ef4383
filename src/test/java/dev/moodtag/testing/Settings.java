package dev.moodtag.testing;

import io.smallrye.config.SmallRyeConfigBuilder;

/** A {@code @ConfigMapping} as SmallRye builds it at start, from its defaults and the given key/value pairs. */
public final class Settings {

    private Settings() {
    }

    public static <T> T mapped(Class<T> mapping, String... keysAndValues) {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().withMapping(mapping);
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) b.withDefaultValue(keysAndValues[i], keysAndValues[i + 1]);
        return b.build().getConfigMapping(mapping);
    }
}

package dev.moodtag.cli;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * Entry point: the picocli command tree, with commands and their dependencies created by CDI. This is what the
 * quarkus-picocli extension does; that extension is not available in the repository we build from.
 */
@QuarkusMain
public class MoodtagMain implements QuarkusApplication {

    @Override
    public int run(String... args) {
        return new CommandLine(MoodtagCommand.class, new CdiFactory()).execute(args);
    }

    /** Beans come from the CDI container; anything else (picocli's own helpers) from picocli's default factory. */
    static final class CdiFactory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            InstanceHandle<K> bean = Arc.container().instance(cls);
            return bean.isAvailable() ? bean.get() : CommandLine.defaultFactory().create(cls);
        }
    }
}

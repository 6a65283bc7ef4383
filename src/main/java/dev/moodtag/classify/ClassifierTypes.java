package dev.moodtag.classify;

import dev.moodtag.pack.ModelPackException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The one registry of classifier types: adding a type is one line here and one {@link ClassifierType}. */
public final class ClassifierTypes {
    private ClassifierTypes() {
    }

    /** LIBSVM C-SVC, the paper's classifier; the type of every part stored before types were recorded. */
    public static final ClassifierType<SvmParams> LIBSVM = new ClassifierType<>() {
        @Override
        public String name() {
            return SvmClassifier.TYPE;
        }

        @Override
        public Classifier fit(double[][] x, int[] y, int numClasses, SvmParams params) {
            return SvmClassifier.train(x, y, numClasses, params);
        }

        @Override
        public Classifier load(Path file, int numClasses) {
            return SvmClassifier.load(file, numClasses);
        }
    };

    private static final Map<String, ClassifierType<?>> BY_NAME = List.<ClassifierType<?>>of(LIBSVM).stream()
            .collect(Collectors.toUnmodifiableMap(ClassifierType::name, Function.identity()));

    /** @throws ModelPackException naming the type and the ones this build reads */
    public static ClassifierType<?> named(String name, Path where) {
        ClassifierType<?> t = BY_NAME.get(name);
        if (t == null) throw new ModelPackException(where + ": classifier type '" + name
                + "' is not one this moodtag reads; it reads " + BY_NAME.keySet().stream().sorted().toList());
        return t;
    }
}

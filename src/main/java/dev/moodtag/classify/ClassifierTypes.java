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

    /** LIBLINEAR L2-regularised logistic regression: a weight vector per class, with probabilities (late fusion). */
    public static final ClassifierType<SvmParams> LIBLINEAR_LOGISTIC = liblinear(LinearClassifier.Solver.LOGISTIC);

    /** LIBLINEAR L2-loss linear SVM: a weight vector per class, without probabilities (early fusion only). */
    public static final ClassifierType<SvmParams> LIBLINEAR_SVM = liblinear(LinearClassifier.Solver.SVM);

    private static ClassifierType<SvmParams> liblinear(LinearClassifier.Solver solver) {
        return new ClassifierType<>() {
            @Override
            public String name() {
                return solver.type();
            }

            @Override
            public Classifier fit(double[][] x, int[] y, int numClasses, SvmParams params) {
                return LinearClassifier.train(x, y, numClasses, params, solver);
            }

            @Override
            public Classifier load(Path file, int numClasses) {
                return LinearClassifier.load(file, numClasses, solver);
            }
        };
    }

    private static final Map<String, ClassifierType<?>> BY_NAME = List.<ClassifierType<?>>of(LIBSVM, LIBLINEAR_LOGISTIC,
                    LIBLINEAR_SVM).stream()
            .collect(Collectors.toUnmodifiableMap(ClassifierType::name, Function.identity()));

    /** @throws ModelPackException naming the type and the ones this build reads */
    public static ClassifierType<?> named(String name, Path where) {
        ClassifierType<?> t = BY_NAME.get(name);
        if (t == null) throw new ModelPackException(where + ": classifier type '" + name
                + "' is not one this moodtag reads; it reads " + BY_NAME.keySet().stream().sorted().toList());
        return t;
    }
}

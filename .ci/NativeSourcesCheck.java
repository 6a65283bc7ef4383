import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks what `./mvnw package -Dnative -Dquarkus.native.sources-only=true` GENERATED (target/native-sources: the
 * native-image.args, the runner jar with every native-image config merged into it, and the dependency jars) for the
 * registrations the native executable needs. The required names come from the artefacts themselves where possible:
 * the classes ONNX Runtime's JNI library looks up are read out of libonnxruntime4j_jni.so, the picocli commands from
 * the runner jar, the classpath models from the model pack.
 *
 *   java -cp <jackson jars> .ci/NativeSourcesCheck.java target/native-sources models/pack.json
 */
public class NativeSourcesCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A type's header line in javap's output, e.g. "final class dev.moodtag.onnx.OrtTelemetryOptOut$LibC {". */
    private static final Pattern JAVAP_TYPE = Pattern.compile("^\\S.*?\\b(?:class|interface|enum|record) ([\\w.$]+)");
    private final List<String> failures = new ArrayList<>();
    private int passed;

    public static void main(String[] args) throws IOException {
        NativeSourcesCheck c = new NativeSourcesCheck();
        c.run(Path.of(args[0]), Path.of(args[1]));
        System.out.printf("native-sources check: %d passed, %d failed%n", c.passed, c.failures.size());
        c.failures.forEach(f -> System.out.println("  MISSING: " + f));
        if (!c.failures.isEmpty()) {
            System.out.println("The native executable would fail at run time. Registrations live in "
                    + "src/main/resources/META-INF/native-image/dev.moodtag/moodtag/ and quarkus.native.* in "
                    + "application.properties.");
            System.exit(1);
        }
    }

    void run(Path dir, Path pack) throws IOException {
        List<String> args = Arrays.asList(Files.readString(dir.resolve("native-image.args")).trim().split("\\s+"));
        Path runner;
        try (Stream<Path> s = Files.list(dir)) {
            runner = s.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *-runner.jar in " + dir));
        }
        Path lib = dir.resolve("lib");

        // 1. Runtime initialisation: these packages load native libraries in static initialisers.
        Set<String> runtimeInit = new TreeSet<>();
        for (String a : args) {
            if (a.startsWith("--initialize-at-run-time=")) runtimeInit.addAll(Arrays.asList(a.substring(25).split(",")));
        }
        for (String pkg : List.of("ai.onnxruntime", "org.bytedeco", "ai.djl.huggingface.tokenizers.jni", "com.sun.jna", "org.vosk"))
            check(runtimeInit.stream().anyMatch(p -> pkg.equals(p) || pkg.startsWith(p + ".")),
                    "native-image.args: --initialize-at-run-time for " + pkg + " (has " + runtimeInit + ")");

        // 2. JNI: every ONNX Runtime class the JNI library finds by name.
        Map<String, JsonNode> jni = new HashMap<>(), reflect = new HashMap<>();
        List<String> resourcePatterns = new ArrayList<>();
        try (ZipFile z = new ZipFile(runner.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                String n = e.getName();
                if (!n.startsWith("META-INF/native-image/")) continue;
                if (n.endsWith("/jni-config.json")) index(z, e, jni);
                else if (n.endsWith("/reflect-config.json")) index(z, e, reflect);
                else if (n.endsWith("/resource-config.json")) {
                    JsonNode includes = JSON.readTree(z.getInputStream(e)).path("resources").path("includes");
                    includes.forEach(i -> resourcePatterns.add(i.path("pattern").asText()));
                }
            }
            Path ortJar = only(lib, "com.microsoft.onnxruntime.onnxruntime");
            Set<String> ortClasses = classNamesInJniLibrary(ortJar, "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                    "ai/onnxruntime/");
            check(ortClasses.size() >= 8, "ONNX Runtime JNI library names its classes (found " + ortClasses + ")");
            for (String cls : ortClasses) {
                JsonNode entry = jni.get(cls);
                check(entry != null && entry.path("allDeclaredConstructors").asBoolean()
                        && entry.path("allDeclaredMethods").asBoolean() && entry.path("allDeclaredFields").asBoolean(),
                        "jni-config: " + cls + " with all constructors, methods and fields (looked up by libonnxruntime4j_jni.so)");
            }
            for (String cls : List.of("ai.onnxruntime.OrtEnvironment", "ai.onnxruntime.OrtSession",
                    "ai.onnxruntime.OrtSession$SessionOptions", "ai.onnxruntime.OrtAllocator"))
                check(jni.containsKey(cls), "jni-config: " + cls + " (its native methods take and return handles)");
            check(jni.containsKey("ai.djl.huggingface.tokenizers.jni.CharSpan"),
                    "jni-config: ai.djl.huggingface.tokenizers.jni.CharSpan (built by the tokenizers' JNI library)");

            // JNA (the speech-to-text engine Vosk binds libvosk.so through it): every class its dispatch library finds
            // by name, JNA's own and the JDK's it reads fields of; LibVosk's methods, registered by reflection.
            Path jnaJar = only(lib, "net.java.dev.jna.jna");
            Set<String> jnaClasses = classNamesInJniLibrary(jnaJar, "com/sun/jna/linux-x86-64/libjnidispatch.so",
                    "com/sun/jna/", "java/");
            check(jnaClasses.stream().filter(c -> c.startsWith("com.sun.jna.")).count() >= 8,
                    "JNA's dispatch library names its classes (found " + jnaClasses + ")");
            for (String cls : jnaClasses) {
                JsonNode entry = jni.get(cls);
                check(entry != null && entry.path("allDeclaredMethods").asBoolean() && entry.path("allDeclaredFields").asBoolean(),
                        "jni-config: " + cls + " with all methods and fields (looked up by libjnidispatch.so)");
            }
            // The classes bound by JNA's direct mapping: Native.register reads their native methods by reflection and
            // registers them through JNI. The product's own are found as the runner jar's classes that declare native
            // methods, so a new binding cannot be forgotten; Vosk's is in its own jar.
            Set<String> directMapped = new TreeSet<>(List.of("org.vosk.LibVosk"));
            directMapped.addAll(directMappedClasses(z));
            check(directMapped.contains("dev.moodtag.onnx.OrtTelemetryOptOut$LibC"),
                    "javap lists the runner jar's classes with native methods (found " + directMapped + ")");
            for (String cls : directMapped) {
                check(reflect.containsKey(cls) && reflect.get(cls).path("allDeclaredMethods").asBoolean(),
                        "reflect-config: " + cls + " with all methods (JNA's Native.register reads them)");
                check(jni.containsKey(cls) && jni.get(cls).path("allDeclaredMethods").asBoolean(),
                        "jni-config: " + cls + " with all methods (JNA registers them as JNI natives)");
            }

            // 3. Reflection: picocli reads every command's annotated fields; Jackson builds SvmParams.
            for (ZipEntry e : z.stream().toList()) {
                String n = e.getName();
                if (n.startsWith("dev/moodtag/cli/") && n.endsWith("Command.class") && !n.contains("$"))
                    check(reflect.containsKey(n.substring(0, n.length() - 6).replace('/', '.')),
                            "reflect-config: " + n.substring(0, n.length() - 6).replace('/', '.') + " (picocli command)");
            }
            check(reflect.containsKey("dev.moodtag.classify.SvmParams"), "reflect-config: dev.moodtag.classify.SvmParams (Jackson)");
        }

        // 4. Resources: every classpath model of the pack, the result schema, the CUDA probe (OnnxRuntime runs it
        // before the first CUDA session).
        List<String> needed = new ArrayList<>(List.of("schema/emotion-result-v2.json", "schema/emotion-result-v2.1.json", "schema/emotion-result-v2.2.json", "schema/emotion-result-v2.3.json", "schema/emotion-result-v2.4.json", "onnx/cuda-probe.onnx", "native/lib/tokenizers.properties",
                "native/lib/linux-x86_64/cpu/libtokenizers.so", "com/sun/jna/linux-x86-64/libjnidispatch.so",
                "linux-x86-64/libvosk.so"));
        Matcher m = Pattern.compile("\"classpath:([^\"]+)\"").matcher(Files.readString(pack));
        while (m.find()) needed.add(m.group(1));
        for (String r : needed)
            check(resourcePatterns.stream().anyMatch(p -> Pattern.compile(p).matcher(r).matches()),
                    "resource-config: " + r);
        check(resourcePatterns.stream().noneMatch(p -> Pattern.compile(p).matcher(
                        "ai/onnxruntime/native/linux-x64/libonnxruntime.so").matches()),
                "resource-config does not embed ONNX Runtime's libraries (they ship next to the executable)");

        // 5. JavaCPP and FFmpeg: their platform jars carry their own configs; they must be on the image class path
        // and not excluded.
        for (String prefix : List.of("org.bytedeco.javacpp", "org.bytedeco.ffmpeg")) {
            Path jar = only(lib, prefix + "-", "-linux-x86_64.jar");
            Set<String> configs = new TreeSet<>();
            try (ZipFile z = new ZipFile(jar.toFile())) {
                z.stream().map(ZipEntry::getName).filter(n -> n.startsWith("META-INF/native-image/linux-x86_64/")
                        && n.endsWith("/jni-config.json")).forEach(n -> configs.add(n.split("/")[3]));
            }
            List<String> want = prefix.endsWith("javacpp") ? List.of("jnijavacpp")
                    : List.of("jniavcodec", "jniavformat", "jniavutil", "jniswresample", "jniswscale");
            for (String w : want) check(configs.contains(w), jar.getFileName() + ": META-INF/native-image/linux-x86_64/" + w + "/jni-config.json");
        }
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--exclude-config"))
                check(!args.get(i + 1).contains("bytedeco") && !args.get(i + 1).contains("onnxruntime"),
                        "native-image.args does not exclude " + args.get(i + 1));
        }
    }

    private void check(boolean ok, String what) {
        if (ok) passed++;
        else failures.add(what);
    }

    private static void index(ZipFile z, ZipEntry e, Map<String, JsonNode> into) throws IOException {
        for (JsonNode n : JSON.readTree(z.getInputStream(e))) {
            String name = n.has("name") ? n.get("name").asText() : n.path("type").asText();
            into.merge(name, n, (a, b) -> a.path("allDeclaredMethods").asBoolean() ? a : b);
        }
    }

    private static Path only(Path lib, String prefix) throws IOException {
        return only(lib, prefix + "-", ".jar");
    }

    private static Path only(Path lib, String prefix, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(lib)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)
                    && (suffix.equals("-linux-x86_64.jar") || !p.getFileName().toString().contains("-linux-"))).toList();
            if (found.size() != 1) throw new IllegalStateException("expected one " + prefix + "*" + suffix + " in " + lib + ", found " + found);
            return found.get(0);
        }
    }

    /** The runner jar's own classes that declare native methods: JNA's direct mapping is the product's only JNI. */
    private static Set<String> directMappedClasses(ZipFile runner) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javap").toString(),
                "-p", "-cp", runner.getName()));
        runner.stream().map(ZipEntry::getName).filter(n -> n.startsWith("dev/moodtag/") && n.endsWith(".class"))
                .map(n -> n.substring(0, n.length() - 6).replace('/', '.')).forEach(command::add);
        Process javap = new ProcessBuilder(command).redirectErrorStream(true).start();
        Set<String> found = new TreeSet<>();
        String current = null;
        for (String line : new String(javap.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            Matcher header = JAVAP_TYPE.matcher(line);
            if (header.find()) current = header.group(1);
            else if (current != null && line.matches("\\s+.*\\bnative\\b.*\\(.*")) found.add(current);
        }
        try {
            if (javap.waitFor() != 0) throw new IOException("javap failed on " + runner.getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return found;
    }

    /** Class names (dotted) that a JNI library's strings spell in JVM form under one of {@code packages}. */
    private static Set<String> classNamesInJniLibrary(Path jar, String entry, String... packages) throws IOException {
        byte[] so;
        try (ZipFile z = new ZipFile(jar.toFile()); InputStream in = z.getInputStream(z.getEntry(entry))) {
            so = in.readAllBytes();
        }
        Set<String> names = new TreeSet<>();
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (byte b : so) {
            if (b >= 0x20 && b < 0x7f) {
                run.write(b);
                continue;
            }
            String s = run.toString(StandardCharsets.US_ASCII);
            run.reset();
            for (String pkg : packages)
                if (s.startsWith(pkg) && s.matches("[a-z]+/[A-Za-z0-9_$/]+")) names.add(s.replace('/', '.'));
        }
        return names;
    }
}

package dev.moodtag.support;

import dev.moodtag.media.MediaConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.Converters;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.Converter;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The configuration reference in the Markdown documents against the code, without starting Quarkus.
 *
 * <p>The code's keys are every property of every {@code @ConfigMapping} interface under {@code target/classes}
 * (found with a Jandex index of that folder), named and defaulted by SmallRye Config itself
 * ({@link ConfigMappings#getProperties}: prefix, kebab-case member names, {@code @WithName}, nested groups,
 * {@code Optional}, lists, maps as {@code prefix.*}). A key's default is its {@code @WithDefault}, or the value
 * {@code application.properties} gives it outside any profile; {@code @WithDefault("")} is no default (SmallRye reads
 * an empty value as missing).
 *
 * <p>The documents' keys are the rows of Markdown tables, in every {@code .md} file of the project, whose first cell
 * begins with a backticked {@code moodtag.*} key. The cell may name more keys relative to the first one's parent
 * ({@code `moodtag.watch.inbox` / `outbox`}), a map key with a placeholder ({@code `moodtag.pack.precision.<id>`}),
 * and, in parentheses, the environment variable (checked) or a command-line flag (ignored). Where the table's second
 * column is headed "default", that cell gives one default per key, separated by {@code " / "}: a backticked value
 * is the default itself; words without backticks ("none", "JVM temp") describe a key that has no default in the code.
 *
 * <p>Defaults compare by meaning: both the documented and the code's value are converted the way the application
 * converts them (Quarkus's duration converter, SmallRye's converters for numbers, booleans and enums, lists element by
 * element), so {@code PT60S}, {@code 60s} and {@code PT1M} agree, as do {@code 20} and {@code 20.0} for a
 * {@code double} and {@code heuristic} and {@code HEURISTIC} for an enum; strings must be equal.
 *
 * <p>It fails on a documented key the code does not have, a documented default other than the code's, and a key of
 * the code that no table documents (unless {@link #UNDOCUMENTED} says why not).
 */
class ConfigDocumentationTest {

    /**
     * Keys of the code that need no row in a table, each with the reason. Keep it short: document a key rather than
     * list it here.
     */
    static final Map<String, String> UNDOCUMENTED = Map.of();

    static final Path ROOT = Path.of("");
    static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

    /** A key of the code: its default (empty when it has none) and the Java type its value converts to. */
    record CodeKey(String key, Optional<String> defaultValue, Type type, String declaredBy) {}

    /** A documented key: where, the key (a map's placeholder as {@code *}), its default cell part, if any. */
    record DocKey(String where, String key, Optional<String> defaultCell, Optional<String> env) {}

    @Test
    void documentedKeysAndDefaultsMatchTheCode() throws IOException {
        List<CodeKey> code = codeKeys();
        assertTrue(code.stream().anyMatch(k -> k.key().equals("moodtag.media.max-frames")),
                "the scan of the classes found no MediaConfig: " + code);
        List<String> problems = new ArrayList<>();
        List<DocKey> documented = new ArrayList<>();
        for (Path md : markdownFiles()) {
            documented.addAll(documentedKeys(ROOT.relativize(md).toString(), Files.readString(md), problems));
        }
        assertTrue(documented.stream().anyMatch(d -> d.where().startsWith("README.md:")),
                "no key table found in README.md: is the working directory the project's root?");
        problems.addAll(problems(code, documented, UNDOCUMENTED));
        if (!problems.isEmpty()) {
            fail(problems.size() + " configuration documentation problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    /** The checker itself: each kind of drift is reported, and equal values written differently are not. */
    @Test
    void checkerReportsEachKindOfDrift() {
        List<CodeKey> code = List.of(
                new CodeKey("moodtag.x.budget", Optional.of("PT60S"), Duration.class, "X"),
                new CodeKey("moodtag.x.rate", Optional.of("20"), double.class, "X"),
                new CodeKey("moodtag.x.cuts", Optional.of("0.1,1,10"), listOf(Double.class), "X"),
                new CodeKey("moodtag.x.mode", Optional.of("auto"), Mode.class, "X"),
                new CodeKey("moodtag.x.inbox", Optional.empty(), optionalOf(String.class), "X"),
                new CodeKey("moodtag.x.name", Optional.of("a"), String.class, "X"),
                new CodeKey("moodtag.x.map.*", Optional.empty(), String.class, "X"),
                new CodeKey("moodtag.x.hidden", Optional.of("1"), int.class, "X"),
                new CodeKey("moodtag.x.internal", Optional.of("1"), int.class, "X"));
        String md = """
                | key (env) | default | meaning |
                |---|---|---|
                | `moodtag.x.budget` (`MOODTAG_X_BUDGET`) | `60s` | same duration, other spelling |
                | `moodtag.x.rate` / `cuts` | `20.0` / `0.1, 1, 10` | same values |
                | `moodtag.x.mode` | `AUTO` | same enum constant |
                | `moodtag.x.inbox` / `map.<id>` | none / manifest | no default in the code either |
                | `moodtag.x.name` (`MOODTAG_X_NAM`) | `b` | wrong default and wrong variable |
                | `moodtag.x.gone` | `1` | stale |
                | `moodtag.x.budget` / `rate` | `PT61S` / none | wrong duration; words for a real default |
                """;
        List<String> problems = new ArrayList<>();
        List<DocKey> documented = documentedKeys("T.md", md, problems);
        problems.addAll(problems(code, documented, Map.of("moodtag.x.internal", "test")));
        List<String> expected = List.of(
                "T.md:7: `moodtag.x.name`: the environment variable is MOODTAG_X_NAME, not MOODTAG_X_NAM",
                "T.md:7: `moodtag.x.name`: documented default `b`, the code's is `a`",
                "T.md:8: `moodtag.x.gone`: no such key in the code",
                "T.md:9: `moodtag.x.budget`: documented default `PT61S`, the code's is `PT60S`",
                "T.md:9: `moodtag.x.rate`: documented default \"none\" in words, the code's is `20`",
                "`moodtag.x.hidden` (X, default `1`) is documented in no table");
        assertEquals(expected, problems);
    }

    enum Mode { AUTO, OFF }

    // --- the code's keys -------------------------------------------------------------------------------------------

    static List<CodeKey> codeKeys() throws IOException {
        Path classes;
        try {
            classes = Path.of(MediaConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    indexer.index(in);
                }
            }
        }
        Index index = indexer.complete();
        Properties overrides = new Properties();
        try (Reader in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            overrides.load(in);
        }
        List<CodeKey> keys = new ArrayList<>();
        for (AnnotationInstance mapping : index.getAnnotations(DotName.createSimple(ConfigMapping.class))) {
            if (mapping.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            AnnotationValue prefixValue = mapping.value("prefix");
            String prefix = prefixValue == null ? "" : prefixValue.asString();
            Class<?> type;
            try {
                type = Class.forName(mapping.target().asClass().name().toString(), false,
                        ConfigDocumentationTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            Map<String, ConfigMappingInterface.Property> properties =
                    ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(type, prefix));
            for (Map.Entry<String, ConfigMappingInterface.Property> e : new TreeMap<>(properties).entrySet()) {
                String key = e.getKey();
                if (key.endsWith("[*]")) {
                    continue; // a list's indexed form (key[0]=...) of a key listed anyway
                }
                ConfigMappingInterface.Property p = e.getValue();
                Optional<String> defaultValue = Optional.ofNullable(overrides.getProperty(key))
                        .or(() -> p.hasDefaultValue() ? Optional.ofNullable(p.getDefaultValue()) : Optional.empty())
                        .filter(v -> !v.isEmpty());
                Type valueType = p.getMethod().getGenericReturnType();
                if (p.isMap() && valueType instanceof ParameterizedType map) {
                    valueType = map.getActualTypeArguments()[1]; // documented per entry: prefix.<key>
                }
                keys.add(new CodeKey(key, defaultValue, valueType, type.getSimpleName()));
            }
        }
        return keys;
    }

    // --- the documents' keys ---------------------------------------------------------------------------------------

    static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".md"))
                    .filter(f -> {
                        Path rel = ROOT.relativize(f), top = rel.getName(0);
                        // npm's packages (deploy/validate) hold thousands of READMEs, none of them ours
                        for (Path part : rel) if (part.toString().equals("node_modules")) return false;
                        return !top.toString().equals("target") && !top.toString().startsWith(".");
                    })
                    .sorted()
                    .toList();
        }
    }

    static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");
    static final Pattern PARENTHESISED = Pattern.compile("\\(([^)]*)\\)");
    static final Pattern ENV = Pattern.compile("[A-Z][A-Z0-9_]*");
    static final Pattern PLACEHOLDER = Pattern.compile("<[^>]*>");

    /** The keys documented in the tables of one Markdown text; rows that cannot be read are added to problems. */
    static List<DocKey> documentedKeys(String file, String markdown, List<String> problems) {
        List<DocKey> keys = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        boolean defaultsColumn = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("|")) {
                defaultsColumn = false;
                continue;
            }
            if (i + 1 < lines.size() && lines.get(i + 1).strip().matches("\\|(\\s*:?-+:?\\s*\\|)+")) {
                List<String> header = cells(line); // a table's header: is its second column the default?
                defaultsColumn = header.size() > 1 && header.get(1).toLowerCase().contains("default");
                continue;
            }
            List<String> cells = cells(line);
            if (cells.isEmpty() || !cells.get(0).startsWith("`moodtag.")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            String keyCell = cells.get(0);
            List<String> env = new ArrayList<>();
            Matcher parens = PARENTHESISED.matcher(keyCell);
            while (parens.find()) {
                Matcher b = BACKTICKED.matcher(parens.group(1));
                while (b.find()) {
                    if (ENV.matcher(b.group(1)).matches()) {
                        env.add(b.group(1));
                    }
                }
            }
            String names = PARENTHESISED.matcher(keyCell).replaceAll("");
            List<String> rowKeys = new ArrayList<>();
            Matcher b = BACKTICKED.matcher(names);
            while (b.find()) {
                String name = PLACEHOLDER.matcher(b.group(1).strip()).replaceAll("*");
                rowKeys.add(rowKeys.isEmpty() || name.startsWith("moodtag.") ? name
                        : rowKeys.get(0).substring(0, rowKeys.get(0).lastIndexOf('.') + 1) + name);
            }
            if (!BACKTICKED.matcher(names).replaceAll("").replace("/", "").isBlank()) {
                problems.add(where + ": cannot read the key cell \"" + keyCell
                        + "\": write `moodtag.a.b` / `c` (`ENV_NAME` or `--flag`)");
                continue;
            }
            List<Optional<String>> defaults = new ArrayList<>();
            if (defaultsColumn) {
                String cell = cells.size() > 1 ? cells.get(1) : "";
                for (String part : cell.split(" / ", -1)) {
                    defaults.add(Optional.of(part.strip()));
                }
                if (defaults.size() != rowKeys.size()) {
                    problems.add(where + ": " + rowKeys.size() + " keys but " + defaults.size()
                            + " defaults (separate them with \" / \"): " + line);
                    continue;
                }
            } else {
                rowKeys.forEach(k -> defaults.add(Optional.empty()));
            }
            for (int k = 0; k < rowKeys.size(); k++) {
                Optional<String> rowEnv = k == 0 && env.size() == 1 ? Optional.of(env.get(0)) : Optional.empty();
                keys.add(new DocKey(where, rowKeys.get(k), defaults.get(k), rowEnv));
            }
        }
        return keys;
    }

    /** A table row's cells, split at the bars that are not escaped ({@code \|} is a bar inside a cell). */
    static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String inner = row.strip();
        inner = inner.substring(1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    // --- the comparison --------------------------------------------------------------------------------------------

    static List<String> problems(List<CodeKey> code, List<DocKey> documented, Map<String, String> undocumented) {
        Map<String, CodeKey> byKey = new TreeMap<>();
        code.forEach(k -> byKey.put(k.key(), k));
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (DocKey doc : documented) {
            String shown = "`" + doc.key().replace("*", "<key>") + "`";
            CodeKey key = byKey.get(doc.key());
            if (key == null) {
                problems.add(doc.where() + ": " + shown + ": no such key in the code");
                continue;
            }
            seen.add(key.key());
            doc.env().ifPresent(env -> {
                String expected = key.key().replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
                if (!env.equals(expected)) {
                    problems.add(doc.where() + ": " + shown + ": the environment variable is " + expected + ", not "
                            + env);
                }
            });
            if (doc.defaultCell().isEmpty()) {
                continue;
            }
            String cell = doc.defaultCell().get();
            Matcher literal = BACKTICKED.matcher(cell);
            boolean isLiteral = literal.matches();
            if (!isLiteral && cell.contains("`")) {
                problems.add(doc.where() + ": " + shown + ": cannot read the default \"" + cell
                        + "\": write one backticked value, or words without backticks for a key without default");
            } else if (isLiteral && key.defaultValue().isEmpty()) {
                problems.add(doc.where() + ": " + shown + ": documented default `" + literal.group(1)
                        + "`, the code has none");
            } else if (!isLiteral && key.defaultValue().isPresent()) {
                problems.add(doc.where() + ": " + shown + ": documented default \"" + cell + "\" in words, the code's is `"
                        + key.defaultValue().get() + "`");
            } else if (isLiteral) {
                String codeValue = key.defaultValue().get();
                Object documentedValue;
                try {
                    documentedValue = convert(key.type(), literal.group(1));
                } catch (RuntimeException e) {
                    problems.add(doc.where() + ": " + shown + ": documented default `" + literal.group(1)
                            + "` is not a valid " + key.type().getTypeName() + " (" + e.getMessage() + ")");
                    continue;
                }
                if (!documentedValue.equals(convert(key.type(), codeValue))) {
                    problems.add(doc.where() + ": " + shown + ": documented default `" + literal.group(1)
                            + "`, the code's is `" + codeValue + "`");
                }
            }
        }
        for (CodeKey key : byKey.values()) {
            boolean allowed = undocumented.containsKey(key.key());
            if (!seen.contains(key.key()) && !allowed) {
                problems.add("`" + key.key().replace("*", "<key>") + "` (" + key.declaredBy() + ", default "
                        + key.defaultValue().map(v -> "`" + v + "`").orElse("none") + ") is documented in no table");
            } else if (seen.contains(key.key()) && allowed) {
                problems.add("`" + key.key() + "` is documented: take it off UNDOCUMENTED");
            }
        }
        undocumented.keySet().stream().filter(k -> !byKey.containsKey(k)).sorted()
                .forEach(k -> problems.add("UNDOCUMENTED names `" + k + "`, which the code does not have"));
        return problems;
    }

    static final SmallRyeConfig CONVERTERS = new SmallRyeConfigBuilder()
            .withConverter(Duration.class, 200, new DurationConverter()) // as Quarkus registers it
            .withConverter(Boolean.class, 200, new TrueOrFalse()) // as the application registers it
            .build();

    /** A value as the application sees it: converted to the member's type, list elements one by one. */
    static Object convert(Type type, String value) {
        return converter(type).convert(value);
    }

    static Converter<?> converter(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type argument = p.getActualTypeArguments()[0];
            if (raw == Optional.class) {
                return converter(argument);
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return Converters.newCollectionConverter(converter(argument), ArrayList::new);
            }
            throw new IllegalArgumentException("no converter for " + type);
        }
        Class<?> c = MethodType.methodType((Class<?>) type).wrap().returnType();
        return CONVERTERS.requireConverter(c);
    }

    static Type listOf(Class<?> element) {
        return parameterized(List.class, element);
    }

    static Type optionalOf(Class<?> element) {
        return parameterized(Optional.class, element);
    }

    static Type parameterized(Class<?> raw, Class<?> argument) {
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[]{argument};
            }

            @Override
            public Type getRawType() {
                return raw;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        };
    }
}

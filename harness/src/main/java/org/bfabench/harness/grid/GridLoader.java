package org.bfabench.harness.grid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bfabench.spi.BenchException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads grid files: a bundled grid by name ({@code smoke}, {@code fmnist-quick}, …, from resources
 * {@code /grids/NAME.yaml}) or a YAML file by path.
 *
 * <p>YAML is parsed with SnakeYAML's {@link SafeConstructor}: only maps, lists, strings, numbers and
 * booleans, never an arbitrary Java type from a {@code !!} tag. Every problem is a {@link BenchException}
 * naming the file, the line where known, and what to write instead. Plugin ids are not checked here
 * (see {@link GridSpec#validate}).
 */
public final class GridLoader {
    private static final List<String> BUNDLED = List.of("smoke", "fmnist-quick", "fmnist-standard", "fmnist-vgg-small", "cifar10-resnet20");

    private GridLoader() {
    }

    /** Names of the grids shipped with bfabench. */
    public static List<String> bundledNames() {
        return BUNDLED;
    }

    /** A bundled grid name or a path to a YAML file. */
    public static GridSpec load(String nameOrFile) {
        if (nameOrFile == null || nameOrFile.isBlank()) {
            throw new BenchException("no grid given: name a bundled grid (" + String.join(", ", BUNDLED)
                    + ") or a YAML file");
        }
        Path file = Path.of(nameOrFile);
        if (Files.isRegularFile(file)) {
            try {
                return parse(Files.readAllBytes(file), file.getFileName().toString(), defaultName(file));
            } catch (IOException e) {
                throw new BenchException("grid file " + file + ": cannot read it (" + e.getMessage() + ")", e);
            }
        }
        if (BUNDLED.contains(nameOrFile)) {
            try (InputStream in = GridLoader.class.getResourceAsStream("/grids/" + nameOrFile + ".yaml")) {
                if (in == null) {
                    throw new BenchException("bundled grid '" + nameOrFile + "' is missing from the bfabench jar; rebuild bfabench");
                }
                return parse(in.readAllBytes(), nameOrFile + ".yaml", nameOrFile);
            } catch (IOException e) {
                throw new BenchException("bundled grid '" + nameOrFile + "': " + e.getMessage(), e);
            }
        }
        throw new BenchException("grid '" + nameOrFile + "': no such file and no bundled grid of that name (bundled: "
                + String.join(", ", BUNDLED) + ")");
    }

    /**
     * Parses grid YAML.
     *
     * @param bytes       the file content (UTF-8); its SHA-256 becomes the grid's provenance hash
     * @param origin      file name for messages
     * @param defaultName name used when the file has no {@code name:} key
     */
    public static GridSpec parse(byte[] bytes, String origin, String defaultName) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Object root;
        Node tree;
        try {
            Yaml yaml = new Yaml(new SafeConstructor(loaderOptions()));
            tree = yaml.compose(new java.io.StringReader(text));
            root = yaml.load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " line " + (mark.getLine() + 1);
            throw new BenchException("grid " + origin + where + ": malformed YAML (" + firstLine(e.getProblem())
                    + "); fix the YAML syntax", e);
        } catch (YAMLException e) {
            throw new BenchException("grid " + origin + ": malformed YAML (" + firstLine(e.getMessage()) + ")", e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new BenchException("grid " + origin + ": expected a YAML mapping with keys such as name, datasets,"
                    + " models, defenses, attacks, seeds");
        }
        return new GridParser(origin, KeyLines.of(tree)).parse(map, defaultName, sha256(bytes));
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private static String defaultName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown problem";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }
}

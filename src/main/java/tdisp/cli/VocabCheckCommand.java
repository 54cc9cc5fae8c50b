package tdisp.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import tdisp.report.Provenance;
import tdisp.report.VocabCheckReport;
import tdisp.sim.Vocabulary;
import tdisp.vocab.DefinitionIndex;
import tdisp.vocab.SourceCheck;

/**
 * tdisp vocab-check: every vocabulary name looked up at its definition in a kernel tree
 * (issue #20 point 1). The rules are in tdisp.vocab and results/kernel/README.md.
 */
@Command(name = "vocab-check", description = {
        "Scan a kernel tree (*.c and *.h, one pass) for the definition of every name in the trace vocabulary "
                + "and hold each vocabulary row against it. Writes vocabulary-index.csv (every definition site of every "
                + "name), vocabulary-check.csv and vocabulary-check.txt (one verdict a row; the text also on stdout).",
        "",
        "What counts as a definition: a function definition at file scope (a prototype does not count); "
                + "#define NAME (constants, ioctl numbers, exit reasons, functions written as macros); an enumerator; "
                + "SYSCALL_DEFINEn(NAME); a file-scope lock (DEFINE_MUTEX(NAME), DECLARE_RWSEM(NAME), "
                + "struct mutex NAME; ...). A lock TYPE::FIELD is the member FIELD of struct TYPE; VAR->FIELD the "
                + "member FIELD of each struct TYPE the tree declares as struct TYPE *VAR.",
        "",
        "Verdicts: a mainline row must be defined in the file its source names (found), else it fails "
                + "(elsewhere, missing); a row with another label fails when the tree defines the name (relabel); "
                + "spec and firmware rows (firmware leaves, TDISP messages, POSIX calls) and QEMU names are n/a. "
                + "Exits 1 when a row fails."})
final class VocabCheckCommand implements Callable<Integer>, Validated {
    @Mixin OutOption out = new OutOption();

    @Option(names = "--tree", paramLabel = "DIR", required = true, description = "the kernel source tree to scan (its Makefile gives the release)")
    Path tree;

    @Option(names = "--package-version", paramLabel = "V", showDefaultValue = Visibility.NEVER,
            description = "the version of the package the tree came from, e.g. 7.2.13-1 (Debian's linux-source-7.2)")
    String packageVersion;

    @Option(names = "--tarball-sha256", paramLabel = "H", showDefaultValue = Visibility.NEVER,
            description = "the sha256 of the source tarball the tree was extracted from (64 hex digits)")
    String tarballSha256;

    @Option(names = "--vocabulary", paramLabel = "FILE", showDefaultValue = Visibility.NEVER,
            description = "a vocabulary table to check instead of the built-in one (same columns)")
    Path vocabularyFile;

    @Spec CommandSpec spec;

    private String release;
    private Vocabulary vocabulary;
    private String vocabularyText;

    private static final Pattern MAKE_VAR = Pattern.compile("(?m)^(VERSION|PATCHLEVEL|SUBLEVEL)\\s*=\\s*(\\d*)\\s*$");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern VERSION = Pattern.compile("[0-9][0-9A-Za-z.+~:-]*");

    @Override
    public void validate() {
        if (!Files.isDirectory(tree)) throw new UsageException("--tree " + tree + ": not a directory");
        Path makefile = tree.resolve("Makefile");
        String mk;
        try {
            mk = Files.readString(makefile, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UsageException("--tree " + tree + ": no readable Makefile (is it a kernel tree?)");
        }
        Map<String, String> v = new LinkedHashMap<>();
        Matcher m = MAKE_VAR.matcher(mk);
        while (m.find()) v.putIfAbsent(m.group(1), m.group(2));
        if (v.getOrDefault("VERSION", "").isEmpty() || v.getOrDefault("PATCHLEVEL", "").isEmpty()) {
            throw new UsageException(makefile + ":1: no VERSION and PATCHLEVEL lines (is it a kernel tree?)");
        }
        release = v.get("VERSION") + "." + v.get("PATCHLEVEL") + (v.getOrDefault("SUBLEVEL", "").isEmpty() || v.get("SUBLEVEL").equals("0") ? "" : "." + v.get("SUBLEVEL"));
        if (tarballSha256 != null && !SHA256.matcher(tarballSha256).matches()) {
            throw new UsageException("--tarball-sha256 " + tarballSha256 + ": want 64 lower-case hex digits");
        }
        if (packageVersion != null && !VERSION.matcher(packageVersion).matches()) {
            throw new UsageException("--package-version " + packageVersion + ": want a version such as 7.2.13-1");
        }
        try {
            if (vocabularyFile == null) {
                // the common rows and every registered platform's, as the trace reads them
                vocabularyText = tdisp.platform.Platforms.vocabularyText();
            } else {
                vocabularyText = Files.readString(vocabularyFile, StandardCharsets.UTF_8);
            }
            vocabulary = Vocabulary.parse(new StringReader(vocabularyText), vocabularyFile == null ? "vocabulary.csv" : vocabularyFile.toString());
        } catch (IOException e) {
            throw new UsageException("--vocabulary " + vocabularyFile + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException {
        Path dir = out.dir();
        tdisp.report.AtomicFiles.checkWritable(dir);
        Set<String> names = new LinkedHashSet<>();
        for (Vocabulary.Entry e : vocabulary.entries()) names.add(e.name());
        DefinitionIndex index = DefinitionIndex.scan(tree, names);
        String label = packageVersion != null
                ? "linux-source-" + release.replaceAll("^(\\d+\\.\\d+).*", "$1") + " " + packageVersion
                : "linux " + release + (commit() == null ? "" : " @" + commit().substring(0, 12));
        List<SourceCheck.Row> rows = SourceCheck.check(vocabulary, index, release, label);
        VocabCheckReport report = new VocabCheckReport(release, rows, index);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("vocabulary-index.csv", report.indexCsv());
        files.put("vocabulary-check.csv", report.csv());
        files.put("vocabulary-check.txt", report.text());
        files = provenance(index, label).stamp(files);
        tdisp.report.AtomicFiles.commit(dir, "vocab-check", files);
        spec.commandLine().getOut().print(files.get("vocabulary-check.txt"));
        long failing = rows.stream().filter(r -> !r.verdict().ok()).count();
        spec.commandLine().getErr().printf("tdisp: wrote %s (%d sites of %d names in %d files; %d of %d rows fail)%n", dir,
                index.all().size(), index.names().size(), index.files(), failing, rows.size());
        return failing == 0 ? ExitCodes.OK : ExitCodes.NO;
    }

    private Provenance provenance(DefinitionIndex index, String label) {
        // The tree's path is this machine's: the reproduce line names the directory only.
        Path name = tree.toAbsolutePath().normalize().getFileName();
        Map<String, List<String>> resolved = new LinkedHashMap<>();
        resolved.put("--tree", List.of(name == null ? "." : name.toString()));
        if (vocabularyFile != null) resolved.put("--vocabulary", List.of(String.valueOf(vocabularyFile.getFileName())));
        String commit = commit();
        return Setup.start(spec, resolved)
                .add("tree", "Linux " + release + (commit == null ? "" : ", commit " + commit))
                .add("package", packageVersion == null ? "not given" : label)
                .add("tarball", tarballSha256 == null ? "not given" : "sha256 " + tarballSha256)
                .add("vocabulary", (vocabularyFile == null ? "built-in" : String.valueOf(vocabularyFile.getFileName())) + ", "
                        + vocabulary.size() + " rows, sha256 " + sha256(vocabularyText))
                .add("scanned", index.files() + " files (*.c, *.h)")
                .build();
    }

    /** The tree's git commit when it is a checkout (read from .git without running git), else null. */
    private String commit() {
        Path git = tree.resolve(".git");
        try {
            if (!Files.isDirectory(git)) return null;
            String head = Files.readString(git.resolve("HEAD")).strip();
            if (!head.startsWith("ref: ")) return head;
            String ref = head.substring(5);
            Path loose = git.resolve(ref);
            if (Files.exists(loose)) return Files.readString(loose).strip();
            Path packed = git.resolve("packed-refs");
            if (Files.exists(packed)) {
                for (String l : Files.readAllLines(packed)) if (l.endsWith(" " + ref)) return l.substring(0, l.indexOf(' '));
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

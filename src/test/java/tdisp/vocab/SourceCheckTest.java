package tdisp.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import tdisp.output.Csv;
import tdisp.platform.Platforms;
import tdisp.sim.Vocabulary;

/**
 * Issue #20 point 1: the vocabulary held against the committed index of Linux 7.2.13
 * (results/kernel/vocabulary-index.csv, written by `tdisp vocab-check`), so CI needs no kernel.
 */
class SourceCheckTest {
    static final Path INDEX = Path.of("results/kernel/vocabulary-index.csv");

    /** The committed index and the tree release its provenance names. */
    static DefinitionIndex committed() throws IOException {
        return DefinitionIndex.read(Csv.records(Files.readString(INDEX)));
    }

    static String treeRelease() throws IOException {
        Matcher m = Pattern.compile("(?m)^# tree: Linux (\\S+)").matcher(Files.readString(INDEX));
        assertTrue(m.find(), "the index names its tree");
        return m.group(1).replaceAll(",$", "");
    }

    static List<SourceCheck.Row> check(Vocabulary v) throws IOException {
        return SourceCheck.check(v, committed(), treeRelease(), "linux-source-7.2");
    }

    static String failures(List<SourceCheck.Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (SourceCheck.Row r : rows) {
            if (!r.verdict().ok()) sb.append(r.verdict().token()).append(' ').append(r.entry().name()).append(" (").append(r.entry().label())
                    .append(", ").append(r.entry().source()).append(") sites ").append(r.sites()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void theIndexWasMadeFromTheDebianPackageWhoseDigestItRecords() throws IOException {
        String head = Files.readString(INDEX);
        assertTrue(head.contains("# package: linux-source-7.2 7.2.13"), "package version in the provenance");
        assertTrue(head.contains("# tarball: sha256 ecb3877b9988c936dcc64c63af8a54c2fa6df7f717d4e5ee429d0f4c4859e68b"), "tarball digest");
        assertEquals("7.2.13", treeRelease());
    }

    @Test
    void everyMainlineRowIsDefinedWhereItsSourceSaysAndNoUnmergedRowIsDefinedInMainline() throws IOException {
        List<SourceCheck.Row> rows = check(Platforms.vocabulary());
        assertTrue(SourceCheck.passes(rows), "rows to correct:\n" + failures(rows));
        assertTrue(rows.stream().filter(r -> r.verdict() == SourceCheck.Verdict.FOUND).count() > 50, "the check found the mainline rows");
    }

    @Test
    void everyMainlineRowRecordsWhereTheCheckFoundIt() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (SourceCheck.Row r : check(Platforms.vocabulary())) {
            if (r.verdict() == SourceCheck.Verdict.FOUND && !r.entry().checked().contains(r.path())) {
                sb.append(r.entry().name()).append(": checked '").append(r.entry().checked()).append("', found ").append(r.checked()).append('\n');
            }
        }
        assertEquals("", sb.toString());
    }

    static Vocabulary doctored(String row) throws IOException {
        String text = Platforms.vocabularyText();
        return Vocabulary.parse(new StringReader(text + row + "\n"), "doctored");
    }

    @Test
    void theCheckFailsWhenAMainlineRowNamesAFunctionTheIndexLacks() throws IOException {
        List<SourceCheck.Row> rows = check(doctored("pci_tsm_frobnicate,all,function,mainline,drivers/pci/tsm.c v6.19,"));
        assertFalse(SourceCheck.passes(rows));
        SourceCheck.Row bad = rows.get(rows.size() - 1);
        assertEquals("pci_tsm_frobnicate", bad.entry().name());
        assertEquals(SourceCheck.Verdict.MISSING, bad.verdict());
    }

    @Test
    void theCheckFailsWhenAPostingRowNamesAFunctionMainlineDefines() throws IOException {
        List<SourceCheck.Row> rows = check(doctored("pci_tsm_bind,sev-tio,function,posting,20251105040055.2832866-5-dan.j.williams@intel.com,"));
        SourceCheck.Row bad = rows.get(rows.size() - 1);
        assertEquals(SourceCheck.Verdict.RELABEL, bad.verdict());
        assertTrue(bad.checked().contains("drivers/pci/tsm.c:"), bad.checked());
        assertFalse(SourceCheck.passes(rows));
    }

    @Test
    void theCheckFailsWhenAMainlineRowNamesTheWrongFile() throws IOException {
        List<SourceCheck.Row> rows = check(doctored("pci_tsm_connect,sev-tio,function,mainline,drivers/pci/pci.c,"));
        assertEquals(SourceCheck.Verdict.ELSEWHERE, rows.get(rows.size() - 1).verdict());
    }

    @Test
    void specAndFirmwareRowsAreNotApplicableAndALaterReleaseCannotBeChecked() {
        DefinitionIndex none = DefinitionIndex.of(List.of());
        assertEquals(SourceCheck.Verdict.NOT_APPLICABLE, SourceCheck.check(new Vocabulary.Entry("TDH.MMIO.MAP", "tdx-connect", "firmware",
                "firmware", "x", ""), none, "7.2.13", "r").verdict());
        assertEquals(SourceCheck.Verdict.NEWER, SourceCheck.check(new Vocabulary.Entry("foo", "all", "function", "mainline",
                "drivers/x.c v7.3", ""), none, "7.2.13", "r").verdict());
        assertEquals(SourceCheck.Verdict.MISSING, SourceCheck.check(new Vocabulary.Entry("foo", "all", "function", "mainline",
                "drivers/x.c v7.2", ""), none, "7.2.13", "r").verdict());
    }
}

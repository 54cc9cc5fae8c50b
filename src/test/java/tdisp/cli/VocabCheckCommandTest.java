package tdisp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tdisp.output.Columns;

/** tdisp vocab-check on a tree small enough to write here: exit codes, bad input, outputs. */
class VocabCheckCommandTest {
    @TempDir Path tmp;

    /** A kernel-shaped tree that defines one mainline name of the vocabulary and one posted one. */
    static Path tinyTree(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("drivers/pci"));
        Files.writeString(dir.resolve("Makefile"), "VERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 13\n");
        Files.writeString(dir.resolve("drivers/pci/tsm.c"), "int pci_tsm_connect(struct pci_dev *pdev)\n{\n\treturn 0;\n}\n"
                + "static int tdi_bind(struct pci_dev *pdev)\n{\n\treturn 0;\n}\n");
        return dir;
    }

    @Test
    void aTreeMissingMainlineNamesExitsOneAndWritesTheIndexAndTheVerdicts() throws IOException {
        Path out = tmp.resolve("out");
        Cli.Result r = Cli.run("vocab-check", "--tree", tinyTree(tmp.resolve("linux")).toString(), "--tarball-sha256",
                "ecb3877b9988c936dcc64c63af8a54c2fa6df7f717d4e5ee429d0f4c4859e68b", "--out", out.toString());
        assertEquals(ExitCodes.NO, r.code(), r.err());
        String index = Cli.read(out.resolve("vocabulary-index.csv"));
        assertTrue(index.contains("\npci_tsm_connect,function,drivers/pci/tsm.c,1,\n"), index);
        assertTrue(index.contains("# tarball: sha256 ecb3877b"), index);
        assertTrue(index.contains("# reproduce: ./tdisp vocab-check --tree linux "), "the reproduce line names the tree, not this machine's path");
        assertFalse(index.contains(tmp.toString()), "no machine path in the outputs");
        String csv = Cli.read(out.resolve("vocabulary-check.csv"));
        assertTrue(csv.contains("\ntdi_bind,sev-tio,function,tree,relabel,"), "a tree row the tree defines is to be relabelled");
        assertTrue(csv.contains("\npci_tsm_connect,all,function,mainline,found,drivers/pci/tsm.c,drivers/pci/tsm.c:1,linux 7.2.13: drivers/pci/tsm.c:1\n"), csv);
        String txt = Cli.read(out.resolve("vocabulary-check.txt"));
        assertTrue(txt.contains("FAIL: rows to correct below"), txt);
        assertTrue(Columns.widest(txt) <= Columns.WIDTH, "72 columns");
        assertTrue(Columns.widest(r.out()) <= Columns.WIDTH, "72 columns on stdout");
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingWritten() throws IOException {
        Path out = tmp.resolve("out");
        Path tree = tinyTree(tmp.resolve("linux"));
        for (String[] args : new String[][] {
                {"vocab-check", "--tree", tmp.resolve("nope").toString(), "--out", out.toString()},
                {"vocab-check", "--tree", tree.toString(), "--tarball-sha256", "abc", "--out", out.toString()},
                {"vocab-check", "--tree", tmp.toString(), "--out", out.toString()}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(ExitCodes.USAGE, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(out), "nothing written");
        }
        Files.writeString(tmp.resolve("bad.csv"), "name,platform,kind,label,source,checked\nfoo,all,function,rumour,x,\n");
        Cli.Result r = Cli.run("vocab-check", "--tree", tree.toString(), "--vocabulary", tmp.resolve("bad.csv").toString(), "--out", out.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("bad.csv:2"), "names file and line: " + r.err());
        assertFalse(Files.exists(out));
    }
}

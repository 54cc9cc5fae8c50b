package tdisp.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The definition rules, on a small tree written for the purpose (no kernel source). */
class DefinitionIndexTest {
    @TempDir Path tree;

    private List<String> sites(DefinitionIndex idx, String name) {
        return idx.sites(name).stream().map(s -> s.kind() + " " + s.path() + ":" + s.line() + (s.detail().isEmpty() ? "" : " " + s.detail())).toList();
    }

    @Test
    void aDefinitionCountsAndAPrototypeACallOrAMentionDoesNot() throws IOException {
        Files.createDirectories(tree.resolve("drivers/x"));
        Files.writeString(tree.resolve("drivers/x/a.h"), String.join("\n",
                "int foo_bind(struct pci_dev *pdev);",           // 1 prototype
                "static inline int foo_get(int id)",            // 2 inline definition
                "{",
                "\treturn foo_bind(NULL);",                     // 4 call
                "}",
                "#define FOO_CMD _IOW('x', 1, int)",            // 6 macro
                "enum foo_state {",
                "\tFOO_IDLE = 0, /* FOO_GONE */",               // 8
                "\tFOO_RUN,",                                   // 9
                "};",
                "struct foo_dev {",
                "\tint x;",
                "\tstruct mutex lock;",                         // 13
                "};",
                "struct foo_ctx {",
                "\tspinlock_t lock;",                           // 16
                "};",
                ""));
        Files.writeString(tree.resolve("drivers/x/a.c"), String.join("\n",
                "static DECLARE_RWSEM(foo_rwsem);",              // 1
                "static int foo_bind(struct pci_dev *pdev)",    // 2 definition over two lines
                "\t__must_hold(&foo_rwsem)",
                "{",
                "\tstruct foo_dev *fdev = NULL;",
                "\treturn 0;",
                "}",
                "SYSCALL_DEFINE1(foo_close, int, fd)",          // 8
                "{",
                "}",
                "/* foo_unbind(dev) is not defined here */",
                ""));
        DefinitionIndex idx = DefinitionIndex.scan(tree, List.of("foo_bind", "foo_get", "FOO_CMD", "FOO_RUN", "FOO_GONE", "foo_rwsem",
                "foo_close", "foo_unbind", "fdev->lock", "foo_ctx::lock", "foo_dev::mutex", "foo_ctx", "pci_dev"));
        assertEquals(List.of("function drivers/x/a.c:2"), sites(idx, "foo_bind"));
        assertEquals(List.of("function drivers/x/a.h:2"), sites(idx, "foo_get"));
        assertEquals(List.of("macro drivers/x/a.h:6"), sites(idx, "FOO_CMD"));
        assertEquals(List.of("enum-constant drivers/x/a.h:9"), sites(idx, "FOO_RUN"));
        assertEquals(List.of(), sites(idx, "FOO_GONE"), "a comment in an enum is no enumerator");
        assertEquals(List.of("lock drivers/x/a.c:1"), sites(idx, "foo_rwsem"));
        assertEquals(List.of("syscall drivers/x/a.c:8"), sites(idx, "foo_close"));
        assertEquals(List.of(), sites(idx, "foo_unbind"));
        assertEquals(List.of("member drivers/x/a.h:13 struct foo_dev"), sites(idx, "fdev->lock"), "the struct the tree declares fdev as");
        assertEquals(List.of("member drivers/x/a.h:16 struct foo_ctx"), sites(idx, "foo_ctx::lock"));
        assertEquals(List.of(), sites(idx, "foo_dev::mutex"), "no such member");
        assertEquals(List.of("struct drivers/x/a.h:15"), sites(idx, "foo_ctx"), "a struct the trace names, by its definition");
        assertEquals(List.of(), sites(idx, "pci_dev"), "a struct only mentioned is not defined here");
        assertEquals(2, idx.files());
    }
}

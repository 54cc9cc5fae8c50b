package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static tdisp.strategy.Descriptors.valid;
import static tdisp.strategy.Descriptors.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyCatalogTest {
    @TempDir Path dir;

    private StrategyCatalog threeStrategies() {
        write(dir, "c.desc", valid("c"));
        write(dir, "a.desc", valid("a"));
        write(dir, "b.desc", valid("b"));
        write(dir, "README.md", "not a descriptor = ignored\n");
        write(dir, "notes.desc.bak", "garbage\n");
        return StrategyCatalog.load(dir);
    }

    @Test
    void loadsOnlyDescFilesSortedById() {
        StrategyCatalog c = threeStrategies();
        assertEquals(List.of("a", "b", "c"), c.all().stream().map(Strategy::id).toList());
        assertEquals(List.of("a", "b", "c"), c.ids());
        assertEquals(dir.resolve("b.desc"), c.get("b").file());
    }

    @Test
    void unknownStrategyListsKnownIds() {
        StrategyCatalog c = threeStrategies();
        assertEquals("unknown strategy 'd' (known: a, b, c)",
                assertThrows(StrategyException.class, () -> c.get("d")).getMessage());
        assertEquals("unknown strategy 'kvm' (known: iommufd-rfc-v2, iommufd-typed-op, iommufd-v5, iommufd-v7, kvm-direct, split-sdte-mmio, vfio-ioctl)",
                assertThrows(StrategyException.class, () -> StrategyCatalog.load(Path.of("strategies")).get("kvm"))
                        .getMessage());
    }

    @Test
    void selectKeepsTheGivenOrderOnce() {
        StrategyCatalog c = threeStrategies();
        List<Strategy> s = c.select(List.of("c", "a", "c"));
        assertEquals(List.of("c", "a"), s.stream().map(Strategy::id).toList());
        assertSame(c.get("a"), s.get(1));
        assertEquals(List.of(), c.select(List.of()));
        assertEquals("unknown strategy 'x' (known: a, b, c)",
                assertThrows(StrategyException.class, () -> c.select(List.of("a", "x"))).getMessage());
    }

    @Test
    void emptyDirectoryIsAnError() {
        write(dir, "README.md", "x\n");
        assertEquals(dir + ": no *.desc files",
                assertThrows(StrategyException.class, () -> StrategyCatalog.load(dir)).getMessage());
    }

    @Test
    void missingDirectoryIsAnError() {
        Path none = dir.resolve("none");
        assertEquals(none + ": not a directory",
                assertThrows(StrategyException.class, () -> StrategyCatalog.load(none)).getMessage());
    }

    @Test
    void aBadFileFailsTheWholeLoadWithItsOwnError() throws IOException {
        write(dir, "a.desc", valid("a"));
        Path bad = write(dir, "b.desc", valid("b") + "foo\n");
        assertEquals(bad + ":12: expected 'key = value'",
                assertThrows(StrategyException.class, () -> StrategyCatalog.load(dir)).getMessage());
        Files.delete(bad);
        assertEquals(List.of("a"), StrategyCatalog.load(dir).ids());
    }
}

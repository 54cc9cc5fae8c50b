package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tdisp.strategy.Descriptors.replaceLine;
import static tdisp.strategy.Descriptors.valid;
import static tdisp.strategy.Descriptors.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyParserTest {
    private static final String KNOWN = "bind.entry, guest-request.entry, guest-request.sdte-write.entry, "
            + "guest-request.mmio-validate.entry, vfio.bound-state, vfio.on-host-event, vmm.config-trap, "
            + "vmm.bound-state, iommufd.destroy-order, vfio.last-close, vfio.dma-buf-cleanup, guest-request.uapi, bind.trigger, bind.lock, device.no-soft-reset, "
            + "kvm.cca-dma-buf-revoke, kvm.snp-destroy-mmio-rmp, kvm.snp-rmp-update, sev.secure-viommu, id, title, source";

    @TempDir Path dir;

    private String error(Path file) {
        return assertThrows(StrategyException.class, () -> StrategyParser.parse(file)).getMessage();
    }

    @Test
    void parsesAValidFile() {
        Path f = write(dir, "x.desc", valid("x"));
        Strategy s = StrategyParser.parse(f);
        assertEquals("x", s.id());
        assertEquals("Test strategy", s.title());
        assertEquals(List.of("20260525154816.1029642-1-aneesh.kumar@kernel.org"), s.sources());
        assertEquals(f, s.file());
        assertEquals(new Knobs(Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, Entry.IOMMUFD, BoundState.NONE,
                HostEventPolicy.NONE, true, DestroyOrder.VDEVICE_FIRST, LastClose.CLOSE_DEVICE_FIRST), s.knobs());
    }

    @Test
    void commentsBlankLinesSpacingCrlfAndBom() {
        String body = "\uFEFF# header comment\r\n\r\n"
                + "   id=x   # trailing comment\r\n"
                + "title   =   A title # not part of it\r\n"
                + "source = first\r\n"
                + "   # indented comment\r\n"
                + "source = second\r\n"
                + "bind.entry=kvm\r\n"
                + "guest-request.entry = kvm\r\n"
                + "vfio.bound-state = none\r\n"
                + "vfio.on-host-event = none\r\n"
                + "vmm.config-trap = off   # trap off\r\n"
                + "iommufd.destroy-order = legacy\r\n"
                + "vfio.last-close = unbind-first\r\n";
        Strategy s = StrategyParser.parse(write(dir, "x.desc", body));
        assertEquals("A title", s.title());
        assertEquals(List.of("first", "second"), s.sources());
        assertEquals(Entry.KVM, s.knobs().bindEntry());
        assertEquals(false, s.knobs().vmmConfigTrap());
        assertEquals(DestroyOrder.LEGACY, s.knobs().iommufdDestroyOrder());
        assertEquals(LastClose.UNBIND_FIRST, s.knobs().vfioLastClose());
    }

    // ---- the per-message knobs default to guest-request.entry

    @Test
    void perMessageEntriesDefaultToGuestRequestEntry() {
        String body = replaceLine(valid("x"), "guest-request.entry", "guest-request.entry = kvm");
        Knobs k = StrategyParser.parse(write(dir, "x.desc", body)).knobs();
        assertEquals(Entry.IOMMUFD, k.bindEntry());
        assertEquals(Entry.KVM, k.guestRequestEntry());
        assertEquals(Entry.KVM, k.sdteWriteEntry());
        assertEquals(Entry.KVM, k.mmioValidateEntry());
    }

    @Test
    void perMessageEntriesCanBeSetIndependently() {
        String body = valid("x") + "guest-request.mmio-validate.entry = vfio\n"
                + "guest-request.sdte-write.entry = kvm\n";
        body = replaceLine(body, "vfio.bound-state", "vfio.bound-state = notified");
        Knobs k = StrategyParser.parse(write(dir, "x.desc", body)).knobs();
        assertEquals(Entry.IOMMUFD, k.guestRequestEntry());
        assertEquals(Entry.KVM, k.sdteWriteEntry());
        assertEquals(Entry.VFIO, k.mmioValidateEntry());
    }

    // ---- one test per error kind, exact messages

    @Test
    void unknownKey() {
        Path f = write(dir, "x.desc", valid("x") + "foo = bar\n");
        assertEquals(f + ":12: unknown key 'foo' (known: " + KNOWN + ")", error(f));
    }

    @Test
    void badValue() {
        Path f = write(dir, "x.desc", replaceLine(valid("x"), "bind.entry", "bind.entry = kvmm"));
        assertEquals(f + ":5: bind.entry: 'kvmm' is not one of kvm|iommufd|vfio", error(f));
    }

    @Test
    void badValueOfEachKindOfKnob() {
        Path f = write(dir, "x.desc", replaceLine(valid("x"), "vmm.config-trap", "vmm.config-trap = yes"));
        assertEquals(f + ":9: vmm.config-trap: 'yes' is not one of on|off", error(f));
        f = write(dir, "x.desc", replaceLine(valid("x"), "vfio.on-host-event", "vfio.on-host-event = unbind_first"));
        assertEquals(f + ":8: vfio.on-host-event: 'unbind_first' is not one of none|unbind-first|refuse", error(f));
        f = write(dir, "x.desc", valid("x") + "guest-request.sdte-write.entry = KVM\n");
        assertEquals(f + ":12: guest-request.sdte-write.entry: 'KVM' is not one of kvm|iommufd|vfio", error(f));
    }

    @Test
    void duplicateKey() {
        Path f = write(dir, "x.desc", valid("x") + "vmm.config-trap = off\n");
        assertEquals(f + ":12: duplicate key 'vmm.config-trap' (first on line 9)", error(f));
    }

    @Test
    void duplicateHeaderKeyButSourceRepeats() {
        Path f = write(dir, "x.desc", valid("x") + "source = another\nid = x\n");
        assertEquals(f + ":13: duplicate key 'id' (first on line 2)", error(f));
    }

    @Test
    void expectedKeyValue() {
        Path f = write(dir, "x.desc", replaceLine(valid("x"), "title", "title Test strategy"));
        assertEquals(f + ":3: expected 'key = value'", error(f));
        f = write(dir, "x.desc", replaceLine(valid("x"), "title", "title =   # empty value"));
        assertEquals(f + ":3: expected 'key = value'", error(f));
        f = write(dir, "x.desc", replaceLine(valid("x"), "title", " = value without key"));
        assertEquals(f + ":3: expected 'key = value'", error(f));
    }

    @Test
    void missingKnob() {
        Path f = write(dir, "x.desc", replaceLine(valid("x"), "vfio.last-close", ""));
        assertEquals(f + ": missing knob 'vfio.last-close'", error(f));
    }

    @Test
    void missingSeveralKnobsAreAllNamed() {
        String body = replaceLine(replaceLine(valid("x"), "vfio.last-close", ""), "vfio.bound-state", "");
        Path f = write(dir, "x.desc", body);
        assertEquals(f + ": missing knobs 'vfio.bound-state', 'vfio.last-close'", error(f));
    }

    @Test
    void missingGuestRequestEntryIsNotFilledFromThePerMessageOnes() {
        String body = replaceLine(valid("x"), "guest-request.entry", "guest-request.sdte-write.entry = kvm");
        Path f = write(dir, "x.desc", body);
        assertEquals(f + ": missing knob 'guest-request.entry'", error(f));
    }

    @Test
    void missingHeaderKeys() {
        Path f = write(dir, "x.desc", replaceLine(valid("x"), "id", ""));
        assertEquals(f + ": missing key 'id'", error(f));
        f = write(dir, "x.desc", replaceLine(valid("x"), "title", ""));
        assertEquals(f + ": missing key 'title'", error(f));
        f = write(dir, "x.desc", replaceLine(valid("x"), "source", "# no source"));
        assertEquals(f + ": missing key 'source' (at least one)", error(f));
    }

    @Test
    void idMustMatchFileName() {
        Path f = write(dir, "x.desc", valid("foo"));
        assertEquals(f + ": id 'foo' does not match file name 'x.desc'", error(f));
    }

    @Test
    void crossKnobHostEventNeedsBoundState() {
        Path f = write(dir, "x.desc", replaceLine(valid("x"), "vfio.on-host-event", "vfio.on-host-event = refuse"));
        assertEquals(f + ": vfio.on-host-event=refuse requires vfio.bound-state other than none"
                + " (VFIO cannot act on a state it does not know)", error(f));
    }

    @Test
    void crossKnobVfioBindNeedsOwnedState() {
        String body = replaceLine(replaceLine(valid("x"), "bind.entry", "bind.entry = vfio"),
                "vfio.bound-state", "vfio.bound-state = notified");
        Path f = write(dir, "x.desc", body);
        assertEquals(f + ": bind.entry=vfio requires vfio.bound-state=owned, not notified"
                + " (the VFIO bind ioctl keeps the bound state in VFIO)", error(f));
    }

    @Test
    void unreadableFiles() throws IOException {
        Path missing = dir.resolve("gone.desc");
        assertEquals(missing + ": cannot read: no such file", error(missing));

        Path bad = dir.resolve("bad.desc");
        Files.write(bad, new byte[] {'i', 'd', ' ', '=', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        assertEquals(bad + ": cannot read: not valid UTF-8", error(bad));

        Path aDir = Files.createDirectory(dir.resolve("d.desc"));
        String m = error(aDir);
        assertTrue(m.startsWith(aDir + ": cannot read: "), m);
        assertTrue(!m.contains("\n"), m);
    }

    @Test
    void errorsAreOneLine() {
        Path f = write(dir, "x.desc", valid("x") + "foo = bar\n");
        assertTrue(!error(f).contains("\n"));
    }

    @Test
    void relativePathIsShownAsGiven() {
        // the shipped files are found as strategies/<id>.desc: their errors start with that
        Strategy s = StrategyParser.parse(Path.of("strategies", "kvm-direct.desc"));
        assertEquals(Path.of("strategies/kvm-direct.desc"), s.file());
        Path rel = Path.of("").toAbsolutePath().relativize(write(dir, "x.desc", valid("y")).toAbsolutePath());
        assertEquals(rel + ": id 'y' does not match file name 'x.desc'", error(rel));
    }
}

package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class StrategyOverridesTest {
    private static final Strategy V5 = new Strategy("iommufd-v5", "v5", List.of("src"),
            Path.of("strategies/iommufd-v5.desc"), KnobsTest.V5);

    private static String error(Strategy s, String... args) {
        return assertThrows(StrategyException.class, () -> s.withOverrides(List.of(args))).getMessage();
    }

    @Test
    void overridesSetKnobsAndKeepTheHeader() {
        Strategy s = V5.withOverrides(List.of("vfio.last-close=unbind-first", " vmm.config-trap = off "));
        assertEquals(LastClose.UNBIND_FIRST, s.knobs().vfioLastClose());
        assertEquals(false, s.knobs().vmmConfigTrap());
        assertEquals(V5.id(), s.id());
        assertEquals(V5.title(), s.title());
        assertEquals(V5.sources(), s.sources());
        assertEquals(V5.file(), s.file());
        assertEquals(LastClose.CLOSE_DEVICE_FIRST, V5.knobs().vfioLastClose()); // original untouched
    }

    @Test
    void noOverridesIsIdentity() {
        assertSame(V5, V5.withOverrides(List.of()));
        assertSame(V5, V5.withOverrides(null));
    }

    @Test
    void overridesAreCheckedAgainstCrossKnobRulesOnlyAtTheEnd() {
        // either order works: the intermediate state (vfio bind without owned state) is not checked
        Strategy a = V5.withOverrides(List.of("bind.entry=vfio", "vfio.bound-state=owned"));
        Strategy b = V5.withOverrides(List.of("vfio.bound-state=owned", "bind.entry=vfio"));
        assertEquals(a.knobs(), b.knobs());
        assertEquals(Entry.VFIO, a.knobs().bindEntry());
        assertEquals("strategy 'iommufd-v5' with --set bind.entry=vfio: bind.entry=vfio requires vfio.bound-state=owned,"
                + " not none (the VFIO bind ioctl keeps the bound state in VFIO)", error(V5, "bind.entry=vfio"));
    }

    @Test
    void laterSetOfTheSameKeyWins() {
        Strategy s = V5.withOverrides(List.of("vfio.last-close=unbind-first", "vfio.last-close=close-device-first"));
        assertEquals(LastClose.CLOSE_DEVICE_FIRST, s.knobs().vfioLastClose());
    }

    @Test
    void explicitPerMessageOverrideWinsOverGuestRequestEntryWhateverTheOrder() {
        for (List<String> args : List.of(
                List.of("guest-request.entry=kvm", "guest-request.sdte-write.entry=iommufd"),
                List.of("guest-request.sdte-write.entry=iommufd", "guest-request.entry=kvm"))) {
            Knobs k = V5.withOverrides(args).knobs();
            assertEquals(Entry.KVM, k.guestRequestEntry(), args.toString());
            assertEquals(Entry.IOMMUFD, k.sdteWriteEntry(), args.toString());
            assertEquals(Entry.KVM, k.mmioValidateEntry(), args.toString()); // followed the general entry
        }
    }

    @Test
    void badForm() {
        assertEquals("--set: expected key=value, got 'vfio.last-close'", error(V5, "vfio.last-close"));
        assertEquals("--set: expected key=value, got 'vfio.last-close='", error(V5, "vfio.last-close="));
        assertEquals("--set: expected key=value, got '=on'", error(V5, "=on"));
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(StrategyException.class, () -> V5.withOverrides(withNull));
    }

    @Test
    void unknownKeyAndBadValueNameTheArg() {
        assertEquals("--set foo=1: unknown key 'foo' (known: " + Knob.knownKeys() + ")", error(V5, "foo=1"));
        assertEquals("--set bind.entry=kvmm: bind.entry: 'kvmm' is not one of kvm|iommufd|vfio",
                error(V5, "vmm.config-trap=off", "bind.entry=kvmm"));
    }
}

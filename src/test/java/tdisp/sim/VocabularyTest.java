package tdisp.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.Scenario;
import tdisp.scenario.Scenarios;
import tdisp.strategy.Strategy;
import tdisp.strategy.StrategyCatalog;
import tdisp.world.World;
import tdisp.world.WorldConfig;

/** Every name a trace prints is in vocabulary.csv for its platform (or for all). */
class VocabularyTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    /** Runs every scenario of every shipped strategy on every platform; name -> where first seen. */
    static Map<String, String> unknownNames() {
        Vocabulary v = Platforms.vocabulary();
        Map<String, String> missing = new TreeMap<>();
        for (Platform p : Platforms.all()) {
            for (Strategy s : CATALOG.all()) {
                for (Scenario sc : Scenarios.all().values()) {
                    World w = new World(WorldConfig.builder(s, p).build());
                    w.sim().trace().setRecording(true);
                    w.setup();
                    sc.body().accept(w);
                    for (Event e : w.sim().trace().events()) {
                        for (String n : v.namesOf(e)) {
                            if (!v.known(n, p.id())) missing.putIfAbsent(n + " @" + p.id(), s.id() + "/" + sc.id() + ": " + e.render());
                        }
                    }
                }
            }
        }
        return missing;
    }

    @Test
    void everyNameAnyScenarioPrintsOnAnyStrategyAndPlatformIsInTheTable() {
        Map<String, String> missing = unknownNames();
        StringBuilder sb = new StringBuilder();
        missing.forEach((k, where) -> sb.append(k).append("  <- ").append(where).append('\n'));
        assertTrue(missing.isEmpty(), missing.size() + " names missing from vocabulary.csv:\n" + sb);
    }

    @Test
    void namesAreTheCallsConstantsAndChainLinksNotTheArguments() {
        TreeSet<String> out = new TreeSet<>();
        Vocabulary v = Platforms.vocabulary();
        v.scan("qemu: kvm_cpu_exec -> KVM_EXIT_VMGEXIT handler", out);
        v.scan("pci_tsm_bind(dev0, kvm=vm0, tdi_id=0x0008)", out);
        v.scan("tsm_bind(dev0, viommu->kvm, vdev->virt_id)", out);
        v.scan("ops->close_device = vfio_pci_core_close_device(dev0)", out);
        v.scan("TDH.MMIO.UNMAP", out);
        v.scan("#VE -> TDVMCALL(MMIO)", out);
        assertEquals(new TreeSet<>(List.of("#VE", "KVM_EXIT_VMGEXIT", "TDH.MMIO.UNMAP", "TDVMCALL", "kvm_cpu_exec", "pci_tsm_bind",
                "tsm_bind", "vfio_pci_core_close_device")), out);
    }

    @Test
    void aHypotheticalNameIsMarkedInTheTrace() throws Exception {
        Vocabulary v = Vocabulary.parse(new java.io.StringReader("name,platform,kind,label,source,checked\nfoo_bar,all,function,hypothetical,,\n"
                + "baz_qux,all,function,mainline,drivers/x.c v6.17,\n"), "test");
        assertEquals("foo_bar(dev0) [hypothetical]", v.mark(new Event.Call(0, "foo_bar(dev0)"), "foo_bar(dev0)"));
        assertEquals("baz_qux(dev0)", v.mark(new Event.Call(0, "baz_qux(dev0)"), "baz_qux(dev0)"));
    }

    @Test
    void aNameWhoseEveryRowIsAnAssumptionInferenceOrSecondHandIsMarkedWithThatLabel() throws Exception {
        Vocabulary v = Vocabulary.parse(new java.io.StringReader("name,platform,kind,label,source,checked\n"
                + "TDH.DEVIF.CREATE,tdx-connect,firmware,assumption,preview ABI standing in,\n"
                + "guess_fn,all,function,inferred,our reading,\n"
                + "told_fn,all,function,secondary,a summary,\n"
                + "mixed_fn,all,function,posting,a posting,\n"
                + "mixed_fn,cca,function,assumption,ours,\n"
                + "foo_bar,all,function,hypothetical,,\n"), "test");
        assertEquals("TDH.DEVIF.CREATE = TDX_SUCCESS [assumption]",
                v.mark(new Event.Firmware(0, "TDH.DEVIF.CREATE", "TDX_SUCCESS"), "TDH.DEVIF.CREATE = TDX_SUCCESS"));
        assertEquals("guess_fn(dev0) [inferred]", v.mark(new Event.Call(0, "guess_fn(dev0)"), "guess_fn(dev0)"));
        assertEquals("told_fn(dev0) [secondary]", v.mark(new Event.Call(0, "told_fn(dev0)"), "told_fn(dev0)"));
        assertEquals("mixed_fn(dev0)", v.mark(new Event.Call(0, "mixed_fn(dev0)"), "mixed_fn(dev0)"), "one sourced row is enough");
        assertEquals("foo_bar(dev0) -> guess_fn(x) [hypothetical] [inferred]",
                v.mark(new Event.Call(0, "foo_bar(dev0) -> guess_fn(x)"), "foo_bar(dev0) -> guess_fn(x)"));
    }

    @Test
    void theRetiredNamesAreNotInTheTable() {
        for (String n : List.of("tdx_tdi_bind", "tdx_tdi_unbind", "tdx_tdi_guest_req", "tdx_sept_zap_private_mmio", "tdx_sept_map_mmio",
                "tdx_sept_zap_mmio", "sev_snp_mmio_rmp_update", "pci_stop_dev", "kvm_tsm_bind", "kvm_tsm_unbind", "kvm_tsm_lookup",
                // issue #22.5: no tree has tdi_stop (AMD stops inside guest_request()); 7.2 renamed dma_buf_move_notify()
                "tdi_stop", "dma_buf_move_notify",
                // issue #21.3: the tdx-host tree renamed tdx_ext_lock to tdx_spdm_lock
                "tdx_ext_lock")) {
            assertTrue(Platforms.vocabulary().entries(n).isEmpty(), n);
        }
    }
}

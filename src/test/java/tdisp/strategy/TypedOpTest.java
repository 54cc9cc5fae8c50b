package tdisp.strategy;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.platform.Platform;
import tdisp.platform.Platforms;
import tdisp.scenario.ScenarioResult;
import tdisp.scenario.ScenarioRun;
import tdisp.scenario.ScenarioRunner;
import tdisp.scenario.Scenarios;

/**
 * The uAPI as the v5 review left it (strategies/iommufd-typed-op.desc): a typed op that
 * iommufd validates, SEV_ENABLE_DMA acted on by iommufd, evidence through netlink.
 */
class TypedOpTest {
    static final StrategyCatalog CATALOG = StrategyCatalog.load(Path.of("strategies"));

    static ScenarioResult run(Platform p, String scenario, String... sets) {
        return ScenarioRunner.run(ScenarioRun.builder(CATALOG.get("iommufd-typed-op").withOverrides(List.of(sets)), p, Scenarios.get(scenario)).trace(ScenarioRun.Trace.RECORDED).build());
    }

    static String trace(ScenarioResult r) { return String.join("\n", r.trace()); }

    @Test
    void theSealedStateQueryHasNoTypedOpSoTheGuestsChannelBreaksOnSevAndTdx() {
        for (String[] pa : List.of(new String[] {"sev-tio", "SEV"}, new String[] {"tdx-connect", "TDX"})) {
            String id = pa[0];
            ScenarioResult r = run(Platforms.get(id), "happy-bringup");
            String t = trace(r);
            assertTrue(t.contains("IOMMU_VDEVICE_TSM_REQ(tvm_arch=" + pa[1] + ", op=none)"), t);
            assertTrue(t.contains("iommufd_vdevice_tsm_req_ioctl = -EINVAL"), id);
            // The dropped sealed message leaves the guest a sequence number ahead of the firmware.
            assertTrue(t.contains("refused: msg_seqno 3 != expected 1"), id);
            assertEquals("no", r.secureDma(), id);
        }
        // With v5's scope the same bring-up works: the gap is the typed uAPI's.
        assertEquals("yes", ScenarioRunner.run(ScenarioRun.builder(CATALOG.get("iommufd-v5"), Platforms.get("sev-tio"), Scenarios.get("happy-bringup")).build()).secureDma());
    }

    @Test
    void onCcaTheEvidenceRefreshGoesThroughNetlinkAndBringUpCompletes() {
        ScenarioResult r = run(Platforms.get("cca"), "happy-bringup");
        String t = trace(r);
        assertEquals("yes", r.secureDma());
        assertEquals(ScenarioResult.Verdict.PASS, r.verdict(), r.firstViolation());
        assertTrue(t.contains("sendmsg(genl pci-tsm: PCI_TSM_CMD_EVIDENCE_READ"), t);
        assertTrue(t.contains("refresh_evidence -> cca_vdev_update_interface_report"), t);
        assertFalse(t.contains("cca_tsm_guest_req(REFRESH_REPORT)"), "no tunnelled object request");
        assertTrue(t.contains("op=TSM_REQ_VALIDATE_MMIO") && t.contains("op=TSM_REQ_SET_TDI_STATE"), t);
    }

    @Test
    void iommufdActsOnSevEnableDmaAndRefusesTheSevOpsForOtherArchs() {
        // State query and RUN in KVM, so the SEV guest's channel stays in step; SDTE via the typed op.
        ScenarioResult sev = run(Platforms.get("sev-tio"), "happy-bringup", "guest-request.entry=kvm", "guest-request.sdte-write.entry=iommufd");
        String t = trace(sev);
        assertEquals("yes", sev.secureDma(), t);
        assertTrue(t.contains("iommufd: TSM_REQ_SEV_ENABLE_DMA -> domain->ops->tsm_enable(dev0)"), t);
        assertTrue(tdisp.kernel.TsmReqOp.TSM_REQ_SEV_ENABLE_DMA.validFor(tdisp.kernel.TvmArch.SEV));
        assertFalse(tdisp.kernel.TsmReqOp.TSM_REQ_SEV_ENABLE_DMA.validFor(tdisp.kernel.TvmArch.CCA));
        assertTrue(tdisp.kernel.TsmReqOp.TSM_REQ_VALIDATE_MMIO.validFor(tdisp.kernel.TvmArch.TDX));
    }

    @Test
    void theUapiKnobDefaultsToScopeSoOlderDescriptorsMeanWhatTheySaid() {
        assertEquals(GuestRequestUapi.SCOPE, CATALOG.get("iommufd-v5").knobs().guestRequestUapi());
        assertEquals(GuestRequestUapi.TYPED_OP, CATALOG.get("iommufd-typed-op").knobs().guestRequestUapi());
        assertFalse(Knob.GUEST_REQUEST_UAPI.required());
    }
}

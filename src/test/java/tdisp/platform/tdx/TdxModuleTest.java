package tdisp.platform.tdx;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.firmware.TsmFirmware;
import tdisp.device.MmioRange;
import tdisp.device.PciFunction;
import tdisp.device.TdispRequestCode;
import tdisp.iommu.Iommu;
import tdisp.sim.Sim;

/** TDX module rules the kernel paths depend on. */
class TdxModuleTest {
    private final Sim sim = new Sim(7);
    private final PciFunction dev = new PciFunction(0x4100, 0, List.of(new MmioRange(0, 0, 0x10000, true)), sim.split());
    private final Iommu iommu = new Iommu(sim, new int[] {0x4100}, 2, Iommu.Config.fencing(true));

    @Test
    void tdxRefusesPrivateMmioUnmapUntilStopAndEnforcesTsm8() {
        TdxModule fw = new TdxModule(sim, List.of(dev), iommu, 2, TsmFirmware.Faults.NONE);
        fw.launch(0);
        fw.tdhSpdmConnect(0);
        fw.tdhIdeStreamCreate(0);
        assertEquals(TdxModule.SUCCESS, fw.tdhDevifCreate(0, 0, 8));
        assertEquals(TdxModule.SUCCESS, fw.tdhDevifVmmRequest(0, TdispRequestCode.LOCK_INTERFACE_REQUEST));
        assertEquals("TDX_DEVIF_TDISP_INVALID_MSG", fw.tdhDevifVmmRequest(0, TdispRequestCode.START_INTERFACE_REQUEST), "VMM may not START");
        assertEquals(TdxModule.SUCCESS, fw.tdhMmioMap(0, 0));
        assertEquals(TdxModule.SUCCESS, fw.tdgMmioAccept(0, 0));
        fw.tdhMmioBlock(0);
        assertEquals("TDX_DEVIF_TDISP_INVALID_STATE", fw.tdhMmioUnmap(0));
        assertEquals(1, fw.orderingRefusals().size());
        assertEquals("TDX_DEVIF_INVALID_STATE", fw.tdhDevifRemove(0), "DEVIF.REMOVE while locked");
        assertEquals(TdxModule.SUCCESS, fw.tdhDevifVmmRequest(0, TdispRequestCode.STOP_INTERFACE_REQUEST));
        assertEquals(TdxModule.SUCCESS, fw.tdhMmioUnmap(0));
        assertEquals(TdxModule.SUCCESS, fw.tdhDevifRemove(0));
    }

    @Test
    void tdxDevifRemoveNeedsTrustedDmaRemovedFirst() {
        TdxModule fw = new TdxModule(sim, List.of(dev), iommu, 2, TsmFirmware.Faults.NONE);
        fw.launch(0);
        fw.tdhSpdmConnect(0);
        fw.tdhIdeStreamCreate(0);
        fw.tdhDevifCreate(0, 0, 8);
        fw.tdhDmarAdd(0, 0);
        assertEquals(TdxModule.SUCCESS, fw.tdgDmarAccept(0, 0));
        assertEquals("TDX_DMAR_INVALID_MAPPING_STATE", fw.tdhDmarRemove(0), "remove needs BLOCKED");
        assertEquals("TDX_DEVIF_HAS_MAPPED_DMA", fw.tdhDevifRemove(0));
        fw.tdhDmarBlock(0);
        assertEquals(TdxModule.SUCCESS, fw.tdhDmarRemove(0));
        assertEquals(TdxModule.SUCCESS, fw.tdhDevifRemove(0));
    }

    /** Issue 22, point 1: "TDH.MMIO.BLOCK accepts only MAPPED or PENDING entries." */
    @Test
    void aBlockedMmioEntryCannotBeBlockedAgain() {
        TdxModule fw = new TdxModule(sim, List.of(dev), iommu, 2, TsmFirmware.Faults.NONE);
        fw.launch(0);
        fw.tdhSpdmConnect(0);
        fw.tdhIdeStreamCreate(0);
        fw.tdhDevifCreate(0, 0, 8);
        fw.tdhDevifVmmRequest(0, TdispRequestCode.LOCK_INTERFACE_REQUEST);
        fw.tdhMmioMap(0, 0);
        assertEquals(TdxModule.SUCCESS, fw.tdhMmioBlock(0), "a PENDING entry blocks");
        assertEquals("TDX_GPA_RANGE_ALREADY_BLOCKED", fw.tdhMmioBlock(0));
    }
}

package tdisp.firmware;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.device.MmioRange;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.device.TdispRequestCode;
import tdisp.iommu.Iommu;
import tdisp.iommu.SecureEntry;
import tdisp.sim.Sim;

/** Firmware rules the kernel paths depend on, one platform at a time. */
class FirmwareTest {
    private final Sim sim = new Sim(7);
    private final PciFunction dev = new PciFunction(0x4100, 0, List.of(new MmioRange(0, 0, 0x10000, true)), sim.split());
    private final Iommu iommu = new Iommu(sim, new int[] {0x4100}, 2, true);

    @Test
    void sevBindLocksAndRunStartsWithTheNonceOnlyThePspHolds() {
        SevFirmware fw = new SevFirmware(sim, List.of(dev), iommu, 2);
        fw.launch(0);
        fw.tioDevCreate(0);
        fw.tioDevConnect(0);
        fw.tioTdiCreate(0);
        assertEquals(SevFirmware.SUCCESS, fw.tioTdiBind(0, 0, 8, false));
        assertEquals(TdiState.CONFIG_LOCKED, dev.tdiState());
        assertEquals(SevFirmware.IN_USE, fw.tioTdiBind(0, 1, 8, false), "second guest");
        assertEquals(SevFirmware.INVALID_TDI_STATE, fw.tioTdiReclaim(0), "reclaim needs CONFIG_UNLOCKED");
        assertEquals(SevFirmware.SUCCESS, fw.tioTdiBind(0, 0, 0, true));
        assertEquals(TdiState.RUN, dev.tdiState());
        assertEquals(SevFirmware.SUCCESS, fw.tioTdiUnbind(0, false));
        assertEquals(SevFirmware.SUCCESS, fw.tioTdiReclaim(0));
        assertFalse(fw.tdiObjectExists(0));
    }

    @Test
    void sevGuestMessagesAreAuthenticatedAndSequenced() {
        SevFirmware fw = new SevFirmware(sim, List.of(dev), iommu, 2);
        GuestKeys keys = fw.launch(0);
        fw.launch(1);
        fw.tioDevCreate(0);
        fw.tioDevConnect(0);
        fw.tioTdiCreate(0);
        fw.tioTdiBind(0, 0, 8, false);
        byte[] plain = new GuestMessage(GuestMessage.Type.SDTE_WRITE, 8, 1).encode();
        MsgBuf req = new MsgBuf();
        MsgBuf rsp = new MsgBuf();
        req.msgType = 25;
        req.seqno = 1;
        req.guestDeviceId = 8;
        req.len = keys.channel().seal(1, 25, plain, plain.length, req.data);
        MsgBuf bad = new MsgBuf();
        bad.copyFrom(req);
        bad.data[3] ^= 1;
        assertEquals(-1, fw.tioGuestRequest(0, 0, bad, rsp), "tampered");
        assertEquals(-1, fw.tioGuestRequest(0, 1, req, rsp), "another guest's key");
        assertEquals(SecureEntry.State.NONE, iommu.secureEntry(0x4100).state());
        assertEquals(SevFirmware.MSG_SUCCESS, fw.tioGuestRequest(0, 0, req, rsp));
        assertEquals(new SecureEntry(SecureEntry.State.VALID, 0, 8), iommu.secureEntry(0x4100));
        byte[] answer = keys.channel().open(2, 26, java.util.Arrays.copyOf(rsp.data, rsp.len));
        assertNotNull(answer, "the guest can open the response");
        assertEquals(-1, fw.tioGuestRequest(0, 0, req, rsp), "replay");
        assertEquals(1, fw.accepted().size());
    }

    @Test
    void tdxRefusesPrivateMmioUnmapUntilStopAndEnforcesTsm8() {
        TdxModule fw = new TdxModule(sim, List.of(dev), iommu, 2);
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
        TdxModule fw = new TdxModule(sim, List.of(dev), iommu, 2);
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
}

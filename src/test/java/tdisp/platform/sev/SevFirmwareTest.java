package tdisp.platform.sev;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.firmware.TsmFirmware;
import tdisp.device.MmioRange;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.iommu.Iommu;
import tdisp.iommu.SecureEntry;
import tdisp.firmware.GuestKeys;
import tdisp.firmware.GuestMessage;
import tdisp.firmware.MsgBuf;
import tdisp.sim.Sim;

/** SEV-TIO PSP firmware rules the kernel paths depend on. */
class SevFirmwareTest {
    private final Sim sim = new Sim(7);
    private final PciFunction dev = new PciFunction(0x4100, 0, List.of(new MmioRange(0, 0, 0x10000, true)), sim.split());
    private final Iommu iommu = new Iommu(sim, new int[] {0x4100}, 2, Iommu.Config.fencing(true));

    @Test
    void sevBindLocksAndRunStartsWithTheNonceOnlyThePspHolds() {
        SevFirmware fw = new SevFirmware(sim, List.of(dev), iommu, 2, TsmFirmware.Faults.NONE);
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
        SevFirmware fw = new SevFirmware(sim, List.of(dev), iommu, 2, TsmFirmware.Faults.NONE);
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
}

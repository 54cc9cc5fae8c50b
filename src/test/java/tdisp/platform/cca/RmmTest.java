package tdisp.platform.cca;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import tdisp.firmware.TsmFirmware;
import tdisp.device.MmioRange;
import tdisp.device.PciFunction;
import tdisp.device.TdiState;
import tdisp.iommu.Iommu;
import tdisp.iommu.SecureEntry;
import tdisp.sim.Sim;
import tdisp.sim.StateWriter;

/**
 * The RMM's device-assignment rules, one RMI or RSI call at a time (DEN0137 2.0-bet1 as
 * TF-RMM 9a7f8ef4 implements them; names-and-cca.md §4-5, tdisp.md §6.2-6.4).
 */
class RmmTest {
    private final Sim sim = new Sim(7);
    private final PciFunction dev = new PciFunction(0x4100, 0, List.of(new MmioRange(0, 0, 0x10000, true)), sim.split());
    private final Iommu iommu = new Iommu(sim, new int[] {0x4100}, 2, Iommu.Config.fencing(false));
    private final Rmm rmm = new Rmm(sim, List.of(dev), iommu, 2, TsmFirmware.Faults.NONE);

    private void connect() {
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevCreate(0));
        rmm.rmiPdevCommunicate(0);
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevSetPubkey(0));
        rmm.rmiPdevCommunicate(0);
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevStreamConnect(0));
    }

    private void locked() {
        connect();
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevCreate(0, 0, 8));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevLock(0));
    }

    /** The realm's accept flow up to secure DMA, in CcaGuestAbi's order. */
    private void started() {
        locked();
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevGetInterfaceReport(0));
        assertEquals(Rmm.RSI_SUCCESS, rmm.rsiVdevGetInfo(0, 0));
        assertEquals(Rmm.RSI_SUCCESS, rmm.rsiVdevValidateMapping(0, 0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiRttDevMap(0, 0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiRttDevValidate(0, 0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevStart(0));
        assertEquals(Rmm.RSI_SUCCESS, rmm.rsiVdevDmaEnable(0, 0));
    }

    @Test
    void pdevGoesNewNeedsKeyHasKeyReadyAndTheStreamNeedsReady() {
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevCreate(0));
        assertEquals(Rmm.RMI_ERROR_INPUT, rmm.rmiPdevCreate(0), "one PDEV per DSM");
        assertEquals(Rmm.RMI_ERROR_INPUT, rmm.rmiPdevStreamConnect(0), "stream before READY");
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiPdevSetPubkey(0), "key before the identity exchange");
        rmm.rmiPdevCommunicate(0);
        assertEquals(Rmm.PdevState.NEEDS_KEY, rmm.pdevState(0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevSetPubkey(0));
        assertEquals(Rmm.PdevState.HAS_KEY, rmm.pdevState(0));
        rmm.rmiPdevCommunicate(0);
        assertEquals(Rmm.PdevState.READY, rmm.pdevState(0));
        assertFalse(dev.secureLink());
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevStreamConnect(0));
        assertTrue(dev.secureLink(), "IDE stream secure after STREAM_COMPLETE");
    }

    @Test
    void vdevCreateNeedsAReadyPdevWithItsStreamAndStartsUnlocked() {
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevCreate(0, 0, 8), "no PDEV");
        connect();
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevCreate(0, 0, 8));
        assertEquals(Rmm.VdevState.UNLOCKED, rmm.vdevState(0));
        assertEquals(Rmm.RMI_ERROR_INPUT, rmm.rmiVdevCreate(0, 1, 8), "the TDI's ranges are declared once");
        assertEquals(0, rmm.boundVm(0));
    }

    @Test
    void lockOnlyFromUnlockedLocksTheDevice() {
        connect();
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevLock(0), "no VDEV");
        rmm.rmiVdevCreate(0, 0, 8);
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevLock(0));
        assertEquals(TdiState.CONFIG_LOCKED, dev.tdiState());
        assertEquals(Rmm.VdevState.LOCKED, rmm.vdevState(0));
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevLock(0), "LOCKED is not UNLOCKED");
    }

    @Test
    void reportNeedsLockedOrStartedAndStartNeedsLocked() {
        connect();
        rmm.rmiVdevCreate(0, 0, 8);
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevGetInterfaceReport(0), "UNLOCKED has no report");
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevStart(0), "START needs LOCKED");
        rmm.rmiVdevLock(0);
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevGetInterfaceReport(0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevStart(0));
        assertEquals(TdiState.RUN, dev.tdiState());
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevGetInterfaceReport(0), "STARTED still reports");
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevStart(0), "START twice");
    }

    @Test
    void unlockWithDeviceGranulesMappedIsRefusedWithErrorGranuleAndCountsAsAnOrderingRefusal() {
        started();
        assertEquals(Rmm.RMI_ERROR_GRANULE, rmm.rmiVdevUnlock(0));
        assertEquals(Rmm.VdevState.STARTED, rmm.vdevState(0), "nothing changed");
        assertEquals(TdiState.RUN, dev.tdiState());
        assertEquals(1, rmm.orderingRefusals().size());
        // The unmap is allowed in any VDEV state; afterwards the unlock passes and turns the STE off.
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiRttDevUnmap(0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevUnlock(0));
        assertEquals(TdiState.CONFIG_UNLOCKED, dev.tdiState());
        assertFalse(rmm.dmaEnabled(0));
        assertEquals(SecureEntry.State.NONE, iommu.secureEntry(0x4100).state());
    }

    @Test
    void destroyOnlyFromUnlockedAndTheRealmOutlivesNoVdev() {
        started();
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevDestroy(0), "STARTED");
        assertEquals(Rmm.RMI_ERROR_REALM, rmm.rmiRealmDestroy(0), "a VDEV holds the realm");
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiRealmDestroy(1), "another realm is free to go");
        rmm.rmiRttDevUnmap(0);
        rmm.rmiVdevUnlock(0);
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevDestroy(0));
        assertFalse(rmm.tdiObjectExists(0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiRealmDestroy(0));
    }

    @Test
    void deviceMappingsNeedTheRealmsVdevAndValidateNeedsThePendingRequest() {
        locked();
        assertEquals(Rmm.RMI_ERROR_INPUT, rmm.rmiRttDevMap(0, 1), "another realm's TDI");
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiRttDevMap(0, 0));
        assertEquals(Rmm.RMI_ERROR_RTT, rmm.rmiRttDevMap(0, 0), "entry not unassigned");
        assertEquals(Rmm.RMI_ERROR_INPUT, rmm.rmiRttDevValidate(0, 0), "no RSI_VDEV_VALIDATE_MAPPING pending");
        rmm.rsiVdevGetInfo(0, 0);
        assertEquals(Rmm.RSI_SUCCESS, rmm.rsiVdevValidateMapping(0, 0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiRttDevValidate(0, 0));
        assertTrue(rmm.mappingValidated(0));
        assertTrue(rmm.privateMmio(0));
    }

    @Test
    void validateMappingAndDmaEnableRefuseStaleNonces() {
        locked();
        assertEquals(Rmm.RSI_ERROR_DEVICE, rmm.rsiVdevValidateMapping(0, 0), "the realm never read the nonces");
        rmm.rsiVdevGetInfo(0, 0);
        rmm.rmiVdevGetInterfaceReport(0); // the host refreshed the report behind the realm's back
        assertEquals(Rmm.RSI_ERROR_DEVICE, rmm.rsiVdevValidateMapping(0, 0), "stale report nonce");
        rmm.rsiVdevGetInfo(0, 0);
        assertEquals(Rmm.RSI_SUCCESS, rmm.rsiVdevValidateMapping(0, 0));
        assertEquals(Rmm.RSI_ERROR_DEVICE, rmm.rsiVdevDmaEnable(0, 0), "DMA needs STARTED");
        rmm.rmiRttDevMap(0, 0);
        rmm.rmiRttDevValidate(0, 0);
        rmm.rmiVdevStart(0);
        // The host unlocks and locks again: a new lock nonce the realm has not seen.
        rmm.rmiRttDevUnmap(0);
        rmm.rmiVdevUnlock(0);
        rmm.rmiVdevLock(0);
        rmm.rmiVdevStart(0);
        assertEquals(Rmm.RSI_ERROR_DEVICE, rmm.rsiVdevDmaEnable(0, 0), "stale lock nonce after a re-lock");
        rmm.rsiVdevGetInfo(0, 0);
        assertEquals(Rmm.RSI_SUCCESS, rmm.rsiVdevDmaEnable(0, 0));
        assertEquals(SecureEntry.State.VALID, iommu.secureEntry(0x4100).state());
        assertEquals(Rmm.RSI_ERROR_INPUT, rmm.rsiVdevGetInfo(0, 1), "another realm cannot ask");
    }

    @Test
    void getInfoReportsTheVdevStateTheRmmLastSaw() {
        locked();
        rmm.rsiVdevGetInfo(0, 0);
        assertEquals(TdiState.CONFIG_LOCKED, rmm.infoState(0));
        dev.injectError();
        // The RMM learns of the ERROR only through a device exchange the host drives.
        assertEquals(TdiState.CONFIG_LOCKED, rmm.infoState(0));
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevGetInterfaceReport(0));
        assertEquals(Rmm.VdevState.ERROR, rmm.vdevState(0));
        assertEquals(TdiState.ERROR, rmm.infoState(0));
        // An ERROR VDEV must be unlocked before it can be destroyed.
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiVdevDestroy(0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevUnlock(0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiVdevDestroy(0));
    }

    @Test
    void theLinkGoesOnlyAfterEveryVdev() {
        locked();
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiPdevStreamDisconnect(0));
        assertEquals(Rmm.RMI_ERROR_DEVICE, rmm.rmiPdevStopAndDestroy(0));
        assertEquals(TdiState.CONFIG_LOCKED, dev.tdiState(), "the refused disconnect did not touch the stream");
        rmm.rmiVdevUnlock(0);
        rmm.rmiVdevDestroy(0);
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevStreamDisconnect(0));
        assertEquals(Rmm.RMI_SUCCESS, rmm.rmiPdevStopAndDestroy(0));
        assertEquals(Rmm.PdevState.NONE, rmm.pdevState(0));
    }

    @Test
    void aLockUnlockCycleComesBackToTheSameCanonicalState() {
        connect();
        rmm.rmiVdevCreate(0, 0, 8);
        int[] before = canonical();
        for (int i = 0; i < 3; i++) {
            rmm.rmiVdevLock(0);
            rmm.rsiVdevGetInfo(0, 0);
            rmm.rmiVdevUnlock(0);
        }
        assertArrayEquals(before, canonical(), "nonce generations are not state; their relation is");
        rmm.rmiVdevLock(0);
        int[] lockedUnread = canonical();
        rmm.rsiVdevGetInfo(0, 0);
        assertFalse(Arrays.equals(lockedUnread, canonical()), "the realm holding the current nonce is state");
    }

    private int[] canonical() {
        StateWriter w = new StateWriter();
        w.canonical(new int[] {0, 1});
        rmm.save(w);
        return w.ints();
    }
}

package tdisp.rediscover;

import java.util.List;

import tdisp.platform.Platforms;

/**
 * The catalogue of known upstream bugs {@code tdisp rediscover} searches for, in report
 * order: each is explored with its buggy and with its fixed knobs.
 */
public final class KnownBugs {
    private KnownBugs() {}

    public static final List<KnownBug> ALL = List.of(
            new KnownBug("iommufd-legacy-destroy-order", "iommufd-v5", Platforms.get("sev-tio"),
                    List.of("iommufd.destroy-order=legacy", "vfio.last-close=unbind-first"),
                    List.of("iommufd.destroy-order=vdevice-first", "vfio.last-close=unbind-first"), "I1", "pci_clear_master",
                    "pre-6.17 iommufd: the idevice dies under a live vDEVICE, so VFIO's close disables a still-bound TDI"),
            new KnownBug("vfio-close-device-first", "iommufd-v5", Platforms.get("sev-tio"),
                    List.of("vfio.last-close=close-device-first"), List.of("vfio.last-close=unbind-first"), "I1", "pci_clear_master",
                    "vfio_df_device_last_close() runs close_device (BME=MSE=0, FLR) before the TSM unbind"),
            new KnownBug("tdx-zap-while-bound", "vfio-ioctl", Platforms.get("tdx-connect"),
                    List.of("vfio.on-host-event=none"), List.of("vfio.on-host-event=unbind-first"), "I2", "tdx_sept_drop_private_spte",
                    "VFIO zaps private MMIO of a bound TDX TDI: TDH.MMIO.UNMAP refused"));
}

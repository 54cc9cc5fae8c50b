package tdisp.device;

/**
 * How a function resets when the PCI core resets it alone: the first method in
 * {@code dev->reset_methods[]} that works (drivers/pci/pci.c pci_reset_fn_methods[], probed by
 * pci_init_reset_methods(); 7.2). A property of the device, not of the caller: VFIO's
 * {@code VFIO_DEVICE_RESET}, an emulated FLR and the last close all reach
 * {@code __pci_reset_function_locked()}, which uses it. Device-specific, ACPI and CXL resets
 * are not modelled.
 *
 * @param fn the reset function of pci_reset_fn_methods[]
 */
public enum ResetMethod {
    /** PCIe FLR (pcie_reset_flr): TDISP §11.4.9, LOCKED/RUN go to ERROR. */
    FLR("flr", "pcie_reset_flr"),
    /** D0 -> D3hot -> D0 (pci_pm_reset) on a function without No_Soft_Reset: the state is lost. */
    PM("pm", "pci_pm_reset"),
    /** Secondary bus reset of the function's bus (pci_reset_bus_function): a conventional reset. */
    BUS("bus", "pci_reset_bus_function");

    private final String token;
    private final String fn;

    ResetMethod(String token, String fn) {
        this.token = token;
        this.fn = fn;
    }

    /** The name in /sys/bus/pci/devices/.../reset_method. */
    public String token() { return token; }

    public String fn() { return fn; }
}

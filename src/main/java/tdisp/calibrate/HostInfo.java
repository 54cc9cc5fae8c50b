package tdisp.calibrate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the machine says about itself, read from procfs and sysfs under {@code root} ("/"
 * in use, a made-up tree in tests): CPU model, kernel release, which KVM module provides
 * /dev/kvm, the load at the start, and whether this host is itself a guest. The last comes
 * from three witnesses: the CPUID hypervisor bit (leaf 1 ECX bit 31, the "hypervisor" flag
 * in /proc/cpuinfo), /sys/hypervisor/type (Xen), and the DMI system vendor and product.
 */
public record HostInfo(String cpuModel, String kernel, String kvmModule, boolean nested, String nestedEvidence, String loadAverage) {
    private static final List<String> VIRTUAL_VENDORS = List.of("qemu", "kvm", "xen", "vmware", "innotek", "virtualbox", "parallels",
            "amazon ec2", "google", "microsoft corporation virtual", "bochs", "openstack", "firecracker", "cloud hypervisor");

    public static HostInfo detect() { return detect(Path.of("/")); }

    public static HostInfo detect(Path root) {
        String cpuinfo = read(root.resolve("proc/cpuinfo"));
        String model = field(cpuinfo, "model name");
        String flags = " " + field(cpuinfo, "flags") + " ";
        String kernel = read(root.resolve("proc/sys/kernel/osrelease")).trim();
        if (kernel.isEmpty()) kernel = System.getProperty("os.version", "unknown");
        List<String> modules = new ArrayList<>();
        for (String m : List.of("kvm_intel", "kvm_amd", "kvm_pvm")) if (Files.isDirectory(root.resolve("sys/module/" + m))) modules.add(m);

        List<String> evidence = new ArrayList<>();
        if (flags.contains(" hypervisor ")) evidence.add("cpuinfo hypervisor flag");
        String xen = read(root.resolve("sys/hypervisor/type")).trim();
        if (!xen.isEmpty()) evidence.add("/sys/hypervisor/type " + xen);
        String dmi = (read(root.resolve("sys/class/dmi/id/sys_vendor")).trim() + " " + read(root.resolve("sys/class/dmi/id/product_name")).trim()).trim();
        String lower = dmi.toLowerCase(Locale.ROOT);
        if (VIRTUAL_VENDORS.stream().anyMatch(lower::contains)) evidence.add("DMI " + dmi);
        String load = read(root.resolve("proc/loadavg")).trim();
        String[] l = load.split("\\s+");
        return new HostInfo(model.isEmpty() ? "unknown CPU" : model, kernel, modules.isEmpty() ? "no kvm module seen" : String.join("+", modules),
                !evidence.isEmpty(), evidence.isEmpty() ? "no hypervisor flag, /sys/hypervisor or virtual DMI" : String.join(", ", evidence),
                l.length >= 3 ? l[0] + " " + l[1] + " " + l[2] : "unknown");
    }

    /** One line for reports and for the source column. */
    public String describe() {
        return cpuModel + ", Linux " + kernel + ", " + kvmModule + ", " + (nested ? "nested (" + nestedEvidence + ")" : "not nested (" + nestedEvidence + ")");
    }

    private static String field(String cpuinfo, String key) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) return line.substring(colon + 1).trim();
        }
        return "";
    }

    private static String read(Path p) {
        try {
            return Files.isReadable(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }
}

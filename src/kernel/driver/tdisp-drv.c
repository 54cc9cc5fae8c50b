// SPDX-License-Identifier: Apache-2.0
/*
 * tdisp-drv: the guest half of src/kernel/record. Runs one scenario of
 * issue #20 against a PCI function bound to vfio-pci (or, for the
 * iommufd selftest scenarios, the IOMMUFD_TEST mock device), writing a
 * phase marker to tracefs before each step so the trace can be cut
 * into phases.
 *
 * Built with gcc -static at record time against the recorded tree's
 * `make headers_install` output; iommufd_test.h is not exported, so it
 * comes from the tree through -I (the selftest includes it the same
 * way). Nothing here copies a kernel header.
 *
 *   tdisp-drv SCENARIO BDF [PF-BDF]
 *
 * A line "TDISP-HOST: <monitor command>" on stdout asks the recorder
 * to type that command into the QEMU monitor (AER, hot-unplug).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include "../../../../drivers/iommu/iommufd/iommufd_test.h"

static int marker_fd = -1;

/* A phase marker: "tdisp: <text>" in the trace, echoed on stdout. */
static void mark(const char *fmt, ...)
{
	char buf[200];
	int n = snprintf(buf, sizeof(buf), "tdisp: ");
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (marker_fd >= 0 && write(marker_fd, buf, strlen(buf)) < 0)
		perror("trace_marker");
	printf("%s\n", buf);
	fflush(stdout);
}

static void die(const char *what)
{
	fprintf(stdout, "TDISP-FAIL: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

/* Ask the recorder for a QEMU monitor command. */
static void host(const char *cmd)
{
	printf("TDISP-HOST: %s\n", cmd);
	fflush(stdout);
}

struct vdev {
	const char *bdf;
	int fd;		/* VFIO cdev */
	int dmabuf;	/* exported BAR */
	uint32_t devid;
	uint64_t cfg_off;	/* config region offset */
	int bar;
};

static int iommufd = -1;
static uint32_t ioas_id;

static int open_cdev(const char *bdf)
{
	char path[300];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	d = opendir(path);
	if (!d)
		die(path);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "vfio", 4))
			break;
	if (!e)
		die("no vfio-dev entry");
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", e->d_name);
	closedir(d);
	return open(path, O_RDWR);
}

static void open_iommufd(void)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };

	iommufd = open("/dev/iommu", O_RDWR);
	if (iommufd < 0)
		die("open /dev/iommu");
	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc))
		die("IOMMU_IOAS_ALLOC");
	ioas_id = alloc.out_ioas_id;
}

/* The first memory BAR at least a page long: the one to export. */
static int pick_bar(struct vdev *v)
{
	int i;

	for (i = VFIO_PCI_BAR0_REGION_INDEX; i <= VFIO_PCI_BAR5_REGION_INDEX; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };

		if (ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &ri))
			continue;
		if (ri.size >= 4096 && (ri.flags & VFIO_REGION_INFO_FLAG_MMAP))
			return i;
	}
	return -1;
}

/*
 * The common setup of every VFIO scenario: open the cdev, bind it to
 * iommufd, attach the IOAS, export a BAR page as a dma-buf.
 */
static void setup(struct vdev *v, const char *bdf, int token)
{
	/* The VF token: any fixed UUID; the PF's open sets it. */
	static const uint8_t token_uuid[16] = {
		0x74, 0x64, 0x69, 0x73, 0x70, 0x2d, 0x48, 0x61,
		0x82, 0x6e, 0x65, 0x73, 0x73, 0x2d, 0x76, 0x66,
	};
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind), .iommufd = iommufd,
	};
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach), .pt_id = ioas_id,
	};
	struct vfio_region_info cfg = {
		.argsz = sizeof(cfg), .index = VFIO_PCI_CONFIG_REGION_INDEX,
	};
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_dma_buf db;
		struct vfio_region_dma_range r;
	} req;

	v->bdf = bdf;
	mark("open %s", bdf);
	v->fd = open_cdev(bdf);
	if (v->fd < 0)
		die("open vfio cdev");
	if (token) {
		/* With the PF bound to vfio-pci, the PF's first open
		 * sets the VF token (it starts random) and the VF
		 * must present the same one. */
		bind.flags = VFIO_DEVICE_BIND_FLAG_TOKEN;
		bind.token_uuid_ptr = (uintptr_t)token_uuid;
	}
	mark("bind %s", bdf);
	if (ioctl(v->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		die("VFIO_DEVICE_BIND_IOMMUFD");
	v->devid = bind.out_devid;
	mark("attach %s", bdf);
	if (ioctl(v->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach))
		die("VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	if (ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &cfg))
		die("config region info");
	v->cfg_off = cfg.offset;
	v->bar = pick_bar(v);
	if (v->bar < 0)
		die("no memory BAR to export");
	memset(&req, 0, sizeof(req));
	req.f.argsz = sizeof(req);
	req.f.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF;
	req.db.region_index = v->bar;
	req.db.open_flags = O_RDWR | O_CLOEXEC;
	req.db.nr_ranges = 1;
	req.r.offset = 0;
	req.r.length = 4096;
	mark("export dmabuf %s bar%d", bdf, v->bar);
	v->dmabuf = ioctl(v->fd, VFIO_DEVICE_FEATURE, &req);
	if (v->dmabuf < 0)
		die("VFIO_DEVICE_FEATURE_DMA_BUF");
}

static uint16_t cfg_read16(struct vdev *v, unsigned int off)
{
	uint16_t val;

	if (pread(v->fd, &val, 2, v->cfg_off + off) != 2)
		die("config read");
	return val;
}

static void cfg_write16(struct vdev *v, unsigned int off, uint16_t val)
{
	if (pwrite(v->fd, &val, 2, v->cfg_off + off) != 2)
		die("config write");
}

/* The PCI Express capability, walked through VFIO's virtual config. */
static unsigned int find_exp_cap(struct vdev *v)
{
	unsigned int pos = cfg_read16(v, PCI_CAPABILITY_LIST) & 0xfc;
	int n = 48;

	while (pos && n--) {
		uint16_t hdr = cfg_read16(v, pos);

		if ((hdr & 0xff) == PCI_CAP_ID_EXP)
			return pos;
		pos = (hdr >> 8) & 0xfc;
	}
	errno = ENOENT;
	die("no PCI Express capability");
	return 0;
}

static void close_fd(const char *what, int *fd)
{
	mark("close %s", what);
	close(*fd);
	*fd = -1;
}

/* The end of every VFIO scenario that still holds its fds. */
static void teardown(struct vdev *v)
{
	if (v->fd >= 0)
		close_fd("vfio", &v->fd);
	if (v->dmabuf >= 0)
		close_fd("dmabuf", &v->dmabuf);
	if (iommufd >= 0)
		close_fd("iommufd", &iommufd);
}

static int wait_eventfd(int efd, int ms)
{
	struct pollfd p = { .fd = efd, .events = POLLIN };
	uint64_t n;

	if (poll(&p, 1, ms) != 1)
		return 0;
	if (read(efd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return 1;
}

/* An eventfd on one of vfio-pci's ERR or REQ interrupts. */
static int irq_eventfd(struct vdev *v, unsigned int index)
{
	struct {
		struct vfio_irq_set s;
		int32_t fd;
	} set;
	int efd = eventfd(0, EFD_CLOEXEC);

	if (efd < 0)
		die("eventfd");
	memset(&set, 0, sizeof(set));
	set.s.argsz = sizeof(set);
	set.s.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	set.s.index = index;
	set.s.start = 0;
	set.s.count = 1;
	set.fd = efd;
	if (ioctl(v->fd, VFIO_DEVICE_SET_IRQS, &set))
		die("VFIO_DEVICE_SET_IRQS");
	return efd;
}

static void feature_set(struct vdev *v, uint32_t feature, const char *what)
{
	struct vfio_device_feature f = {
		.argsz = sizeof(f), .flags = VFIO_DEVICE_FEATURE_SET | feature,
	};

	mark("%s", what);
	if (ioctl(v->fd, VFIO_DEVICE_FEATURE, &f))
		die(what);
}

static void cmd_bits(struct vdev *v, uint16_t bit, int on, const char *what)
{
	uint16_t cmd = cfg_read16(v, PCI_COMMAND);

	mark("%s", what);
	cfg_write16(v, PCI_COMMAND, on ? (cmd | bit) : (cmd & ~bit));
}

static int vfio_scenario(const char *s, const char *bdf, const char *pf)
{
	struct vdev v = { .fd = -1, .dmabuf = -1 };
	struct vdev p = { .fd = -1, .dmabuf = -1 };

	open_iommufd();
	if (!strcmp(s, "sriov-vf-reset-via-pf")) {
		/* The PF is opened through VFIO first (same iommufd), which
		 * sets the VF token; then the VF with its dma-buf; then the
		 * PF is reset while the VF is in use. */
		setup(&p, pf, 1);
		setup(&v, bdf, 1);
		mark("setup-done");
		mark("reset pf %s", pf);
		if (ioctl(p.fd, VFIO_DEVICE_RESET))
			mark("reset pf: %s", strerrorname_np(errno));
		/* QEMU's nvme drops its VFs on a PF function reset
		 * (pcie_sriov_pf_disable_vfs): the VF is gone on the
		 * wire while the kernel still has it open. */
		close_fd("vfio pf", &p.fd);
		close_fd("dmabuf pf", &p.dmabuf);
		teardown(&v);
		return 0;
	}
	setup(&v, bdf, 0);
	mark("setup-done");
	if (!strcmp(s, "close-vfio-first")) {
		teardown(&v);
	} else if (!strcmp(s, "close-iommufd-first")) {
		close_fd("iommufd", &iommufd);
		teardown(&v);
	} else if (!strcmp(s, "vfio-device-reset")) {
		mark("VFIO_DEVICE_RESET");
		if (ioctl(v.fd, VFIO_DEVICE_RESET))
			die("VFIO_DEVICE_RESET");
		teardown(&v);
	} else if (!strcmp(s, "config-clear-mse")) {
		cmd_bits(&v, PCI_COMMAND_MEMORY, 0, "clear mse");
		cmd_bits(&v, PCI_COMMAND_MEMORY, 1, "set mse");
		teardown(&v);
	} else if (!strcmp(s, "config-clear-bme")) {
		cmd_bits(&v, PCI_COMMAND_MASTER, 1, "set bme");
		cmd_bits(&v, PCI_COMMAND_MASTER, 0, "clear bme");
		teardown(&v);
	} else if (!strcmp(s, "config-flr")) {
		unsigned int exp = find_exp_cap(&v);
		uint16_t ctl = cfg_read16(&v, exp + PCI_EXP_DEVCTL);

		mark("initiate flr");
		cfg_write16(&v, exp + PCI_EXP_DEVCTL, ctl | PCI_EXP_DEVCTL_BCR_FLR);
		teardown(&v);
	} else if (!strcmp(s, "runtime-pm")) {
		feature_set(&v, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
			    "low-power entry");
		sleep(3);	/* runtime suspend runs from a worker */
		feature_set(&v, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT,
			    "low-power exit");
		teardown(&v);
	} else if (!strcmp(s, "secondary-bus-reset")) {
		/* cdev form: no group fds, ownership through iommufd. */
		struct vfio_pci_hot_reset r = { .argsz = sizeof(r) };

		mark("VFIO_DEVICE_PCI_HOT_RESET");
		if (ioctl(v.fd, VFIO_DEVICE_PCI_HOT_RESET, &r))
			die("VFIO_DEVICE_PCI_HOT_RESET");
		teardown(&v);
	} else if (!strcmp(s, "aer-inject")) {
		int efd = irq_eventfd(&v, VFIO_PCI_ERR_IRQ_INDEX);

		mark("aer inject");
		host("pcie_aer_inject_error dev0 DLP");
		mark(wait_eventfd(efd, 60000) ? "err eventfd signalled"
					      : "err eventfd timeout");
		sleep(3);	/* let recovery finish */
		teardown(&v);
	} else if (!strcmp(s, "hot-unplug-open")) {
		int efd = irq_eventfd(&v, VFIO_PCI_REQ_IRQ_INDEX);
		char path[256];
		int i;

		mark("device_del");
		host("device_del dev0");
		mark(wait_eventfd(efd, 120000) ? "req eventfd signalled"
					       : "req eventfd timeout");
		teardown(&v);
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
		for (i = 0; i < 300 && access(path, F_OK) == 0; i++)
			usleep(100000);
		mark(access(path, F_OK) ? "removed" : "still present");
	} else if (!strcmp(s, "closed-fd-ioctl")) {
		int fd = v.fd, dfd = v.dmabuf;
		uint16_t cmd = 0;

		close_fd("vfio", &v.fd);
		mark("ioctl closed fd");
		if (ioctl(fd, VFIO_DEVICE_RESET) < 0)
			mark("ioctl: %s", strerrorname_np(errno));
		mark("pwrite closed fd");
		if (pwrite(fd, &cmd, 2, v.cfg_off + PCI_COMMAND) < 0)
			mark("pwrite: %s", strerrorname_np(errno));
		(void)dfd;
		teardown(&v);
	} else {
		return 2;
	}
	return 0;
}

/* The iommufd selftest mock device: vIOMMU and vDEVICE lifetimes. */
static int destroy(uint32_t id, const char *what)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };
	int r;

	mark("IOMMU_DESTROY %s", what);
	r = ioctl(iommufd, IOMMU_DESTROY, &d);
	if (r)
		mark("IOMMU_DESTROY %s: %s", what, strerrorname_np(errno));
	return r;
}

static int mock_scenario(const char *s)
{
	struct iommu_test_cmd md = {
		.size = sizeof(md), .op = IOMMU_TEST_OP_MOCK_DOMAIN,
	};
	struct iommu_hwpt_alloc hw = {
		.size = sizeof(hw), .flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
	};
	struct iommu_viommu_alloc vi = {
		.size = sizeof(vi), .type = IOMMU_VIOMMU_TYPE_SELFTEST,
	};
	struct iommu_vdevice_alloc vd = { .size = sizeof(vd), .virt_id = 0x99 };
	uint32_t stdev, idev;

	open_iommufd();
	mark("mock device");
	md.id = ioas_id;
	if (ioctl(iommufd, IOMMU_TEST_CMD, &md))
		die("IOMMU_TEST_OP_MOCK_DOMAIN");
	stdev = md.mock_domain.out_stdev_id;
	idev = md.mock_domain.out_idev_id;
	mark("hwpt alloc nest parent");
	hw.dev_id = idev;
	hw.pt_id = ioas_id;
	if (ioctl(iommufd, IOMMU_HWPT_ALLOC, &hw))
		die("IOMMU_HWPT_ALLOC");
	mark("setup-done");
	mark("viommu alloc");
	vi.dev_id = idev;
	vi.hwpt_id = hw.out_hwpt_id;
	if (ioctl(iommufd, IOMMU_VIOMMU_ALLOC, &vi))
		die("IOMMU_VIOMMU_ALLOC");
	mark("vdevice alloc");
	vd.viommu_id = vi.out_viommu_id;
	vd.dev_id = idev;
	if (ioctl(iommufd, IOMMU_VDEVICE_ALLOC, &vd))
		die("IOMMU_VDEVICE_ALLOC");
	if (!strcmp(s, "destroy-vdevice-in-use")) {
		/* The vIOMMU is in use by the vDEVICE; then the vDEVICE,
		 * in use by its bound idevice, goes first. */
		destroy(vi.out_viommu_id, "viommu");
		destroy(vd.out_vdevice_id, "vdevice");
		destroy(vi.out_viommu_id, "viommu");
	} else if (!strcmp(s, "idevice-unbind-with-vdevice")) {
		/* Destroying the selftest device object unbinds its idevice
		 * while the vDEVICE still points at it. */
		destroy(stdev, "mock device");
		destroy(vd.out_vdevice_id, "vdevice");
	} else if (strcmp(s, "viommu-vdevice-alloc")) {
		return 2;
	}
	close_fd("iommufd", &iommufd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *s;
	int r;

	if (argc < 2) {
		fprintf(stderr, "usage: tdisp-drv SCENARIO [BDF [PF-BDF]]\n");
		return 2;
	}
	s = argv[1];
	marker_fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY);
	if (marker_fd < 0)
		die("trace_marker");
	if (!strcmp(s, "viommu-vdevice-alloc") ||
	    !strcmp(s, "destroy-vdevice-in-use") ||
	    !strcmp(s, "idevice-unbind-with-vdevice"))
		r = mock_scenario(s);
	else if (argc >= 3)
		r = vfio_scenario(s, argv[2], argc >= 4 ? argv[3] : NULL);
	else
		r = 2;
	if (r == 2)
		fprintf(stderr, "tdisp-drv: unknown scenario or missing BDF: %s\n", s);
	mark("done");
	return r;
}

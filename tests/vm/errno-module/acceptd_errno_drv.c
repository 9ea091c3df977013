// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module of the VM tier (scenario 21-bind-errors): the driver of acceptd_errno_devs.ko's devices. Its
 * probe fails as the device's name says, so that a write to the driver's bind file returns that errno from the
 * real driver core (drivers/base/dd.c: device_driver_attach() returns the probe's error, -EPROBE_DEFER as -EAGAIN):
 *   acceptd-defer  -EPROBE_DEFER on every probe (EAGAIN)
 *   acceptd-late   -EPROBE_DEFER until the guest writes 1 to the late_ready parameter, then binds
 *   acceptd-nodev  -ENODEV
 *   acceptd-busy   -EBUSY (while the device is unbound: no other driver holds it)
 *   acceptd-ok     binds (the control)
 * Each probe is counted in /sys/module/acceptd_errno_drv/parameters/probes_<kind>, so the guest sees every retry.
 */
#include <linux/errno.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/string.h>
#include <linux/compiler.h>

enum kind { DEFER, LATE, NODEV, BUSY, OK, UNKNOWN };

static int probes_defer, probes_late, probes_nodev, probes_busy, probes_ok;
module_param(probes_defer, int, 0444);
MODULE_PARM_DESC(probes_defer, "probes of acceptd-defer so far");
module_param(probes_late, int, 0444);
MODULE_PARM_DESC(probes_late, "probes of acceptd-late so far");
module_param(probes_nodev, int, 0444);
MODULE_PARM_DESC(probes_nodev, "probes of acceptd-nodev so far");
module_param(probes_busy, int, 0444);
MODULE_PARM_DESC(probes_busy, "probes of acceptd-busy so far");
module_param(probes_ok, int, 0444);
MODULE_PARM_DESC(probes_ok, "probes of acceptd-ok so far");
static bool late_ready;
module_param(late_ready, bool, 0644);
MODULE_PARM_DESC(late_ready, "whether the probe of acceptd-late succeeds (else it defers)");

static const struct platform_device_id errno_ids[];

/*
 * The kind from the device's name, not platform_get_device_id(): with driver_override set (as AcceptD binds),
 * platform_match() accepts the device without looking at the id table, so pdev->id_entry stays NULL.
 */
static kernel_ulong_t kind_of(struct platform_device *pdev)
{
	const struct platform_device_id *id;

	for (id = errno_ids; id->name[0]; id++)
		if (!strcmp(id->name, pdev->name))
			return id->driver_data;
	return UNKNOWN;
}

static int errno_probe(struct platform_device *pdev)
{
	switch (kind_of(pdev)) {
	case DEFER:
		probes_defer++;
		return -EPROBE_DEFER;
	case LATE:
		probes_late++;
		return READ_ONCE(late_ready) ? 0 : -EPROBE_DEFER;
	case NODEV:
		probes_nodev++;
		return -ENODEV;
	case BUSY:
		probes_busy++;
		return -EBUSY;
	case OK:
		probes_ok++;
		return 0;
	default: /* another platform device pointed at this driver through driver_override */
		return -ENODEV;
	}
}

static const struct platform_device_id errno_ids[] = {
	{ "acceptd-defer", DEFER },
	{ "acceptd-late", LATE },
	{ "acceptd-nodev", NODEV },
	{ "acceptd-busy", BUSY },
	{ "acceptd-ok", OK },
	{ }
};
MODULE_DEVICE_TABLE(platform, errno_ids);

static struct platform_driver errno_driver = {
	.driver = { .name = "acceptd_errno" },
	.probe = errno_probe,
	.id_table = errno_ids,
};
module_platform_driver(errno_driver);

MODULE_DESCRIPTION("AcceptD VM test: a platform driver whose probe fails with a chosen errno");
MODULE_LICENSE("GPL");

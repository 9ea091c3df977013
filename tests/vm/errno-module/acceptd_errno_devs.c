// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module of the VM tier (scenario 21-bind-errors): registers one platform device per kernel errno
 * a bind write can return. acceptd_errno_drv.ko is their driver; its probe fails on purpose.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static const char *const names[] = { "acceptd-defer", "acceptd-late", "acceptd-nodev", "acceptd-busy", "acceptd-ok" };
static struct platform_device *devices[ARRAY_SIZE(names)];

static void unregister_all(void)
{
	int i;

	for (i = ARRAY_SIZE(devices) - 1; i >= 0; i--)
		if (!IS_ERR_OR_NULL(devices[i]))
			platform_device_unregister(devices[i]);
}

static int __init errno_devs_init(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		devices[i] = platform_device_register_simple(names[i], PLATFORM_DEVID_NONE, NULL, 0);
		if (IS_ERR(devices[i])) {
			int err = PTR_ERR(devices[i]);

			unregister_all();
			return err;
		}
	}
	return 0;
}

static void __exit errno_devs_exit(void)
{
	unregister_all();
}

module_init(errno_devs_init);
module_exit(errno_devs_exit);
MODULE_DESCRIPTION("AcceptD VM test: platform devices whose probe fails with a chosen errno");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * The bugs that no in-tree module makes on demand, made on purpose so that
 * the harness can show that the debug kernel's detectors report them
 * (make test DEBUG=1 INJECT=lockdep|atomic-sleep must fail). Loading it
 * with what=<bug> makes the bug once and fails the load.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/string.h>

static char *what = "";
module_param(what, charp, 0);
MODULE_PARM_DESC(what, "the bug to make: lockdep or atomic-sleep");

static DEFINE_MUTEX(inject_a);
static DEFINE_MUTEX(inject_b);

/* A then B, later B then A: lockdep reports the cycle, nothing deadlocks */
static void inject_lock_cycle(void)
{
	mutex_lock(&inject_a);
	mutex_lock(&inject_b);
	mutex_unlock(&inject_b);
	mutex_unlock(&inject_a);

	mutex_lock(&inject_b);
	mutex_lock(&inject_a);
	mutex_unlock(&inject_a);
	mutex_unlock(&inject_b);
}

/*
 * mutex_lock() may sleep: DEBUG_ATOMIC_SLEEP's might_sleep() check reports
 * it with preemption off even when the mutex is free and nothing sleeps
 */
static void inject_atomic_sleep(void)
{
	preempt_disable();
	mutex_lock(&inject_a);
	mutex_unlock(&inject_a);
	preempt_enable();
}

static int __init klp_inject_init(void)
{
	if (!strcmp(what, "lockdep"))
		inject_lock_cycle();
	else if (!strcmp(what, "atomic-sleep"))
		inject_atomic_sleep();
	else
		return -EINVAL;

	pr_info("klp_inject: made the '%s' bug\n", what);
	/* Nothing to keep loaded */
	return -EAGAIN;
}
module_init(klp_inject_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Bugs made on purpose for the klp-late harness");

// SPDX-License-Identifier: GPL-2.0
/*
 * nicrefill.ko - a NIC-like RX ring refill pattern for kmem tracing.
 *
 * Mimics a driver without scatter/gather that receives 9000-byte (jumbo
 * MTU) frames into 16 KiB + pad buffers: an RX ring of `ring` buffers, each
 * an order-`order` compound page from alloc_pages(GFP_ATOMIC | __GFP_COMP).
 * Everything runs from softirq context (a timer_list callback, i.e.
 * TIMER_SOFTIRQ), once per jiffy:
 *   - the first tick fills the whole ring;
 *   - every tick "receives" `burst` packets: the buffer in the ring slot
 *     goes to a pending queue (the network stack still owns it) and the
 *     slot is refilled at once with a fresh allocation; an allocation
 *     failure leaves the slot empty and it is retried on a later tick;
 *   - pending buffers are freed (__free_pages) `delay_ms` after they were
 *     received (at least one jiffy later), as if the stack consumed them.
 * After `count` packets the ring and the pending queue are freed and
 * module init returns (insmod blocks until then, at most `timeout_s`).
 *
 * Parameters: order (3), ring (256), count (10000), burst (16),
 * delay_ms (10), timeout_s (300).  Results (read-only, also printed):
 * allocated, freed, failed, received.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/jiffies.h>
#include <linux/completion.h>

static int order = 3;
module_param(order, int, 0444);
MODULE_PARM_DESC(order, "order of each RX buffer (3 = 32 KiB)");
static int ring = 256;
module_param(ring, int, 0444);
MODULE_PARM_DESC(ring, "RX ring size (buffers)");
static int count = 10000;
module_param(count, int, 0444);
MODULE_PARM_DESC(count, "packets to receive before stopping");
static int burst = 16;
module_param(burst, int, 0444);
MODULE_PARM_DESC(burst, "packets received per timer tick (jiffy)");
static int delay_ms = 10;
module_param(delay_ms, int, 0444);
MODULE_PARM_DESC(delay_ms, "time a received buffer is held before it is freed");
static int timeout_s = 300;
module_param(timeout_s, int, 0444);
MODULE_PARM_DESC(timeout_s, "give up after this many seconds");

static unsigned long allocated, freed, failed, received;
module_param(allocated, ulong, 0444);
module_param(freed, ulong, 0444);
module_param(failed, ulong, 0444);
module_param(received, ulong, 0444);

#define PEND_MAX 8192
struct pend {
	struct page *page;
	unsigned long when;
};

static struct page **rx;
static struct pend *pq;
static unsigned int pq_head, pq_len;	/* circular queue, oldest at pq_head */
static unsigned int rx_next;
static bool filled, stopping, finished;
static struct timer_list tick;
static DECLARE_COMPLETION(done);

static struct page *rx_alloc(void)
{
	struct page *p = alloc_pages(GFP_ATOMIC | __GFP_COMP, order);

	if (p)
		allocated++;
	else
		failed++;
	return p;
}

static void buf_free(struct page *p)
{
	__free_pages(p, order);
	freed++;
}

static void pq_pop_free(void)
{
	buf_free(pq[pq_head].page);
	pq_head = (pq_head + 1) % PEND_MAX;
	pq_len--;
}

static void release_all(void)
{
	int i;

	while (pq_len)
		pq_pop_free();
	for (i = 0; i < ring; i++) {
		if (rx[i]) {
			buf_free(rx[i]);
			rx[i] = NULL;
		}
	}
}

static void tick_fn(struct timer_list *t)
{
	unsigned long hold = max(1UL, msecs_to_jiffies(delay_ms));
	int i;

	if (stopping)
		return;
	/* the stack is done with buffers received delay_ms ago */
	while (pq_len && time_after_eq(jiffies, pq[pq_head].when))
		pq_pop_free();

	if (!filled) {
		for (i = 0; i < ring; i++)
			rx[i] = rx_alloc();
		filled = true;
	} else {
		for (i = 0; i < burst && received < (unsigned long)count; i++) {
			struct page *p = rx[rx_next];

			if (p) {	/* a frame arrived in this buffer */
				if (pq_len == PEND_MAX)
					pq_pop_free();
				pq[(pq_head + pq_len) % PEND_MAX] =
					(struct pend){ p, jiffies + hold };
				pq_len++;
				received++;
			}
			rx[rx_next] = rx_alloc();	/* refill the slot */
			rx_next = (rx_next + 1) % ring;
		}
	}

	if (received >= (unsigned long)count && !pq_len) {
		release_all();	/* interface down: the ring goes too */
		finished = true;
		complete(&done);
		return;
	}
	mod_timer(&tick, jiffies + 1);
}

static int __init nicrefill_init(void)
{
	if (order < 0 || order >= MAX_ORDER || ring < 1 || burst < 1 || count < 0)
		return -EINVAL;
	rx = kcalloc(ring, sizeof(*rx), GFP_KERNEL);
	pq = kcalloc(PEND_MAX, sizeof(*pq), GFP_KERNEL);
	if (!rx || !pq) {
		kfree(rx);
		kfree(pq);
		return -ENOMEM;
	}
	pr_info("nicrefill: start order=%d ring=%d count=%d burst=%d delay_ms=%d HZ=%d\n",
		order, ring, count, burst, delay_ms, HZ);
	timer_setup(&tick, tick_fn, 0);
	mod_timer(&tick, jiffies + 1);
	if (!wait_for_completion_timeout(&done, timeout_s * HZ)) {
		stopping = true;
		del_timer_sync(&tick);
		release_all();
		pr_warn("nicrefill: timeout\n");
	}
	del_timer_sync(&tick);
	pr_info("nicrefill: done received=%lu allocated=%lu freed=%lu failed=%lu finished=%d\n",
		received, allocated, freed, failed, finished);
	return 0;
}

static void __exit nicrefill_exit(void)
{
	del_timer_sync(&tick);
	release_all();
	kfree(rx);
	kfree(pq);
}

module_init(nicrefill_init);
module_exit(nicrefill_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NIC-like RX ring refill with order-N GFP_ATOMIC compound pages, for kmem traces");

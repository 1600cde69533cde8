// SPDX-License-Identifier: MIT
/*
 * raid6.c - RAID6 with async_tx, as md's raid6 does it: build a stripe of
 * data blocks, compute its P and Q parity with async_gen_syndrome, lose two
 * data blocks and rebuild them with async_raid6_2data_recov, then lose a
 * data block together with P and rebuild both with async_raid6_datap_recov.
 * Each rebuild is checked against a saved copy of the stripe and with
 * async_syndrome_val.
 *
 * async_tx hands each operation to a public DMA channel that can do it (the
 * default platform's cpu provider here) and runs it synchronously in the
 * caller when there is none (try DMAENGINE_PLATFORM=none).
 *
 * Run: ./raid6 [disks] [block bytes]   (default 8 disks of 4096 bytes; 4 to
 * 255 disks, of which two hold P and Q). Exit status 0 when every rebuilt
 * block is right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dmaengine/async_tx.h>
#include <dmaengine/os.h> /* struct completion */

/* One stripe: blocks[0..disks-3] data, blocks[disks-2] P, blocks[disks-1] Q. */
struct stripe {
	int disks;
	size_t bytes;		/* per block */
	unsigned int order;	/* each block is 2^order pages */
	struct page **blocks;	/* what the async_tx calls see */
	unsigned char **saved;	/* a good copy of every block */
};

/* What a callback reports back to the waiting thread. */
struct done {
	struct completion cmp;
};

/* Runs when the last operation of a chain is done: in completion context
 * when a channel did the work (no sleeping, no new async_tx calls here), or
 * in the caller before the call returned when it ran synchronously. */
static void chain_done(void *param)
{
	struct done *d = param;

	complete(&d->cmp);
}

/* Say where an operation ran. A descriptor must not be used after it was
 * acknowledged, so this looks at it right after the call. */
static void report(const char *what, struct dma_async_tx_descriptor *tx)
{
	if (tx)
		printf("  %-26s offloaded to %s (%s)\n", what, dma_chan_name(tx->chan),
		       dev_name(dmaengine_get_dma_device(tx->chan)));
	else
		printf("  %-26s ran synchronously in the caller\n", what);
}

/* Wait for the chain that ends with @tx and its callback @d: issue the
 * pending work, wait for the callback, then let the descriptor go. */
static int wait_chain(struct dma_async_tx_descriptor *tx, struct done *d)
{
	async_tx_issue_pending_all();
	if (!wait_for_completion_timeout(&d->cmp, msecs_to_jiffies(10000))) {
		fprintf(stderr, "raid6: timed out\n");
		return -1;
	}
	async_tx_quiesce(&tx); /* complete already: acknowledges it */
	return 0;
}

/* Check the stripe against the saved copy and its syndrome. */
static int verify(struct stripe *st, const char *after)
{
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	enum sum_check_flags result = 0;
	struct done d;

	for (int i = 0; i < st->disks; i++) {
		if (memcmp(page_address(st->blocks[i]), st->saved[i], st->bytes)) {
			fprintf(stderr, "raid6: after %s, block %d is wrong\n", after, i);
			return -1;
		}
	}
	init_completion(&d.cmp);
	init_async_submit(&submit, 0, NULL, chain_done, &d, NULL);
	tx = async_syndrome_val(st->blocks, NULL, st->disks, st->bytes, &result, NULL, 0,
				&submit);
	if (IS_ERR(tx)) {
		fprintf(stderr, "raid6: async_syndrome_val: %ld\n", PTR_ERR(tx));
		return -1;
	}
	report("async_syndrome_val", tx);
	if (wait_chain(tx, &d))
		return -1;
	if (result) {
		fprintf(stderr, "raid6: after %s, the syndrome check says %s%s\n", after,
			result & SUM_CHECK_P_RESULT ? "P mismatch " : "",
			result & SUM_CHECK_Q_RESULT ? "Q mismatch" : "");
		return -1;
	}
	printf("  %s: %d blocks of %zu bytes match, P and Q check: OK\n", after, st->disks,
	       st->bytes);
	return 0;
}

/* "Lose" a block: overwrite it with garbage. */
static void lose(struct stripe *st, int i)
{
	memset(page_address(st->blocks[i]), 0xde, st->bytes);
}

int main(int argc, char **argv)
{
	struct stripe st = { .disks = argc > 1 ? atoi(argv[1]) : 8,
			     .bytes = argc > 2 ? strtoul(argv[2], NULL, 0) : PAGE_SIZE };
	struct dma_async_tx_descriptor *tx;
	struct async_submit_ctl submit;
	unsigned int seed = 12345;
	int faila, failb, ret = 1;
	struct done d;

	if (st.disks < 4 || st.disks > ASYNC_TX_MAX_DISKS || !st.bytes ||
	    st.bytes > (64u << 20)) {
		fprintf(stderr, "usage: raid6 [disks 4..255] [block bytes 1..64 MiB]\n");
		return 2;
	}
	while ((PAGE_SIZE << st.order) < st.bytes)
		st.order++;
	st.blocks = calloc((size_t)st.disks, sizeof(*st.blocks));
	st.saved = calloc((size_t)st.disks, sizeof(*st.saved));
	if (!st.blocks || !st.saved)
		goto out_free;

	/* 1. The stripe: random data; P and Q to be computed. */
	for (int i = 0; i < st.disks; i++) {
		st.blocks[i] = alloc_pages(GFP_KERNEL, st.order);
		st.saved[i] = malloc(st.bytes);
		if (!st.blocks[i] || !st.saved[i]) {
			fprintf(stderr, "raid6: out of memory\n");
			goto out_free;
		}
		if (i < st.disks - 2) {
			unsigned char *p = page_address(st.blocks[i]);

			for (size_t j = 0; j < st.bytes; j++)
				p[j] = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 16);
		}
	}
	printf("raid6: %d disks (%d data + P + Q), %zu bytes per block\n", st.disks, st.disks - 2,
	       st.bytes);

	/* 2. P and Q. The callback signals the end; NULL offsets: all at 0. */
	init_completion(&d.cmp);
	init_async_submit(&submit, 0, NULL, chain_done, &d, NULL);
	tx = async_gen_syndrome(st.blocks, NULL, st.disks, st.bytes, &submit);
	if (IS_ERR(tx)) {
		fprintf(stderr, "raid6: async_gen_syndrome: %ld\n", PTR_ERR(tx));
		goto out_free;
	}
	report("async_gen_syndrome", tx);
	if (wait_chain(tx, &d))
		goto out_free;
	for (int i = 0; i < st.disks; i++)
		memcpy(st.saved[i], page_address(st.blocks[i]), st.bytes);

	/* 3. Lose two data blocks and rebuild them from the rest, P and Q.
	 * FENCE: the check that follows reads what the rebuild writes. */
	faila = 0;
	failb = st.disks > 4 ? st.disks / 2 : 1;
	lose(&st, faila);
	lose(&st, failb);
	printf("lost data blocks %d and %d\n", faila, failb);
	init_completion(&d.cmp);
	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, chain_done, &d, NULL);
	tx = async_raid6_2data_recov(st.disks, st.bytes, faila, failb, st.blocks, NULL, &submit);
	if (IS_ERR(tx)) {
		fprintf(stderr, "raid6: async_raid6_2data_recov: %ld\n", PTR_ERR(tx));
		goto out_free;
	}
	report("async_raid6_2data_recov", tx);
	if (wait_chain(tx, &d) || verify(&st, "two data blocks rebuilt"))
		goto out_free;

	/* 4. Lose a data block and P; rebuild the data from Q, then P. */
	faila = st.disks - 3;
	lose(&st, faila);
	lose(&st, st.disks - 2);
	printf("lost data block %d and P\n", faila);
	init_completion(&d.cmp);
	init_async_submit(&submit, ASYNC_TX_FENCE, NULL, chain_done, &d, NULL);
	tx = async_raid6_datap_recov(st.disks, st.bytes, faila, st.blocks, NULL, &submit);
	if (IS_ERR(tx)) {
		fprintf(stderr, "raid6: async_raid6_datap_recov: %ld\n", PTR_ERR(tx));
		goto out_free;
	}
	report("async_raid6_datap_recov", tx);
	if (wait_chain(tx, &d) || verify(&st, "data block and P rebuilt"))
		goto out_free;

	printf("raid6: %zu bytes rebuilt and verified: OK\n", 4 * st.bytes);
	ret = 0;

out_free:
	/* 5. Give back the channels async_tx took (it would at exit anyway). */
	async_tx_exit();
	for (int i = 0; st.blocks && i < st.disks; i++) {
		if (st.blocks[i])
			__free_pages(st.blocks[i], st.order);
		if (st.saved)
			free(st.saved[i]);
	}
	free(st.blocks);
	free(st.saved);
	return ret;
}

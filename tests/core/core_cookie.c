// SPDX-License-Identifier: MIT
/*
 * core_cookie.c - cookies: init, assign and its wrap-around, complete (and
 * completing twice), dma_async_is_complete, dma_submit_error, and the
 * cookies a real channel hands out.
 */
#include <limits.h>

#include "core/core_test.h"

/* A bare channel and descriptor, as a provider's own structures. */
struct cookie_fixture {
	struct dma_chan chan;
	struct dma_async_tx_descriptor tx;
};

static void fixture_init(struct cookie_fixture *f)
{
	memset(f, 0, sizeof(*f));
	dma_cookie_init(&f->chan);
	dma_async_tx_descriptor_init(&f->tx, &f->chan);
}

/* Init starts both cookies at DMA_MIN_COOKIE, so the first handed out is 2. */
static void test_cookie_init_first_is_2(void **state)
{
	struct cookie_fixture f;

	fixture_init(&f);
	assert_int_equal(f.chan.cookie, DMA_MIN_COOKIE);
	assert_int_equal(f.chan.completed_cookie, DMA_MIN_COOKIE);
	assert_int_equal(dma_cookie_assign(&f.tx), 2);
	assert_int_equal(f.tx.cookie, 2);
	assert_int_equal(f.chan.cookie, 2);
	assert_int_equal(dma_cookie_assign(&f.tx), 3);
	assert_int_equal(f.chan.cookie, 3);
	/* Assigning never touches the completed cookie. */
	assert_int_equal(f.chan.completed_cookie, DMA_MIN_COOKIE);
}

/* After INT_MAX comes DMA_MIN_COOKIE (never 0 or a negative value). */
static void test_cookie_assign_wraps(void **state)
{
	struct cookie_fixture f;

	fixture_init(&f);
	f.chan.cookie = INT_MAX - 1;
	assert_int_equal(dma_cookie_assign(&f.tx), INT_MAX);
	assert_int_equal(dma_cookie_assign(&f.tx), DMA_MIN_COOKIE);
	assert_int_equal(f.tx.cookie, 1);
	assert_int_equal(f.chan.cookie, 1);
	assert_int_equal(dma_cookie_assign(&f.tx), 2);
}

/* Complete: completed_cookie takes the descriptor's cookie, which becomes 0. */
static void test_cookie_complete(void **state)
{
	struct cookie_fixture f;
	dma_cookie_t c;

	fixture_init(&f);
	c = dma_cookie_assign(&f.tx);
	dma_cookie_complete(&f.tx);
	assert_int_equal(f.chan.completed_cookie, c);
	assert_int_equal(f.tx.cookie, 0);
	assert_int_equal(f.chan.cookie, c);
	assert_log_lines(0);
}

/* Completing twice is reported once and changes nothing. */
static void test_cookie_complete_twice(void **state)
{
	struct cookie_fixture f;

	fixture_init(&f);
	dma_cookie_assign(&f.tx);
	dma_cookie_assign(&f.tx); /* 3 */
	dma_cookie_complete(&f.tx);
	assert_int_equal(f.chan.completed_cookie, 3);
	dma_cookie_complete(&f.tx);
	assert_one_line("dma_cookie_complete", "twice");
	assert_int_equal(f.chan.completed_cookie, 3);
	assert_int_equal(f.tx.cookie, 0);
	assert_int_equal(f.chan.cookie, 3);
}

struct is_complete_row {
	dma_cookie_t cookie;
	dma_cookie_t last_complete;
	dma_cookie_t last_used;
	enum dma_status want;
};

/* dma_async_is_complete, plain and wrapped, including never-issued cookies. */
static void test_cookie_is_complete_table(void **state)
{
	static const struct is_complete_row rows[] = {
		/* not wrapped: complete up to 5, issued up to 10 */
		{ 3, 5, 10, DMA_COMPLETE },
		{ 5, 5, 10, DMA_COMPLETE },
		{ 6, 5, 10, DMA_IN_PROGRESS },
		{ 10, 5, 10, DMA_IN_PROGRESS },
		{ 11, 5, 10, DMA_COMPLETE },	/* never issued */
		{ INT_MAX, 5, 10, DMA_COMPLETE }, /* never issued */
		/* idle channel: everything reads complete */
		{ 5, 5, 5, DMA_COMPLETE },
		{ 6, 5, 5, DMA_COMPLETE },
		{ 1, 5, 5, DMA_COMPLETE },
		/* wrapped: complete up to INT_MAX - 2, issued up to 3 after the wrap */
		{ INT_MAX - 3, INT_MAX - 2, 3, DMA_COMPLETE },
		{ INT_MAX - 2, INT_MAX - 2, 3, DMA_COMPLETE },
		{ INT_MAX - 1, INT_MAX - 2, 3, DMA_IN_PROGRESS },
		{ INT_MAX, INT_MAX - 2, 3, DMA_IN_PROGRESS },
		{ 1, INT_MAX - 2, 3, DMA_IN_PROGRESS },
		{ 3, INT_MAX - 2, 3, DMA_IN_PROGRESS },
		{ 4, INT_MAX - 2, 3, DMA_COMPLETE }, /* never issued */
		{ 100, INT_MAX - 2, 3, DMA_COMPLETE },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct is_complete_row *r = &rows[i];
		enum dma_status got = dma_async_is_complete(r->cookie, r->last_complete,
							    r->last_used);

		if (got != r->want)
			print_error("row %zu: cookie %d, complete %d, used %d\n", i, r->cookie,
				    r->last_complete, r->last_used);
		assert_int_equal(got, r->want);
	}
}

/* dma_cookie_status reports last/used with residue 0; a NULL state is fine. */
static void test_cookie_status(void **state)
{
	struct cookie_fixture f;
	struct dma_tx_state st = { -1, -1, 99, 77 };
	dma_cookie_t c;

	fixture_init(&f);
	c = dma_cookie_assign(&f.tx);
	assert_int_equal(dma_cookie_status(&f.chan, c, &st), DMA_IN_PROGRESS);
	assert_int_equal(st.last, 1);
	assert_int_equal(st.used, 2);
	assert_int_equal(st.residue, 0);
	dma_cookie_complete(&f.tx);
	assert_int_equal(dma_cookie_status(&f.chan, c, NULL), DMA_COMPLETE);
	dma_set_residue(NULL, 1);
	dma_set_in_flight_bytes(NULL, 1);
	dma_set_tx_state(NULL, 1, 2, 3);
	dma_set_in_flight_bytes(&st, 12);
	assert_int_equal(st.in_flight_bytes, 12);
}

/* The other clients of a shared channel: submit and complete, over and over. */
struct busy_chan {
	struct cookie_fixture f;
	u32 stop; /* atomic */
};

static void busy_submitter(void *arg)
{
	struct busy_chan *b = arg;

	while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE)) {
		dma_cookie_assign(&b->f.tx);
		dma_cookie_complete(&b->f.tx);
	}
}

/*
 * A completed cookie stays complete while others submit and complete after
 * it: completed_cookie is read before the channel's last cookie, or a stale
 * last cookie behind a fresh completed one looks like a wrap-around.
 */
static void test_cookie_status_while_others_complete(void **state)
{
	struct busy_chan b = { .stop = 0 };
	struct dmae_thread *t;
	dma_cookie_t mine;

	fixture_init(&b.f);
	mine = dma_cookie_assign(&b.f.tx);
	dma_cookie_complete(&b.f.tx);
	assert_int_equal(dmae_thread_create(&t, busy_submitter, &b, "cookie-busy"), 0);
	/* Checks while the other thread runs: from its first cookie on, for a while. */
	while (__atomic_load_n(&b.f.chan.cookie, __ATOMIC_ACQUIRE) == mine)
		dmae_yield();
	for (unsigned int i = 0; i < 2000000; i++)
		if (dma_cookie_status(&b.f.chan, mine, NULL) != DMA_COMPLETE)
			fail_msg("cookie %d in progress after %u checks", mine, i);
	__atomic_store_n(&b.stop, 1, __ATOMIC_RELEASE);
	dmae_thread_join(t);
}

static void test_submit_error(void **state)
{
	assert_int_equal(dma_submit_error(-EINVAL), -EINVAL);
	assert_int_equal(dma_submit_error(-ENOMEM), -ENOMEM);
	assert_int_equal(dma_submit_error(INT_MIN), INT_MIN);
	assert_int_equal(dma_submit_error(0), 0);
	assert_int_equal(dma_submit_error(DMA_MIN_COOKIE), 0);
	assert_int_equal(dma_submit_error(INT_MAX), 0);
}

/* A real channel: cookies 2, 3, ... and tx_status follows them. */
static void test_cookie_on_channel(void **state)
{
	struct mock_dev *md = mock_dev_create("mock0", 1, CAP(MEMCPY));
	struct mock_chan *mc = &md->chans[0];
	struct dma_async_tx_descriptor *a, *b;
	dma_cookie_t last = 0, used = 0;
	struct dma_chan *chan;

	chan = dma_get_slave_channel(&mc->chan);
	assert_ptr_equal(chan, &mc->chan);
	mc->manual = true;
	a = core_prep_copy(chan, DMA_CTRL_ACK);
	b = core_prep_copy(chan, DMA_CTRL_ACK);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->cookie, -EBUSY); /* prepared */
	assert_int_equal(dmaengine_submit(a), 2);
	assert_int_equal(dmaengine_submit(b), 3);
	/* Resubmitting a queued descriptor is refused by the provider. */
	assert_int_equal(dmaengine_submit(a), -EINVAL);
	dma_async_issue_pending(chan);
	assert_int_equal(dma_async_is_tx_complete(chan, 2, &last, &used), DMA_IN_PROGRESS);
	assert_int_equal(last, 1);
	assert_int_equal(used, 3);
	assert_int_equal(mock_chan_complete(mc), 2);
	assert_int_equal(dma_async_is_tx_complete(chan, 3, &last, &used), DMA_COMPLETE);
	assert_int_equal(last, 3);
	assert_int_equal(used, 3);
	dma_release_channel(chan);
	assert_log_lines(0);
}

int core_cookie_tests(void)
{
	const struct CMUnitTest tests[] = {
		core_test(test_cookie_init_first_is_2),
		core_test(test_cookie_assign_wraps),
		core_test(test_cookie_complete),
		core_test(test_cookie_complete_twice),
		core_test(test_cookie_is_complete_table),
		core_test(test_cookie_status),
		core_test(test_cookie_status_while_others_complete),
		core_test(test_submit_error),
		core_test(test_cookie_on_channel),
	};

	return cmocka_run_group_tests_name("core_cookie", tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * iova.c - the IOVA allocator: allocated ranges of one I/O virtual address
 * space in an AVL tree ordered by address, each node augmented with the free
 * gap below it and a summary of the gaps of its subtree (see iova.h).
 *
 * The anchor, an empty range at end_pfn + 1, is always the last node, so every
 * free page lies in the gap of exactly one node: the next range above it.
 * Allocating carves the new range out of a node's gap (the new node takes
 * the part of the gap below it, the node keeps the part above); freeing adds
 * the range and its gap to the gap of the next node. In both cases the node whose gap changes
 * is on the path that the insertion or removal walks back up, so the subtree
 * summaries are recomputed there and nowhere else, and only as far up as
 * they change.
 *
 * The summary of a subtree says which allocations one of its gaps can take.
 * Unaligned: npages fit when its largest gap (max_gap) has npages. Aligned:
 * npages in (2^(o-1), 2^o] starting at a multiple of 2^o. A gap of s pages
 * takes them for sure when o < log2(s) (it holds 2^(o+1) pages, so a whole
 * aligned block of 2^o), never when o > log2(s) + 1 (then npages > s), and
 * for the two orders in between it depends on where the gap starts. So over
 * a subtree whose largest gap is M, only orders log2(M) and log2(M) + 1 need
 * a figure: below them the largest gap takes the range, above them no gap
 * does. fit[] holds those two figures (0 when too small for any range of
 * that order, so a summary depends on the gaps only, not on the tree's
 * shape), so that the search never enters a subtree without a gap that
 * fits, and allocation stays O(log n).
 */
#include <errno.h>
#include <stdlib.h>

#include "mapping/iova.h"

/* ------------------------------------------------------------ tree helpers */

static inline int iova_height(const struct dmae_iova_node *n)
{
	return n ? n->height : 0;
}

static inline u64 iova_max_gap(const struct dmae_iova_node *n)
{
	return n ? n->max_gap : 0;
}

static inline u64 iova_max(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* floor(log2(@x)), @x > 0 */
static inline unsigned int iova_log2(u64 x)
{
	return 63u - (unsigned int)__builtin_clzll(x);
}

/* Most pages a range starting at a multiple of 2^@order can have in the gap below @n. */
static inline u64 iova_gap_fit(const struct dmae_iova_node *n, unsigned int order)
{
	u64 mask = (1ull << order) - 1;
	u64 start = (n->pfn_lo - n->gap + mask) & ~mask; /* no overflow: pfns < 2^53 */

	return start < n->pfn_lo ? n->pfn_lo - start : 0;
}

/* @v if a range aligned to 2^@order can have that many pages (more than 2^(order-1)), else 0. */
static inline u64 iova_fit_relevant(u64 v, unsigned int order)
{
	return 2 * v > (1ull << order) ? v : 0;
}

/* A subtree's summary of its gaps (the node's own fields, see iova.h). */
struct iova_gaps {
	u64 max_gap;	    /* largest gap */
	u64 fit[2];	    /* aligned fit at orders @order and @order + 1 */
	unsigned int order; /* log2(max_gap); 0 when there is no gap */
};

/* Fold the summary of the child @c into @fit, at orders @o and @o + 1, at least @c's. */
static inline void iova_fold_child(u64 fit[2], unsigned int o, const struct dmae_iova_node *c)
{
	u64 f0, f1;

	if (!c)
		return;
	/* A child of a lower order has only smaller gaps than any range of these orders. */
	f0 = c->order == o ? c->fit[0] : c->order + 1 == o ? c->fit[1] : 0;
	f1 = c->order == o ? c->fit[1] : 0;
	fit[0] = iova_max(fit[0], f0);
	fit[1] = iova_max(fit[1], f1);
}

/* Recompute @n's summary from its own gap and its children's summaries (branch-light:
 * this runs on every level that an insertion or removal changes). */
static void iova_summarize(struct dmae_iova_node *n)
{
	u64 max_gap = iova_max(n->gap, iova_max(iova_max_gap(n->left), iova_max_gap(n->right)));
	unsigned int o = iova_log2(max_gap | 1);
	u64 fit[2];

	fit[0] = iova_fit_relevant(iova_gap_fit(n, o), o);
	fit[1] = iova_fit_relevant(iova_gap_fit(n, o + 1), o + 1);
	iova_fold_child(fit, o, n->left);
	iova_fold_child(fit, o, n->right);
	n->max_gap = max_gap;
	n->order = o;
	n->fit[0] = fit[0];
	n->fit[1] = fit[1];
}

static inline void iova_get_gaps(const struct dmae_iova_node *n, struct iova_gaps *g)
{
	g->max_gap = n->max_gap;
	g->fit[0] = n->fit[0];
	g->fit[1] = n->fit[1];
	g->order = n->order;
}

static inline bool iova_same_gaps(const struct dmae_iova_node *n, const struct iova_gaps *g)
{
	return n->max_gap == g->max_gap && n->fit[0] == g->fit[0] && n->fit[1] == g->fit[1] &&
	       n->order == g->order;
}

/* Recompute @n's height and summary from its own gap and its children. */
static void iova_update(struct dmae_iova_node *n)
{
	int hl = iova_height(n->left), hr = iova_height(n->right);

	n->height = 1 + (hl > hr ? hl : hr);
	iova_summarize(n);
}

static struct dmae_iova_node *iova_rotate_right(struct dmae_iova_node *n)
{
	struct dmae_iova_node *l = n->left;

	n->left = l->right;
	l->right = n;
	iova_update(n);
	iova_update(l);
	return l;
}

static struct dmae_iova_node *iova_rotate_left(struct dmae_iova_node *n)
{
	struct dmae_iova_node *r = n->right;

	n->right = r->left;
	r->left = n;
	iova_update(n);
	iova_update(r);
	return r;
}

/* Restore the AVL balance of @n (its subtrees are balanced) and recompute it. */
static struct dmae_iova_node *iova_balance(struct dmae_iova_node *n)
{
	int bf = iova_height(n->left) - iova_height(n->right);

	if (bf > 1) {
		if (iova_height(n->left->left) < iova_height(n->left->right))
			n->left = iova_rotate_left(n->left);
		return iova_rotate_right(n);
	}
	if (bf < -1) {
		if (iova_height(n->right->right) < iova_height(n->right->left))
			n->right = iova_rotate_right(n->right);
		return iova_rotate_left(n);
	}
	iova_update(n);
	return n;
}

/*
 * Insertion and removal walk down from the root recording the path: link[i]
 * is where the i-th node of the path hangs (&dom->root, or a parent's left or
 * right), so that a rotation can replace that node. Then they climb back up:
 * a node whose child changed (height or summary) is rebalanced and
 * recomputed, and tells its parent whether it changed in turn. Above the
 * first node that stays the same, and above the node whose own gap changed,
 * nothing does.
 */
#define IOVA_MAX_DEPTH 96 /* an AVL tree of 2^64 nodes is less than 93 high */

struct iova_path {
	struct dmae_iova_node **link[IOVA_MAX_DEPTH]; /* where each node of the path hangs */
	int depth;				       /* nodes on the path */
};

static inline void iova_push(struct iova_path *p, struct dmae_iova_node **link)
{
	p->link[p->depth++] = link;
}

/* Rebalance and recompute the path bottom-up, as far as it changes, and at least up to
 * the node at index @force (one whose gap changed; -1: none). */
static void iova_climb(struct iova_path *p, int force)
{
	struct dmae_iova_node *n;
	struct iova_gaps old;
	bool changed = true;
	int i, height;

	for (i = p->depth - 1; i >= 0; i--) {
		if (!changed && i != force) {
			if (i < force || force < 0)
				return;
			i = force + 1; /* nothing changes below it */
			continue;
		}
		n = *p->link[i];
		height = n->height;
		iova_get_gaps(n, &old);
		n = *p->link[i] = iova_balance(n);
		changed = n->height != height || !iova_same_gaps(n, &old);
	}
}

/* Hang the new leaf @x right before @next, the last node of @p, whose gap changed. */
static void iova_insert_before(struct iova_path *p, struct dmae_iova_node *next,
			       struct dmae_iova_node *x)
{
	struct dmae_iova_node **link = &next->left;
	int force = p->depth - 1;

	while (*link) {
		iova_push(p, link);
		link = &(*link)->right;
	}
	*link = x;
	iova_climb(p, force);
}

/*
 * Unhang the node at the end of @p, whose successor's gap has grown. With two
 * children, its successor (the lowest node on its right) takes its place.
 * Return: the index on @p of a node whose gap changed and that the climb must
 * recompute, or -1.
 */
static int iova_unlink(struct iova_path *p, int next_index)
{
	int ix = p->depth - 1;
	struct dmae_iova_node *x = *p->link[ix], *s, **link;

	if (!x->left || !x->right) {
		/* AVL: a lone child is a leaf, already up to date but for its gap. */
		s = x->left ? x->left : x->right;
		*p->link[ix] = s;
		if (s)
			iova_update(s);
		p->depth--;
		return x->right ? -1 : next_index;
	}
	link = &x->right;
	while ((*link)->left) {
		iova_push(p, link);
		link = &(*link)->left;
	}
	s = *link;
	*link = s->right;
	s->left = x->left;
	s->right = x->right; /* read after the line above: s may have been x->right */
	/* What @x's parent knows of its subtree: the climb compares with it. */
	s->height = x->height;
	s->max_gap = x->max_gap;
	s->fit[0] = x->fit[0];
	s->fit[1] = x->fit[1];
	s->order = x->order;
	*p->link[ix] = s;
	if (p->depth > ix + 1)
		p->link[ix + 1] = &s->right; /* it was &x->right */
	return ix;
}

static void iova_free_tree(struct dmae_iova_node *t, const struct dmae_iova_node *anchor)
{
	if (!t)
		return;
	iova_free_tree(t->left, anchor);
	iova_free_tree(t->right, anchor);
	if (t != anchor)
		free(t);
}

/* ------------------------------------------------------------ the domain */

int dmae__iova_domain_init(struct dmae_iova_domain *dom, u64 granule, u64 start_pfn,
			   u64 end_pfn)
{
	unsigned int shift;

	if (granule < 4096 || (granule & (granule - 1)))
		return -EINVAL;
	shift = (unsigned int)__builtin_ctzll(granule);
	if (!start_pfn || start_pfn > end_pfn || end_pfn > (UINT64_MAX >> shift))
		return -EINVAL;
	*dom = (struct dmae_iova_domain){
		.root = &dom->anchor,
		.anchor = {
			.pfn_lo = end_pfn + 1,
			.gap = end_pfn - start_pfn + 1,
		},
		.granule = granule,
		.shift = shift,
		.start_pfn = start_pfn,
		.end_pfn = end_pfn,
	};
	iova_update(&dom->anchor);
	return 0;
}

void dmae__iova_domain_destroy(struct dmae_iova_domain *dom)
{
	iova_free_tree(dom->root, &dom->anchor);
	dom->root = NULL;
	dom->nr_ranges = 0;
	dom->nr_pages = 0;
}

/* ------------------------------------------------------------ allocation */

/* What dmae__iova_alloc() looks for. */
struct iova_query {
	u64 npages;	    /* pages wanted */
	u64 last;	    /* highest page frame the range may use */
	u64 mask;	    /* alignment - 1 */
	unsigned int order; /* log2(alignment) */
};

/* Whether a gap of the subtree @t takes the query, the limit aside. */
static bool iova_may_fit(const struct dmae_iova_node *t, const struct iova_query *q)
{
	if (!t || t->max_gap < q->npages)
		return false;
	if (!q->mask || q->order < t->order)
		return true; /* unaligned, or the largest gap holds a whole aligned block */
	return q->order <= t->order + 1 && t->fit[q->order - t->order] >= q->npages;
}

/* Whether the gap below @n holds the query; its highest fitting start in *@pfn. */
static bool iova_gap_fits(const struct dmae_iova_node *n, const struct iova_query *q, u64 *pfn)
{
	u64 lo = n->pfn_lo - n->gap;
	u64 hi = n->pfn_lo - 1 < q->last ? n->pfn_lo - 1 : q->last;
	u64 p;

	if (!n->gap || hi < lo || hi - lo + 1 < q->npages)
		return false;
	p = (hi - q->npages + 1) & ~q->mask;
	if (p < lo)
		return false;
	*pfn = p;
	return true;
}

/*
 * The node under *@link with the highest gap that holds the query (its start
 * in *@pfn), or NULL; @p gets the path down to it. Subtrees without a gap
 * that fits are never entered; the right subtree only when its gaps, which
 * all start above the node, can end at or below the limit. So a subtree below
 * the limit is left with a result after one path down, and only the path
 * along the limit can come back empty.
 */
static struct dmae_iova_node *iova_fit(struct dmae_iova_node **link, const struct iova_query *q,
				       struct iova_path *p, u64 *pfn)
{
	struct dmae_iova_node *t = *link, *n;

	if (!iova_may_fit(t, q))
		return NULL;
	iova_push(p, link);
	if (t->pfn_lo + t->npages + q->npages - 1 <= q->last) {
		n = iova_fit(&t->right, q, p, pfn);
		if (n)
			return n;
	}
	if (iova_gap_fits(t, q, pfn))
		return t;
	n = iova_fit(&t->left, q, p, pfn);
	if (!n)
		p->depth--;
	return n;
}

/* log2 of @n rounded up to a power of two; @n is at most 2^63. */
static inline unsigned int iova_order(u64 n)
{
	return n <= 1 ? 0 : iova_log2(n - 1) + 1;
}

u64 dmae__iova_alloc(struct dmae_iova_domain *dom, u64 npages, u64 limit_pfn, bool size_aligned)
{
	struct iova_query q = { .npages = npages };
	struct dmae_iova_node *next, *x;
	struct iova_path path;
	u64 pfn;

	if (!dom->root || !npages || npages > dom->end_pfn - dom->start_pfn + 1)
		return 0;
	q.last = limit_pfn < dom->end_pfn ? limit_pfn : dom->end_pfn;
	if (q.last < dom->start_pfn || q.last - dom->start_pfn + 1 < npages)
		return 0;
	q.order = size_aligned ? iova_order(npages) : 0;
	q.mask = (1ull << q.order) - 1;
	path.depth = 0;
	next = iova_fit(&dom->root, &q, &path, &pfn);
	if (!next)
		return 0;
	x = malloc(sizeof(*x));
	if (!x)
		return 0;
	/* @x takes the gap below its start; @next keeps the pages above its end. */
	*x = (struct dmae_iova_node){
		.pfn_lo = pfn,
		.npages = npages,
		.gap = pfn - (next->pfn_lo - next->gap),
	};
	iova_update(x);
	next->gap = next->pfn_lo - (pfn + npages);
	iova_insert_before(&path, next, x);
	dom->nr_ranges++;
	dom->nr_pages += npages;
	return pfn;
}

/* ------------------------------------------------------------ free and find */

/*
 * The path down to the node keyed @pfn_lo, or NULL; *@next_index gets the
 * index on the path of the last node whose left subtree holds it, the node
 * after it unless it has a right subtree (-1: none).
 */
static struct dmae_iova_node *iova_lookup(struct dmae_iova_node **link, u64 pfn_lo,
					  struct iova_path *p, int *next_index)
{
	struct dmae_iova_node *t;

	p->depth = 0;
	*next_index = -1;
	while ((t = *link) && t->pfn_lo != pfn_lo) {
		iova_push(p, link);
		if (pfn_lo < t->pfn_lo) {
			*next_index = p->depth - 1;
			link = &t->left;
		} else {
			link = &t->right;
		}
	}
	if (t)
		iova_push(p, link);
	return t;
}

int dmae__iova_free(struct dmae_iova_domain *dom, u64 pfn, u64 npages)
{
	struct dmae_iova_node *x, *next;
	struct iova_path path;
	int next_index;

	if (!npages)
		return -EINVAL;
	x = iova_lookup(&dom->root, pfn, &path, &next_index);
	if (!x || x->npages != npages)
		return -EINVAL;
	/* The node after @x (it exists: the anchor is last) takes its pages and its gap. */
	if (x->right)
		for (next = x->right; next->left; next = next->left)
			;
	else
		next = *path.link[next_index];
	next->gap += x->gap + x->npages;
	iova_climb(&path, iova_unlink(&path, next_index));
	free(x);
	dom->nr_ranges--;
	dom->nr_pages -= npages;
	return 0;
}

int dmae__iova_find(const struct dmae_iova_domain *dom, u64 pfn, struct dmae_iova_range *range)
{
	const struct dmae_iova_node *t = dom->root;

	while (t) {
		if (pfn < t->pfn_lo) {
			t = t->left;
		} else if (pfn - t->pfn_lo < t->npages) {
			range->pfn = t->pfn_lo;
			range->npages = t->npages;
			return 0;
		} else {
			t = t->right;
		}
	}
	return -ENOENT;
}

/* ------------------------------------------------------------ consistency */

/* What iova_check_tree() carries along the in-order walk. */
struct iova_walk {
	const struct dmae_iova_domain *dom; /* the domain checked */
	u64 next_free;			    /* first page frame after the previous range */
	u64 ranges, pages, gaps;	    /* ranges, pages and free pages seen so far */
	const struct dmae_iova_node *last;  /* the last node seen */
};

/* The largest aligned fit at @order over every gap under @t, one by one. */
static u64 iova_fit_slow(const struct dmae_iova_node *t, unsigned int order)
{
	if (!t)
		return 0;
	return iova_max(iova_gap_fit(t, order),
			iova_max(iova_fit_slow(t->left, order), iova_fit_slow(t->right, order)));
}

/* Whether @t's fit[] says what its gaps, looked at one by one, offer. */
static bool iova_check_fit(const struct dmae_iova_node *t)
{
	if (!t->max_gap)
		return !t->fit[0] && !t->fit[1] && !t->order;
	if (t->order != iova_log2(t->max_gap))
		return false;
	for (unsigned int i = 0; i < 2; i++)
		if (t->fit[i] != iova_fit_relevant(iova_fit_slow(t, t->order + i), t->order + i))
			return false;
	return true;
}

/* The height of @t, or -1 when anything under it is wrong. */
static int iova_check_tree(const struct dmae_iova_node *t, struct iova_walk *w)
{
	struct dmae_iova_node copy;
	struct iova_gaps g;
	int hl, hr;

	if (!t)
		return 0;
	hl = iova_check_tree(t->left, w);
	if (hl < 0 || t->pfn_lo < w->next_free || t->pfn_lo - w->next_free != t->gap)
		return -1;
	if (t != &w->dom->anchor && (!t->npages || t->pfn_lo + t->npages - 1 > w->dom->end_pfn))
		return -1;
	w->next_free = t->pfn_lo + t->npages;
	w->ranges += t->npages != 0;
	w->pages += t->npages;
	w->gaps += t->gap;
	w->last = t;
	hr = iova_check_tree(t->right, w);
	if (hr < 0 || hl - hr > 1 || hr - hl > 1 || t->height != 1 + (hl > hr ? hl : hr))
		return -1;
	copy = *t;
	iova_summarize(&copy);
	iova_get_gaps(&copy, &g);
	if (!iova_same_gaps(t, &g) || !iova_check_fit(t))
		return -1;
	return t->height;
}

bool dmae__iova_check(const struct dmae_iova_domain *dom)
{
	struct iova_walk w = { .dom = dom, .next_free = dom->start_pfn };

	if (!dom->root)
		return !dom->nr_ranges && !dom->nr_pages;
	if (dom->anchor.pfn_lo != dom->end_pfn + 1 || dom->anchor.npages)
		return false;
	if (iova_check_tree(dom->root, &w) < 0 || w.last != &dom->anchor)
		return false;
	return w.ranges == dom->nr_ranges && w.pages == dom->nr_pages &&
	       w.gaps + w.pages == dom->end_pfn - dom->start_pfn + 1;
}

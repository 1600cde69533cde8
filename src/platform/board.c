// SPDX-License-Identifier: MIT
/*
 * board.c - loading and unloading boards, and the platform: the boards
 * DMAENGINE_PLATFORM (or dmaengine_platform_select) names, the built-in
 * default board (the cpu provider's node) when nothing is said.
 *
 * Loading a board: its tree (libfdt), then for a simulated SoC (a board with
 * memory or an interrupt controller) its virtual clock, register window,
 * RAM, clocks and hardware models, then its platform devices, each bound to
 * its driver as it is made.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dmaengine/board.h>
#include <dmaengine/provider.h>

#include "platform/board.h"
#include "platform/boards.h"

#define DMAE_BOARD_MAX_BYTES (16u << 20) /* a .dtb larger than this is not one we read */
#define DMAE_PLATFORM_MAX 8		  /* boards in a platform spec */

LIST_HEAD(dmae__boards);

struct dmae_board *dmae__board_of_dev(const struct device *dev)
{
	struct dmae_board *b, *found = NULL;

	if (!dev || !dev->of_node)
		return NULL;
	dmae__platform_lock();
	list_for_each_entry(b, &dmae__boards, node)
		if (b->tree == dev->of_node->tree)
			found = b;
	dmae__platform_unlock();
	return found;
}

/* ------------------------------------------------------------ finding */

static bool is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n > 4 && !strcmp(s + n - 4, ".dtb"));
}

static bool try_file(char *out, size_t size, const char *dir, const char *name,
		     const char *suffix)
{
	struct stat st;

	snprintf(out, size, "%s/%s%s", dir, name, suffix);
	return !stat(out, &st) && S_ISREG(st.st_mode);
}

/* The .dtb of board @name in @dir: <name>.dtb or <name>-sim.dtb. */
static bool find_in(char *out, size_t size, const char *dir, const char *name)
{
	return try_file(out, size, dir, name, ".dtb") || try_file(out, size, dir, name, "-sim.dtb");
}

/* Where board @name is: the board path, the build's boards, the installed ones. */
static int find_board(const char *name, char *out, size_t size)
{
	const char *path = getenv("DMAENGINE_BOARD_PATH");
	char dir[PATH_MAX];

	while (path && *path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);

		if (n && n < sizeof(dir)) {
			memcpy(dir, path, n);
			dir[n] = '\0';
			if (find_in(out, size, dir, name))
				return 0;
		}
		path = end ? end + 1 : NULL;
	}
	if (find_in(out, size, DMAE_BOARDS_BUILD_DIR, name) ||
	    find_in(out, size, DMAE_BOARDS_INSTALL_DIR, name))
		return 0;
	dmae_log(DMAE_LOG_ERR,
		 "dmaengine: no board '%s' (looked for %s.dtb and %s-sim.dtb in DMAENGINE_BOARD_PATH, %s and %s)",
		 name, name, name, DMAE_BOARDS_BUILD_DIR, DMAE_BOARDS_INSTALL_DIR);
	return -ENOENT;
}

/* Read the whole of @path (at most DMAE_BOARD_MAX_BYTES). */
static int read_file(const char *path, void **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0;
	u8 *buf = NULL, *nb;

	if (!f) {
		dmae_log(DMAE_LOG_ERR, "dmaengine: cannot open board file %s", path);
		return -ENOENT;
	}
	for (;;) {
		nb = realloc(buf, cap);
		if (!nb) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || cap >= DMAE_BOARD_MAX_BYTES)
			break;
		cap *= 2;
	}
	fclose(f);
	if (n == cap) {
		free(buf);
		dmae_log(DMAE_LOG_ERR, "dmaengine: %s: larger than %u bytes: not a device tree",
			 path, DMAE_BOARD_MAX_BYTES);
		return -EINVAL;
	}
	*data = buf;
	*size = n;
	return 0;
}

/* ---------------------------------------------------------- loading */

static bool has_memory(struct device_node *np)
{
	struct device_node *c;
	const char *type;

	if (!of_property_read_string(np, "device_type", &type) && !strcmp(type, "memory"))
		return true;
	for_each_child_of_node(np, c)
		if (has_memory(c))
			return true;
	return false;
}

/* The board's interrupt controller: the first GIC of its tree. */
static struct device_node *find_gic(struct device_node *np)
{
	struct device_node *c, *gic;

	if (of_property_read_bool(np, "interrupt-controller") &&
	    (of_device_is_compatible(np, "arm,cortex-a7-gic") ||
	     of_device_is_compatible(np, "arm,gic-400")))
		return np;
	for_each_child_of_node(np, c) {
		gic = find_gic(c);
		if (gic)
			return gic;
	}
	return NULL;
}

static int board_sim_create(struct dmae_board *b, const struct dmaengine_board_params *p)
{
	struct device_node *root = dmae_of_tree_root(b->tree);
	struct dmae_sim_params sp;
	int ret;

	b->gic = find_gic(root);
	/* The interrupt controller is the platform's own, as Linux's irqchip init makes it. */
	if (b->gic)
		b->gic->_flags |= 1ul << OF_POPULATED;
	if (!b->gic && !has_memory(root))
		return 0; /* nothing simulated: the default board, or a host-only tree */
	dmae_sim_params_init(&sp);
	if (p && p->sim && dmae_sim_parse_mode(&sp, "sim", p->sim))
		return -EINVAL;
	sp.nr_irqs = b->gic ? DMAE_GIC_LINES : 0;
	sp.name = b->name;
	b->sim = dmae_sim_create(&sp);
	if (IS_ERR(b->sim)) {
		ret = (int)PTR_ERR(b->sim);
		b->sim = NULL;
		return ret;
	}
	ret = dmae__board_window_init(b);
	if (!ret)
		ret = dmae__board_ram_init(b);
	if (!ret)
		ret = dmae__board_clocks_init(b);
	if (!ret)
		ret = dmae__board_models_create(b);
	return ret;
}

static void board_free(struct dmae_board *b)
{
	dmae__board_models_destroy(b);
	dmae__claims_release_all(b);
	dmae__board_clocks_fini(b);
	dmae__board_ram_fini(b);
	dmae_sim_destroy(b->sim);
	dmae__board_window_fini(b);
	dmae_of_tree_free(b->tree);
	free(b);
}

static struct dmae_board *board_find(const char *name)
{
	struct dmae_board *b;

	list_for_each_entry(b, &dmae__boards, node)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

/* Read @board's blob: the built-in default, a path, or a name on the board path. */
static int board_blob(const char *board, void **blob, size_t *size, char *origin,
		      size_t origin_size)
{
	char path[PATH_MAX];
	int ret;

	if (!strcmp(board, "default")) {
		*blob = NULL;
		*size = dmae__board_default_dtb_size;
		snprintf(origin, origin_size, "built-in");
		return 0;
	}
	if (is_path(board)) {
		snprintf(path, sizeof(path), "%s", board);
	} else {
		ret = find_board(board, path, sizeof(path));
		if (ret)
			return ret;
	}
	snprintf(origin, origin_size, "%s", path);
	return read_file(path, blob, size);
}

/* The name a board is known by: as given, or a path's file name without .dtb. */
static void board_short_name(const char *board, char *out, size_t size)
{
	const char *base = strrchr(board, '/');
	size_t n;

	base = base ? base + 1 : board;
	snprintf(out, size, "%s", base);
	n = strlen(out);
	if (n > 4 && !strcmp(out + n - 4, ".dtb"))
		out[n - 4] = '\0';
}

DMAE_EXPORT struct dmae_board *dmaengine_board_load(const char *board,
						    const struct dmaengine_board_params *params)
{
	struct dmae_board *b;
	void *blob = NULL;
	size_t size = 0;
	int ret;

	if (!board || !*board) {
		dmae_log(DMAE_LOG_ERR, "dmaengine_board_load: no board named");
		return ERR_PTR(-EINVAL);
	}
	if (dmae_might_sleep(__func__))
		return ERR_PTR(-EDEADLK);
	b = calloc(1, sizeof(*b));
	if (!b)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&b->devices);
	INIT_LIST_HEAD(&b->models);
	INIT_LIST_HEAD(&b->claims);
	board_short_name(board, b->name, sizeof(b->name));
	ret = board_blob(board, &blob, &size, b->origin, sizeof(b->origin));
	if (!ret)
		ret = dmae_of_tree_load(blob ? blob : dmae__board_default_dtb, size, b->origin,
					&b->tree);
	free(blob);
	if (ret) {
		free(b);
		return ERR_PTR(ret);
	}
	dmae__platform_lock();
	if (board_find(b->name)) {
		dmae__platform_unlock();
		dmae_log(DMAE_LOG_ERR, "dmaengine: board %s is loaded already", b->name);
		b->tree = (dmae_of_tree_free(b->tree), NULL);
		free(b);
		return ERR_PTR(-EEXIST);
	}
	ret = board_sim_create(b, params);
	if (ret) {
		dmae__platform_unlock();
		dmae_log(DMAE_LOG_ERR, "dmaengine: board %s: cannot start its hardware (%d)", b->name,
			 ret);
		board_free(b);
		return ERR_PTR(ret);
	}
	list_add_tail(&b->node, &dmae__boards);
	ret = dmae__board_populate(b);
	dmae__platform_unlock();
	if (ret)
		dmae_log(DMAE_LOG_ERR, "dmaengine: board %s: not every device could be made (%d)",
			 b->name, ret);
	dmae_log(DMAE_LOG_DEBUG, "dmaengine: board %s loaded from %s", b->name, b->origin);
	return b;
}

struct busy_check {
	struct dmae_board *board; /* the board being unloaded */
	char what[160];		  /* the first channel held from outside, or "" */
};

static bool on_board(const struct dmae_board *b, const struct device *dev)
{
	for (; dev; dev = dev->parent)
		if (dev->of_node && dev->of_node->tree == b->tree)
			return true;
	return false;
}

static int busy_one(struct dma_device *dma, void *arg)
{
	struct busy_check *bc = arg;
	struct dma_chan *chan;

	if (!on_board(bc->board, dma->dev))
		return 0;
	list_for_each_entry(chan, &dma->channels, device_node) {
		/* A bound device of the board gives its channels back in its remove(). */
		if (!chan->client_count ||
		    (chan->slave && chan->slave->driver && on_board(bc->board, chan->slave)))
			continue;
		snprintf(bc->what, sizeof(bc->what), "%s is held by %s", dma_chan_name(chan),
			 chan->dbg_client_name ? chan->dbg_client_name : "a client");
		return 1;
	}
	return 0;
}

DMAE_EXPORT int dmaengine_board_unload(struct dmae_board *board)
{
	struct busy_check bc = { .board = board };

	if (!board)
		return -EINVAL;
	if (dmae_might_sleep(__func__))
		return -EDEADLK;
	dmae__platform_lock();
	if (dmaengine_for_each_device(busy_one, &bc)) {
		dmae__platform_unlock();
		dmae_log(DMAE_LOG_ERR, "dmaengine: board %s is busy: %s", board->name, bc.what);
		return -EBUSY;
	}
	dmae__board_depopulate(board);
	list_del(&board->node);
	dmae__platform_unlock();
	board_free(board);
	return 0;
}

DMAE_EXPORT struct dmae_board *dmaengine_board_get(const char *name)
{
	struct dmae_board *b;

	if (!name)
		return NULL;
	dmae__platform_lock();
	b = board_find(name);
	dmae__platform_unlock();
	return b;
}

DMAE_EXPORT const char *dmaengine_board_name(const struct dmae_board *board)
{
	return board->name;
}

DMAE_EXPORT const char *dmaengine_board_origin(const struct dmae_board *board)
{
	return board->origin;
}

DMAE_EXPORT struct dmae_sim *dmaengine_board_sim(struct dmae_board *board)
{
	return board->sim;
}

DMAE_EXPORT struct device_node *dmaengine_board_root(const struct dmae_board *board)
{
	return dmae_of_tree_root(board->tree);
}

DMAE_EXPORT int dmaengine_board_for_each_device(struct dmae_board *board,
						int (*fn)(struct platform_device *pdev, void *arg),
						void *arg)
{
	struct platform_device *pdev;
	int ret = 0;

	dmae__platform_lock();
	list_for_each_entry(pdev, &board->devices, board_node) {
		ret = fn(pdev, arg);
		if (ret)
			break;
	}
	dmae__platform_unlock();
	return ret;
}

/* ---------------------------------------------------------- the platform */

static struct {
	struct mutex lock;			  /* init and exit */
	u32 owner;				  /* token of the thread in init (atomic) */
	u32 done;				  /* init ran (atomic) */
	char spec[512];				  /* the selected spec, "" for the environment */
	struct dmae_board *boards[DMAE_PLATFORM_MAX]; /* what init loaded */
	unsigned int nr;
} plat;

static _Thread_local char plat_self;

static u32 plat_token(void)
{
	return (u32)((uintptr_t)&plat_self >> 4) | 1u;
}

/*
 * spec_check - whether every entry of @spec names a board that can be
 * found; @what names the spec in the one line about a bad entry.
 */
static int spec_check(const char *spec, const char *what)
{
	char buf[sizeof(plat.spec)], path[PATH_MAX], *save = NULL, *e;
	unsigned int n = 0;

	if (strlen(spec) >= sizeof(buf)) {
		dmae_log(DMAE_LOG_ERR, "dmaengine: %s: longer than %zu characters", what,
			 sizeof(buf) - 1);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (e = strtok_r(buf, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		if (++n > DMAE_PLATFORM_MAX) {
			dmae_log(DMAE_LOG_ERR, "dmaengine: %s=%s: more than %d boards", what, spec,
				 DMAE_PLATFORM_MAX);
			return -EINVAL;
		}
		if (!strcmp(e, "none") || !strcmp(e, "default") || !strcmp(e, "cpu"))
			continue;
		if (is_path(e) ? access(e, R_OK) : find_board(e, path, sizeof(path))) {
			dmae_log(DMAE_LOG_ERR, "dmaengine: %s=%s: no board '%s'", what, spec, e);
			return -EINVAL;
		}
	}
	if (!n) {
		dmae_log(DMAE_LOG_ERR, "dmaengine: %s is empty", what);
		return -EINVAL;
	}
	return 0;
}

static void platform_load(const char *spec)
{
	char buf[sizeof(plat.spec)], *save = NULL, *e;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (e = strtok_r(buf, ",", &save); e && plat.nr < DMAE_PLATFORM_MAX;
	     e = strtok_r(NULL, ",", &save)) {
		struct dmae_board *b;

		if (!strcmp(e, "none"))
			continue;
		b = dmaengine_board_load(!strcmp(e, "cpu") ? "default" : e, NULL);
		if (!IS_ERR(b))
			plat.boards[plat.nr++] = b;
	}
}

DMAE_EXPORT int dmaengine_platform_select(const char *spec)
{
	int ret;

	if (!spec)
		return -EINVAL;
	ret = spec_check(spec, "platform");
	if (ret)
		return ret;
	mutex_lock(&plat.lock);
	if (plat.done && strcmp(plat.spec, spec)) {
		mutex_unlock(&plat.lock);
		dmae_log(DMAE_LOG_ERR,
			 "dmaengine: platform %s: another platform is up (dmaengine_platform_exit first)",
			 spec);
		return -EBUSY;
	}
	snprintf(plat.spec, sizeof(plat.spec), "%s", spec);
	mutex_unlock(&plat.lock);
	return 0;
}

/* The spec to load: the selected one, DMAENGINE_PLATFORM, or the default board. */
static const char *platform_spec(void)
{
	const char *env;

	if (plat.spec[0])
		return plat.spec;
	env = getenv("DMAENGINE_PLATFORM");
	if (!env || !*env)
		return "default";
	if (spec_check(env, "DMAENGINE_PLATFORM")) {
		dmae_log(DMAE_LOG_WARN, "dmaengine: DMAENGINE_PLATFORM ignored; using the default platform");
		return "default";
	}
	return env;
}

DMAE_EXPORT int dmaengine_platform_init(void)
{
	if (__atomic_load_n(&plat.done, __ATOMIC_ACQUIRE))
		return 0;
	/*
	 * A driver probed by this very init, or by any board load, asks for a
	 * channel: it sees what is up so far (and no lock is taken out of order).
	 */
	if (__atomic_load_n(&plat.owner, __ATOMIC_RELAXED) == plat_token() ||
	    dmae__platform_locked())
		return 0;
	mutex_lock(&plat.lock);
	if (!plat.done) {
		__atomic_store_n(&plat.owner, plat_token(), __ATOMIC_RELAXED);
		platform_load(platform_spec());
		__atomic_store_n(&plat.owner, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&plat.done, 1, __ATOMIC_RELEASE);
	}
	mutex_unlock(&plat.lock);
	return 0;
}

DMAE_EXPORT int dmaengine_platform_exit(void)
{
	int ret = 0;

	mutex_lock(&plat.lock);
	while (plat.nr) {
		ret = dmaengine_board_unload(plat.boards[plat.nr - 1]);
		if (ret)
			break;
		plat.boards[--plat.nr] = NULL;
	}
	if (!ret)
		__atomic_store_n(&plat.done, 0, __ATOMIC_RELEASE);
	mutex_unlock(&plat.lock);
	return ret;
}

DMAE_EXPORT struct dmae_board *dmaengine_platform_board(unsigned int i)
{
	struct dmae_board *b;

	mutex_lock(&plat.lock);
	b = i < plat.nr ? plat.boards[i] : NULL;
	mutex_unlock(&plat.lock);
	return b;
}

/* At exit, take the boards down if no client still holds one of their channels. */
__attribute__((destructor(200))) static void platform_fini(void)
{
	if (__atomic_load_n(&plat.done, __ATOMIC_ACQUIRE))
		dmaengine_platform_exit();
}

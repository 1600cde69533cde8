// SPDX-License-Identifier: MIT
/*
 * of_fdt.c - loading a flattened device tree: libfdt checks the blob, then
 * its nodes and properties become struct device_node and struct property
 * arrays that point into a private copy of it (the kernel's
 * unflatten_device_tree and of_alias_scan). Loaded trees are kept in a list,
 * oldest first, for the finders that search every tree.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <dmaengine/os.h>

#include "platform/of_private.h"

static DEFINE_MUTEX(of_trees_mutex);
static LIST_HEAD(of_trees); /* struct dmae_of_tree.link; under of_trees_mutex */

void dmae__of_trees_lock(void)
{
	mutex_lock(&of_trees_mutex);
}

void dmae__of_trees_unlock(void)
{
	mutex_unlock(&of_trees_mutex);
}

struct list_head *dmae__of_trees(void)
{
	return &of_trees;
}

/* What a first walk of the blob counts, to size the arrays at once. */
struct of_fdt_counts {
	unsigned int nodes;  /* nodes, root included */
	unsigned int props;  /* properties, with the "name" ones we add */
	size_t names;	     /* bytes of the nodes' names without unit address */
	int max_depth;	     /* deepest node (the root is at 0) */
};

/* Length of a node name up to its unit address. */
static size_t of_fdt_name_len(const char *full_name)
{
	const char *at = strchr(full_name, '@');

	return at ? (size_t)(at - full_name) : strlen(full_name);
}

/*
 * Bytes a name takes in the tree's names: with its NUL, rounded up to 4 so
 * that each starts 32-bit aligned, as the value of its "name" property (which
 * a driver may read as cells) must.
 */
static size_t of_fdt_name_room(size_t len)
{
	return (len + 1 + 3) & ~(size_t)3;
}

/* of_fdt_node_props - count @off's properties; whether one is "name". */
static int of_fdt_node_props(const void *fdt, int off, unsigned int *count, bool *has_name)
{
	int poff, len;

	*count = 0;
	*has_name = false;
	fdt_for_each_property_offset(poff, fdt, off) {
		const char *pname;

		if (!fdt_getprop_by_offset(fdt, poff, &pname, &len))
			return len;
		if (!strcmp(pname, "name"))
			*has_name = true;
		(*count)++;
	}
	return poff == -FDT_ERR_NOTFOUND ? 0 : poff;
}

/* of_fdt_extra_root - whether a node follows the root's end, from @off on. */
static bool of_fdt_extra_root(const void *fdt, int off)
{
	for (;;) {
		int next;
		uint32_t tag = fdt_next_tag(fdt, off, &next);

		if (tag == FDT_BEGIN_NODE)
			return true;
		if (tag == FDT_END || next < 0)
			return false;
		off = next;
	}
}

/*
 * of_fdt_count - walk every node once: how many nodes and properties, how
 * deep. Returns 0, a libfdt error (negative), or 1 for a second root.
 */
static int of_fdt_count(const void *fdt, struct of_fdt_counts *c)
{
	int depth = -1, ret, off = fdt_next_node(fdt, -1, &depth);

	memset(c, 0, sizeof(*c));
	if (off < 0)
		return off;
	do {
		unsigned int props;
		bool has_name;
		const char *name = fdt_get_name(fdt, off, &ret);

		if (!name)
			return ret;
		ret = of_fdt_node_props(fdt, off, &props, &has_name);
		if (ret)
			return ret;
		c->nodes++;
		c->props += props + !has_name;
		c->names += of_fdt_name_room(of_fdt_name_len(name));
		if (depth > c->max_depth)
			c->max_depth = depth;
		off = fdt_next_node(fdt, off, &depth);
	} while (off >= 0 && depth > 0);
	if (off >= 0)
		return of_fdt_extra_root(fdt, off);
	return off == -FDT_ERR_NOTFOUND ? 0 : off;
}

/* of_fdt_set_phandle - the first "phandle" / "linux,phandle" of one cell wins. */
static void of_fdt_set_phandle(struct device_node *np, const struct property *pp)
{
	u32 v;

	if (np->phandle || pp->length != 4)
		return;
	if (strcmp(pp->name, "phandle") && strcmp(pp->name, "linux,phandle"))
		return;
	v = be32_to_cpup(pp->value);
	if (v && v != 0xffffffffu)
		np->phandle = v;
}

/*
 * of_fdt_fill_props - @np's properties from the blob, then a "name" one
 * when the blob has none, as the kernel adds for version 16+ blobs. @next
 * is the first free entry of the tree's array; returns the next free one.
 */
static struct property *of_fdt_fill_props(const void *fdt, int off, struct device_node *np,
					  struct property *next)
{
	struct property **link = &np->properties;
	bool has_name = false;
	int poff, len;

	fdt_for_each_property_offset(poff, fdt, off) {
		const char *pname;
		const void *val = fdt_getprop_by_offset(fdt, poff, &pname, &len);

		next->name = (char *)pname;
		next->length = len;
		next->value = (void *)val;
		has_name |= !strcmp(pname, "name");
		of_fdt_set_phandle(np, next);
		*link = next;
		link = &next->next;
		next++;
	}
	if (!has_name) {
		next->name = (char *)"name";
		next->length = (int)strlen(np->name) + 1;
		next->value = (void *)np->name;
		*link = next++;
	}
	return next;
}

/* of_fdt_link - @np at @depth: its parent is the last node one level up. */
static void of_fdt_link(struct device_node *np, int depth, struct device_node **last)
{
	struct device_node *prev = last[depth];

	if (depth > 0) {
		np->parent = last[depth - 1];
		if (prev && prev->parent == np->parent)
			prev->sibling = np;
		else
			np->parent->child = np;
	}
	last[depth] = np;
}

/* of_fdt_build - fill the tree's arrays; the counts come from of_fdt_count. */
static int of_fdt_build(struct dmae_of_tree *tree, const struct of_fdt_counts *c)
{
	struct device_node **last = calloc((size_t)c->max_depth + 1, sizeof(*last));
	struct property *next = tree->props;
	char *names = tree->names;
	int depth = -1, len, off = fdt_next_node(tree->blob, -1, &depth);

	if (!last)
		return -ENOMEM;
	for (unsigned int i = 0; i < c->nodes; i++) {
		struct device_node *np = &tree->nodes[i];
		const char *full = fdt_get_name(tree->blob, off, &len);
		size_t nlen = of_fdt_name_len(full);

		np->full_name = i ? full : "/";
		np->name = memcpy(names, full, nlen);
		memset(names + nlen, 0, of_fdt_name_room(nlen) - nlen);
		names += of_fdt_name_room(nlen);
		np->tree = tree;
		of_fdt_link(np, depth, last);
		next = of_fdt_fill_props(tree->blob, off, np, next);
		off = fdt_next_node(tree->blob, off, &depth);
	}
	free(last);
	return 0;
}

/* of_fdt_alias_id - split @alias into its stem and trailing number; false if it has none. */
static bool of_fdt_alias_id(const char *alias, size_t *stem_len, int *id)
{
	const char *end = alias + strlen(alias), *digits = end;
	long v = 0;

	while (digits > alias && isdigit((unsigned char)digits[-1]))
		digits--;
	if (digits == end)
		return false;
	for (const char *p = digits; p < end; p++) {
		v = v * 10 + (*p - '0');
		if (v > INT_MAX)
			return false;
	}
	*stem_len = (size_t)(digits - alias);
	*id = (int)v;
	return true;
}

/* of_fdt_add_alias - record @pp of /aliases if it names a node and ends in a number. */
static void of_fdt_add_alias(struct dmae_of_tree *tree, const struct property *pp, char **stems)
{
	struct dmae_of_alias *a = &tree->alias_ids[tree->nr_alias_ids];
	struct device_node *np;
	size_t stem_len;
	int id;

	if (!strcmp(pp->name, "name") || !strcmp(pp->name, "phandle") ||
	    !strcmp(pp->name, "linux,phandle"))
		return;
	if (pp->length <= 0 || strnlen(pp->value, (size_t)pp->length) >= (size_t)pp->length)
		return;
	np = *(const char *)pp->value == '/' ? dmae__of_find_path(tree, pp->value) : NULL;
	if (!np || !of_fdt_alias_id(pp->name, &stem_len, &id))
		return;
	a->alias = pp->name;
	a->stem = memcpy(*stems, pp->name, stem_len);
	(*stems)[stem_len] = '\0';
	*stems += stem_len + 1;
	a->id = id;
	a->np = np;
	tree->nr_alias_ids++;
}

/* of_fdt_scan_aliases - the kernel's of_alias_scan over /aliases. */
static int of_fdt_scan_aliases(struct dmae_of_tree *tree)
{
	struct device_node *aliases = dmae__of_find_path(tree, "/aliases");
	size_t count = 0, bytes = 0;
	struct property *pp;
	char *stems;

	if (!aliases)
		return 0;
	tree->aliases = aliases;
	for (pp = aliases->properties; pp; pp = pp->next) {
		count++;
		bytes += strlen(pp->name) + 1;
	}
	tree->alias_ids = malloc(count * sizeof(*tree->alias_ids) + bytes);
	if (!tree->alias_ids)
		return -ENOMEM;
	stems = (char *)(tree->alias_ids + count);
	for (pp = aliases->properties; pp; pp = pp->next)
		of_fdt_add_alias(tree, pp, &stems);
	return 0;
}

/* of_fdt_check - libfdt's full check of the copy; one line on failure. */
static int of_fdt_check(const void *blob, size_t size, const char *origin)
{
	int err;

	if (size > INT_MAX) {
		pr_err("OF: fdt: %s: not a device tree: %zu bytes is more than a blob can hold",
		       origin, size);
		return -EINVAL;
	}
	err = fdt_check_full(blob, size);
	if (err) {
		pr_err("OF: fdt: %s: not a device tree: %s", origin, fdt_strerror(err));
		return -EINVAL;
	}
	if (fdt_off_dt_struct(blob) % 4) {
		pr_err("OF: fdt: %s: not a device tree: structure block not 32-bit aligned",
		       origin);
		return -EINVAL;
	}
	return 0;
}

/* of_fdt_alloc - the tree and its arrays, sized by a walk of @tree->blob. */
static int of_fdt_alloc(struct dmae_of_tree *tree, struct of_fdt_counts *c)
{
	int err = of_fdt_count(tree->blob, c);

	if (err) {
		pr_err("OF: fdt: %s: not a device tree: %s", tree->origin,
		       err > 0 ? "more than one root node" : fdt_strerror(err));
		return -EINVAL;
	}
	tree->nodes = calloc(c->nodes, sizeof(*tree->nodes));
	tree->props = calloc(c->props, sizeof(*tree->props));
	tree->names = malloc(c->names);
	if (!tree->nodes || !tree->props || !tree->names)
		return -ENOMEM;
	tree->nr_nodes = c->nodes;
	tree->nr_props = c->props;
	return 0;
}

static void of_fdt_release(struct dmae_of_tree *tree)
{
	free(tree->alias_ids);
	free(tree->names);
	free(tree->props);
	free(tree->nodes);
	free(tree->origin);
	free(tree->blob);
	free(tree);
}

/* of_fdt_unflatten - a new tree from a copy of @blob; not yet in the list. */
static int of_fdt_unflatten(const void *blob, size_t size, const char *origin,
			    struct dmae_of_tree **treep)
{
	struct dmae_of_tree *tree = calloc(1, sizeof(*tree));
	struct of_fdt_counts c;
	int ret = -ENOMEM;

	if (!tree)
		return -ENOMEM;
	tree->origin = strdup(origin);
	tree->blob = malloc(size);
	if (!tree->origin || !tree->blob)
		goto out_release;
	memcpy(tree->blob, blob, size);
	ret = of_fdt_check(tree->blob, size, origin);
	if (ret)
		goto out_release;
	tree->size = fdt_totalsize(tree->blob);
	ret = of_fdt_alloc(tree, &c);
	if (!ret)
		ret = of_fdt_build(tree, &c);
	if (!ret)
		ret = of_fdt_scan_aliases(tree);
	if (ret)
		goto out_release;
	*treep = tree;
	return 0;
out_release:
	if (ret == -ENOMEM)
		pr_err("OF: fdt: %s: out of memory loading the tree", origin);
	of_fdt_release(tree);
	return ret;
}

DMAE_EXPORT int dmae_of_tree_load(const void *blob, size_t size, const char *origin,
				  struct dmae_of_tree **treep)
{
	struct dmae_of_tree *tree;
	int ret;

	if (!origin)
		origin = "(unnamed blob)";
	if (!treep) {
		pr_err("OF: fdt: %s: no place given for the loaded tree", origin);
		return -EINVAL;
	}
	if (!blob || !size) {
		pr_err("OF: fdt: %s: not a device tree: empty", origin);
		return -EINVAL;
	}
	ret = of_fdt_unflatten(blob, size, origin, &tree);
	if (ret)
		return ret;
	mutex_lock(&of_trees_mutex);
	list_add_tail(&tree->link, &of_trees);
	mutex_unlock(&of_trees_mutex);
	*treep = tree;
	return 0;
}

DMAE_EXPORT void dmae_of_tree_free(struct dmae_of_tree *tree)
{
	if (!tree)
		return;
	mutex_lock(&of_trees_mutex);
	list_del(&tree->link);
	mutex_unlock(&of_trees_mutex);
	of_fdt_release(tree);
}

DMAE_EXPORT struct device_node *dmae_of_tree_root(const struct dmae_of_tree *tree)
{
	return tree ? &tree->nodes[0] : NULL;
}

DMAE_EXPORT const char *dmae_of_tree_origin(const struct dmae_of_tree *tree)
{
	return tree ? tree->origin : NULL;
}

DMAE_EXPORT const void *dmae_of_tree_blob(const struct dmae_of_tree *tree, size_t *size)
{
	if (size)
		*size = tree ? tree->size : 0;
	return tree ? tree->blob : NULL;
}

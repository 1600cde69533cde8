/* SPDX-License-Identifier: MIT */
/*
 * of_private.h - the device-tree layer's own view of a loaded tree: private
 * to src/platform (of.c, of_address.c, of_irq.c, of_fdt.c).
 *
 * A tree is immutable once loaded: its nodes and properties are arrays built
 * from the blob (which they point into), so reading needs no lock. Only the
 * list of loaded trees is locked.
 */
#ifndef DMAE_PLATFORM_OF_PRIVATE_H
#define DMAE_PLATFORM_OF_PRIVATE_H

#include <dmaengine/list.h>
#include <dmaengine/of.h>

/* An entry of /aliases, scanned at load time as the kernel's of_alias_scan. */
struct dmae_of_alias {
	const char *alias;	   /* the property name ("serial0") */
	const char *stem;	   /* its name without the trailing id ("serial") */
	int id;			   /* the trailing number (0) */
	struct device_node *np;	   /* the node the alias points at */
};

struct dmae_of_tree {
	struct list_head link;	       /* in the loaded trees; under the trees' mutex */
	void *blob;		       /* the checked copy of the flattened tree */
	size_t size;		       /* bytes of blob */
	char *origin;		       /* what it was loaded from, for messages */
	struct device_node *nodes;     /* every node, depth first (nodes[0] is the root) */
	unsigned int nr_nodes;	       /* entries of nodes */
	struct property *props;	       /* every property, node by node */
	unsigned int nr_props;	       /* entries of props */
	char *names;		       /* the nodes' names without unit address */
	struct device_node *aliases;   /* /aliases, or NULL */
	struct dmae_of_alias *alias_ids; /* the usable aliases, in property order */
	unsigned int nr_alias_ids;     /* entries of alias_ids */
};

/* The longest address a bus may have, in cells (the kernel's OF_MAX_ADDR_CELLS). */
#define DMAE_OF_MAX_ADDR_CELLS 4

/** dmae__of_read_number - @size cells at @cell as one number (the low 64 bits). */
static inline u64 dmae__of_read_number(const __be32 *cell, int size)
{
	u64 r = 0;

	while (size-- > 0)
		r = (r << 32) | be32_to_cpu(*cell++);
	return r;
}

/** dmae__of_find_phandle - the node of @tree whose phandle is @handle, or NULL. */
struct device_node *dmae__of_find_phandle(const struct dmae_of_tree *tree, phandle handle);
/**
 * dmae__of_find_path - the node of @tree at @path (absolute or starting
 * with one of the tree's aliases; a ':' ends it), or NULL.
 */
struct device_node *dmae__of_find_path(const struct dmae_of_tree *tree, const char *path);
/** dmae__of_next_string - the string of @pp after @cur (NULL: the first), or NULL at the end. */
const char *dmae__of_next_string(const struct property *pp, const char *cur);
/**
 * dmae__of_cells_end - one past the last cell @addr may be read up to: the
 * end of the property of @np's tree holding @addr, or NULL when @addr is
 * not inside the tree's blob (a caller's own buffer). Sets *@inside.
 */
const __be32 *dmae__of_cells_end(const struct device_node *np, const __be32 *addr,
				 bool *inside);
/** dmae__of_trees_lock / unlock - the mutex of the loaded trees' list. */
void dmae__of_trees_lock(void);
void dmae__of_trees_unlock(void);
/** dmae__of_trees - the loaded trees, oldest first; under dmae__of_trees_lock(). */
struct list_head *dmae__of_trees(void);

#endif /* DMAE_PLATFORM_OF_PRIVATE_H */

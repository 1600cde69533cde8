/* SPDX-License-Identifier: MIT */
/*
 * dmaengine/of.h - the device tree, as the kernel's linux/of.h,
 * linux/of_address.h and linux/of_irq.h show it to drivers: nodes,
 * properties (big-endian cells, as in the blob), phandles with arguments,
 * addresses translated through `ranges`, interrupt specifiers.
 *
 * For drivers. A tree is read from a .dtb with libfdt when a board is loaded
 * (dmaengine/board.h) and lives until the board is unloaded; nodes are not
 * reference counted (of_node_get and of_node_put exist and do nothing).
 * Several boards may be loaded at once: functions that search "the" tree
 * without a starting node search every loaded tree, oldest first.
 *
 * Errors are the kernel's: -EINVAL when a property is missing, -EOVERFLOW
 * when it is shorter than asked, -ENODATA for a string list without the
 * string asked for, -EILSEQ for a string that is not terminated, -ENOENT for
 * a phandle list entry that is not there. As in the kernel, an empty
 * property (`dma-coherent;`) has a value of length 0: read as a number it is
 * -EOVERFLOW, as a string -ENODATA. Every read is bounded by the property's
 * length, and a malformed tree gets one line saying what is wrong.
 */
#ifndef DMAENGINE_OF_H
#define DMAENGINE_OF_H

#include <dmaengine/ioport.h>
#include <dmaengine/types.h>

DMAE_BEGIN_DECLS

typedef u32 phandle;
typedef uint32_t __be32;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline u32 be32_to_cpu(__be32 v) { return __builtin_bswap32(v); }
#else
static inline u32 be32_to_cpu(__be32 v) { return v; }
#endif
static inline u32 be32_to_cpup(const __be32 *p) { return be32_to_cpu(*p); }
static inline __be32 cpu_to_be32(u32 v) { return be32_to_cpu(v); }

struct property {
	char *name;	       /* NUL-terminated, inside the blob */
	int length;	       /* bytes of value */
	void *value;	       /* big-endian cells or strings, inside the blob */
	struct property *next; /* the node's next property */
};

struct dmae_of_tree;

struct device_node {
	const char *name;	     /* node name without the unit address ("serial") */
	const char *full_name;	     /* with it ("serial@4000e000"); "/" for the root */
	phandle phandle;	     /* its phandle, 0 if none */
	struct property *properties; /* first property */
	struct device_node *parent;  /* NULL for the root */
	struct device_node *child;   /* first child */
	struct device_node *sibling; /* next child of the parent */
	struct dmae_of_tree *tree;   /* the tree it belongs to */
	unsigned long _flags;	     /* OF_POPULATED, ... */
	void *data;		     /* the platform device made from it, or NULL */
};

#define OF_POPULATED 3 /* bit of _flags: a device was created for the node */

#define MAX_PHANDLE_ARGS 16
struct of_phandle_args {
	struct device_node *np; /* the node the phandle points at */
	int args_count;		/* cells that follow it */
	u32 args[MAX_PHANDLE_ARGS];
};

struct of_device_id {
	char name[32];	      /* node name to match, or "" */
	char type[32];	      /* device_type to match, or "" */
	char compatible[128]; /* compatible string to match, or "" */
	const void *data;     /* the driver's data for this match */
};

#define OF_BAD_ADDR ((u64)-1)

/* ------------------------------------------------------------------ trees */

/**
 * dmae_of_tree_load - check the flattened tree @blob (@size bytes, which it
 * copies) with libfdt and build its nodes; @origin names it in messages (a
 * path, or a board name). The tree joins the loaded trees. @return 0, or
 * -EINVAL for a blob that is not a valid device tree (one line says why:
 * the libfdt error and @origin), -ENOMEM.
 */
DMAE_EXPORT int dmae_of_tree_load(const void *blob, size_t size, const char *origin,
				  struct dmae_of_tree **tree);
/** dmae_of_tree_free - leave the loaded trees and free @tree (NULL is ignored). */
DMAE_EXPORT void dmae_of_tree_free(struct dmae_of_tree *tree);
/** dmae_of_tree_root - the root node of @tree. */
DMAE_EXPORT struct device_node *dmae_of_tree_root(const struct dmae_of_tree *tree);
/** dmae_of_tree_origin - what @tree was loaded from, as given to dmae_of_tree_load. */
DMAE_EXPORT const char *dmae_of_tree_origin(const struct dmae_of_tree *tree);
/** dmae_of_tree_blob - the flattened tree (libfdt's view) and its size. */
DMAE_EXPORT const void *dmae_of_tree_blob(const struct dmae_of_tree *tree, size_t *size);
/**
 * dmae_of_node_path - the full path of @np ("/soc/serial@4000e000"), as the
 * kernel's %pOF prints it, into @buf (always terminated); returns @buf.
 */
DMAE_EXPORT char *dmae_of_node_path(const struct device_node *np, char *buf, size_t size);

/* ----------------------------------------------------------------- finding */

DMAE_EXPORT struct device_node *dmae_of_find_node_by_path(const char *path);
/** of_find_node_by_path - "/soc/dma-controller@48000000", or an alias ("serial0"). */
static inline struct device_node *of_find_node_by_path(const char *path)
{
	return dmae_of_find_node_by_path(path);
}
DMAE_EXPORT struct device_node *dmae_of_find_node_by_phandle(phandle handle);
/** of_find_node_by_phandle - in any loaded tree (the first that has it). */
static inline struct device_node *of_find_node_by_phandle(phandle handle)
{
	return dmae_of_find_node_by_phandle(handle);
}
DMAE_EXPORT struct device_node *dmae_of_find_compatible_node(struct device_node *from,
							     const char *type,
							     const char *compat);
/** of_find_compatible_node - the next node after @from (NULL: from the start) that matches. */
static inline struct device_node *of_find_compatible_node(struct device_node *from,
							  const char *type, const char *compat)
{
	return dmae_of_find_compatible_node(from, type, compat);
}
DMAE_EXPORT struct device_node *dmae_of_find_node_by_name(struct device_node *from,
							  const char *name);
static inline struct device_node *of_find_node_by_name(struct device_node *from, const char *name)
{
	return dmae_of_find_node_by_name(from, name);
}

static inline struct device_node *of_node_get(struct device_node *np) { return np; }
static inline void of_node_put(struct device_node *np) { (void)np; }
static inline struct device_node *of_get_parent(const struct device_node *np)
{
	return np ? np->parent : NULL;
}
static inline struct device_node *of_get_next_child(const struct device_node *np,
						    struct device_node *prev)
{
	return !np ? NULL : prev ? prev->sibling : np->child;
}
DMAE_EXPORT bool dmae_of_device_is_available(const struct device_node *np);
/** of_device_is_available - no status, or status "okay" / "ok". */
static inline bool of_device_is_available(const struct device_node *np)
{
	return dmae_of_device_is_available(np);
}
static inline struct device_node *of_get_next_available_child(const struct device_node *np,
							      struct device_node *prev)
{
	struct device_node *c = of_get_next_child(np, prev);

	while (c && !of_device_is_available(c))
		c = c->sibling;
	return c;
}
#define for_each_child_of_node(parent, child) \
	for (child = of_get_next_child(parent, NULL); child; child = of_get_next_child(parent, child))
#define for_each_available_child_of_node(parent, child)                          \
	for (child = of_get_next_available_child(parent, NULL); child;           \
	     child = of_get_next_available_child(parent, child))
#define for_each_compatible_node(dn, type, compatible)                           \
	for (dn = of_find_compatible_node(NULL, type, compatible); dn;           \
	     dn = of_find_compatible_node(dn, type, compatible))
DMAE_EXPORT struct device_node *dmae_of_get_child_by_name(const struct device_node *np,
							  const char *name);
static inline struct device_node *of_get_child_by_name(const struct device_node *np,
						       const char *name)
{
	return dmae_of_get_child_by_name(np, name);
}
DMAE_EXPORT int dmae_of_get_child_count(const struct device_node *np);
static inline int of_get_child_count(const struct device_node *np)
{
	return dmae_of_get_child_count(np);
}
DMAE_EXPORT bool dmae_of_node_name_eq(const struct device_node *np, const char *name);
/** of_node_name_eq - the node's name, without unit address, is @name. */
static inline bool of_node_name_eq(const struct device_node *np, const char *name)
{
	return dmae_of_node_name_eq(np, name);
}
static inline const char *of_node_full_name(const struct device_node *np)
{
	return np ? np->full_name : "<no-node>";
}
DMAE_EXPORT int dmae_of_alias_get_id(const struct device_node *np, const char *stem);
/** of_alias_get_id - N of the alias "<stem>N" pointing at @np, or -ENODEV. */
static inline int of_alias_get_id(const struct device_node *np, const char *stem)
{
	return dmae_of_alias_get_id(np, stem);
}

/* ------------------------------------------------------------- properties */

DMAE_EXPORT struct property *dmae_of_find_property(const struct device_node *np,
						   const char *name, int *lenp);
static inline struct property *of_find_property(const struct device_node *np, const char *name,
						int *lenp)
{
	return dmae_of_find_property(np, name, lenp);
}
/** of_get_property - the property's value (big-endian) and length, or NULL. */
static inline const void *of_get_property(const struct device_node *np, const char *name,
					  int *lenp)
{
	struct property *pp = of_find_property(np, name, lenp);

	return pp ? pp->value : NULL;
}
static inline bool of_property_read_bool(const struct device_node *np, const char *name)
{
	return of_find_property(np, name, NULL) != NULL;
}
static inline bool of_property_present(const struct device_node *np, const char *name)
{
	return of_property_read_bool(np, name);
}
DMAE_EXPORT int dmae_of_property_read_u32_array(const struct device_node *np, const char *name,
						u32 *out, size_t sz);
/** of_property_read_u32_array - the first @sz cells. 0, -EINVAL (missing), -EOVERFLOW (shorter). */
static inline int of_property_read_u32_array(const struct device_node *np, const char *name,
					     u32 *out, size_t sz)
{
	return dmae_of_property_read_u32_array(np, name, out, sz);
}
static inline int of_property_read_u32(const struct device_node *np, const char *name, u32 *out)
{
	return of_property_read_u32_array(np, name, out, 1);
}
DMAE_EXPORT int dmae_of_property_read_u32_index(const struct device_node *np, const char *name,
						u32 index, u32 *out);
static inline int of_property_read_u32_index(const struct device_node *np, const char *name,
					     u32 index, u32 *out)
{
	return dmae_of_property_read_u32_index(np, name, index, out);
}
DMAE_EXPORT int dmae_of_property_read_u64(const struct device_node *np, const char *name,
					  u64 *out);
/** of_property_read_u64 - a 64-bit value (two cells). */
static inline int of_property_read_u64(const struct device_node *np, const char *name, u64 *out)
{
	return dmae_of_property_read_u64(np, name, out);
}
DMAE_EXPORT int dmae_of_property_count_elems_of_size(const struct device_node *np,
						     const char *name, int elem_size);
static inline int of_property_count_u32_elems(const struct device_node *np, const char *name)
{
	return dmae_of_property_count_elems_of_size(np, name, 4);
}
DMAE_EXPORT int dmae_of_property_read_string_helper(const struct device_node *np,
						    const char *name, const char **out,
						    size_t sz, int skip);
/** of_property_read_string - the first string. 0, -EINVAL, -ENODATA, -EILSEQ. */
static inline int of_property_read_string(const struct device_node *np, const char *name,
					  const char **out)
{
	int n = dmae_of_property_read_string_helper(np, name, out, 1, 0);

	return n < 0 ? n : 0;
}
static inline int of_property_read_string_index(const struct device_node *np, const char *name,
						int index, const char **out)
{
	int n = dmae_of_property_read_string_helper(np, name, out, 1, index);

	return n < 0 ? n : 0;
}
static inline int of_property_count_strings(const struct device_node *np, const char *name)
{
	return dmae_of_property_read_string_helper(np, name, NULL, 0, 0);
}
DMAE_EXPORT int dmae_of_property_match_string(const struct device_node *np, const char *name,
					      const char *string);
/** of_property_match_string - the index of @string in the list, -ENODATA, -EINVAL. */
static inline int of_property_match_string(const struct device_node *np, const char *name,
					   const char *string)
{
	return dmae_of_property_match_string(np, name, string);
}

/* ------------------------------------------------------------ compatibles */

DMAE_EXPORT int dmae_of_device_is_compatible(const struct device_node *np, const char *compat);
/** of_device_is_compatible - a score > 0 if @compat is in the node's list, else 0. */
static inline int of_device_is_compatible(const struct device_node *np, const char *compat)
{
	return dmae_of_device_is_compatible(np, compat);
}
DMAE_EXPORT const struct of_device_id *dmae_of_match_node(const struct of_device_id *matches,
							  const struct device_node *np);
/** of_match_node - the best entry of @matches (ended by an empty entry) for @np, or NULL. */
static inline const struct of_device_id *of_match_node(const struct of_device_id *matches,
						       const struct device_node *np)
{
	return dmae_of_match_node(matches, np);
}

/* --------------------------------------------------------------- phandles */

DMAE_EXPORT int dmae_of_parse_phandle_with_args(const struct device_node *np,
						const char *list_name, const char *cells_name,
						int cell_count, int index,
						struct of_phandle_args *out_args);
/**
 * of_parse_phandle_with_args - entry @index of the phandle list @list_name,
 * each phandle followed by as many cells as its target's @cells_name says.
 * 0; -ENOENT (no list, no such entry, or an empty phandle); -EINVAL (a
 * phandle to no node, a target without @cells_name, a list cut short, more
 * than MAX_PHANDLE_ARGS argument cells, @index < 0).
 */
static inline int of_parse_phandle_with_args(const struct device_node *np, const char *list_name,
					     const char *cells_name, int index,
					     struct of_phandle_args *out_args)
{
	return dmae_of_parse_phandle_with_args(np, list_name, cells_name, -1, index, out_args);
}
static inline int of_parse_phandle_with_fixed_args(const struct device_node *np,
						   const char *list_name, int cell_count,
						   int index, struct of_phandle_args *out_args)
{
	return dmae_of_parse_phandle_with_args(np, list_name, NULL, cell_count, index, out_args);
}
static inline struct device_node *of_parse_phandle(const struct device_node *np,
						   const char *phandle_name, int index)
{
	struct of_phandle_args args;

	if (index < 0 ||
	    dmae_of_parse_phandle_with_args(np, phandle_name, NULL, 0, index, &args))
		return NULL;
	return args.np;
}
DMAE_EXPORT int dmae_of_count_phandle_with_args(const struct device_node *np,
						const char *list_name, const char *cells_name);
/** of_count_phandle_with_args - entries in the list, or -ENOENT (no list) / -EINVAL (malformed). */
static inline int of_count_phandle_with_args(const struct device_node *np,
					     const char *list_name, const char *cells_name)
{
	return dmae_of_count_phandle_with_args(np, list_name, cells_name);
}

/* -------------------------------------------------------------- addresses */

DMAE_EXPORT int dmae_of_n_addr_cells(const struct device_node *np);
DMAE_EXPORT int dmae_of_n_size_cells(const struct device_node *np);
/** of_n_addr_cells - the #address-cells that applies to @np's reg (its parent's; default 2). */
static inline int of_n_addr_cells(const struct device_node *np) { return dmae_of_n_addr_cells(np); }
/** of_n_size_cells - the #size-cells that applies to @np's reg (default 1). */
static inline int of_n_size_cells(const struct device_node *np) { return dmae_of_n_size_cells(np); }
DMAE_EXPORT u64 dmae_of_translate_address(const struct device_node *np, const __be32 *addr);
/** of_translate_address - a bus address of @np's reg through every parent's ranges, or OF_BAD_ADDR. */
static inline u64 of_translate_address(const struct device_node *np, const __be32 *addr)
{
	return dmae_of_translate_address(np, addr);
}
DMAE_EXPORT int dmae_of_address_to_resource(const struct device_node *np, int index,
					    struct resource *r);
/**
 * of_address_to_resource - entry @index of reg, translated, as an
 * IORESOURCE_MEM resource named from reg-names (else the node's full name).
 * 0, -EINVAL (no such entry or untranslatable), -EOVERFLOW (the range wraps
 * past 2^64).
 */
static inline int of_address_to_resource(const struct device_node *np, int index,
					 struct resource *r)
{
	return dmae_of_address_to_resource(np, index, r);
}
DMAE_EXPORT bool dmae_of_dma_is_coherent(const struct device_node *np);
/** of_dma_is_coherent - dma-coherent on @np or on a parent bus. */
static inline bool of_dma_is_coherent(const struct device_node *np)
{
	return dmae_of_dma_is_coherent(np);
}
/**
 * dmae_of_dma_get_range - the first dma-ranges entry that applies to @np
 * (looked up from its parent upwards, as the kernel's of_dma_get_range):
 * device bus address @dma_start, CPU address @paddr, @size (contiguous
 * entries merged). 0; -ENODEV when no parent has a non-empty dma-ranges
 * (no translation: identity, and the outputs are 0); -EINVAL for a
 * malformed one (bad cells, no entry that translates).
 */
DMAE_EXPORT int dmae_of_dma_get_range(const struct device_node *np, u64 *dma_start, u64 *paddr,
				      u64 *size);

/* ------------------------------------------------------------- interrupts */

DMAE_EXPORT int dmae_of_irq_parse_one(const struct device_node *np, int index,
				      struct of_phandle_args *out_irq);
/**
 * of_irq_parse_one - interrupt specifier @index of @np, from
 * interrupts-extended, or interrupts with the interrupt-parent found upwards
 * and its #interrupt-cells, followed up to its interrupt controller. 0;
 * -EINVAL (no interrupts, no parent or #interrupt-cells, malformed, an
 * interrupt-map: not supported); -EOVERFLOW (@index past the end of
 * interrupts); -ENOENT (no interrupt controller upwards).
 */
static inline int of_irq_parse_one(const struct device_node *np, int index,
				   struct of_phandle_args *out_irq)
{
	return dmae_of_irq_parse_one(np, index, out_irq);
}
DMAE_EXPORT int dmae_of_irq_count(const struct device_node *np);
static inline int of_irq_count(const struct device_node *np) { return dmae_of_irq_count(np); }

DMAE_END_DECLS

#endif /* DMAENGINE_OF_H */

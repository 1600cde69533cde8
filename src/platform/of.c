// SPDX-License-Identifier: MIT
/*
 * of.c - nodes, properties, compatibles, phandles and aliases of the loaded
 * device trees, with the kernel's semantics and errors (drivers/of/base.c,
 * property.c). Every read is bounded by the property's length: a malformed
 * tree gets an error, never a read past its end.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <dmaengine/os.h>

#include "platform/of_private.h"

#define OF_PATH_MAX 256 /* enough of a path for a message */

/* ------------------------------------------------------------------ paths */

DMAE_EXPORT char *dmae_of_node_path(const struct device_node *np, char *buf, size_t size)
{
	size_t len = 0, pos;

	if (!buf || !size)
		return buf;
	if (!np || !np->parent) {
		snprintf(buf, size, "%s", np ? "/" : "(null)");
		return buf;
	}
	for (const struct device_node *n = np; n->parent; n = n->parent)
		len += 1 + strlen(n->full_name);
	/* Fill from the end: each component, then its '/', as far as @buf reaches. */
	pos = len;
	for (const struct device_node *n = np; n->parent; n = n->parent) {
		size_t l = strlen(n->full_name);

		pos -= l;
		for (size_t i = 0; i < l; i++)
			if (pos + i < size - 1)
				buf[pos + i] = n->full_name[i];
		if (--pos < size - 1)
			buf[pos] = '/';
	}
	buf[len < size - 1 ? len : size - 1] = '\0';
	return buf;
}

/* of_child_by_component - the child of @np whose full name is the first @len bytes of @path. */
static struct device_node *of_child_by_component(const struct device_node *np, const char *path,
						 size_t len)
{
	if (!len)
		return NULL;
	for (struct device_node *c = np->child; c; c = c->sibling)
		if (!strncmp(path, c->full_name, len) && strlen(c->full_name) == len)
			return c;
	return NULL;
}

/* of_walk_path - from @np down the '/' components of @path, stopping at a ':' (@sep). */
static struct device_node *of_walk_path(struct device_node *np, const char *path,
					const char *sep)
{
	while (np && *path == '/') {
		path++;
		np = of_child_by_component(np, path, strcspn(path, "/:"));
		path = strchrnul(path, '/');
		if (sep && sep < path)
			break;
	}
	return np;
}

/* of_alias_path - the path /aliases gives for the first @len bytes of @name, or NULL. */
static const char *of_alias_path(const struct dmae_of_tree *tree, const char *name, size_t len)
{
	if (!tree->aliases)
		return NULL;
	for (struct property *pp = tree->aliases->properties; pp; pp = pp->next) {
		if (strlen(pp->name) != len || strncmp(pp->name, name, len))
			continue;
		if (pp->length <= 0 || strnlen(pp->value, (size_t)pp->length) >= (size_t)pp->length)
			return NULL;
		return *(const char *)pp->value == '/' ? pp->value : NULL;
	}
	return NULL;
}

struct device_node *dmae__of_find_path(const struct dmae_of_tree *tree, const char *path)
{
	struct device_node *root = &tree->nodes[0];
	const char *sep = strchr(path, ':');

	if (!strcmp(path, "/"))
		return root;
	if (*path != '/') {
		/* An alias first, then the rest of the path below its node. */
		const char *end = sep ? sep : strchrnul(path, '/');
		const char *target = of_alias_path(tree, path, (size_t)(end - path));
		struct device_node *np;

		if (!target)
			return NULL;
		np = !strcmp(target, "/") ? root : of_walk_path(root, target, strchr(target, ':'));
		return np ? of_walk_path(np, end, sep) : NULL;
	}
	return of_walk_path(root, path, sep);
}

/* ---------------------------------------------------------------- finding */

struct device_node *dmae__of_find_phandle(const struct dmae_of_tree *tree, phandle handle)
{
	if (!tree || !handle)
		return NULL;
	for (unsigned int i = 0; i < tree->nr_nodes; i++)
		if (tree->nodes[i].phandle == handle)
			return &tree->nodes[i];
	return NULL;
}

/* of_find_in_trees - the first loaded tree's node at @path, or (@path NULL) with @handle. */
static struct device_node *of_find_in_trees(const char *path, phandle handle)
{
	struct dmae_of_tree *tree;
	struct device_node *np = NULL;

	dmae__of_trees_lock();
	list_for_each_entry(tree, dmae__of_trees(), link) {
		np = path ? dmae__of_find_path(tree, path) : dmae__of_find_phandle(tree, handle);
		if (np)
			break;
	}
	dmae__of_trees_unlock();
	return np;
}

DMAE_EXPORT struct device_node *dmae_of_find_node_by_path(const char *path)
{
	return path ? of_find_in_trees(path, 0) : NULL;
}

DMAE_EXPORT struct device_node *dmae_of_find_node_by_phandle(phandle handle)
{
	return of_find_in_trees(NULL, handle);
}

/*
 * of_next_node - the node after @from in depth-first order across the loaded
 * trees (oldest first); NULL: the first node of all. Under the trees' lock.
 */
static struct device_node *of_next_node(const struct device_node *from)
{
	struct list_head *head = dmae__of_trees();
	struct dmae_of_tree *tree;
	unsigned int i = 0;

	if (!from) {
		if (list_empty(head))
			return NULL;
		tree = list_first_entry(head, struct dmae_of_tree, link);
	} else {
		tree = from->tree;
		i = (unsigned int)(from - tree->nodes) + 1;
	}
	while (i >= tree->nr_nodes) {
		if (tree->link.next == head)
			return NULL;
		tree = list_next_entry(tree, link);
		i = 0;
	}
	return &tree->nodes[i];
}

static bool of_node_is_type(const struct device_node *np, const char *type);
static int of_compat_score(const struct device_node *np, const char *compat, const char *type,
			   const char *name);

DMAE_EXPORT struct device_node *dmae_of_find_compatible_node(struct device_node *from,
							     const char *type,
							     const char *compat)
{
	struct device_node *np = from;

	dmae__of_trees_lock();
	while ((np = of_next_node(np)))
		if (of_compat_score(np, compat, type, NULL))
			break;
	dmae__of_trees_unlock();
	return np;
}

DMAE_EXPORT struct device_node *dmae_of_find_node_by_name(struct device_node *from,
							  const char *name)
{
	struct device_node *np = from;

	if (!name)
		return NULL;
	dmae__of_trees_lock();
	while ((np = of_next_node(np)))
		if (dmae_of_node_name_eq(np, name))
			break;
	dmae__of_trees_unlock();
	return np;
}

/* of_prop_string - the value of @pp if it is one terminated string, else NULL. */
static const char *of_prop_string(const struct property *pp)
{
	if (!pp || pp->length <= 0 || strnlen(pp->value, (size_t)pp->length) >= (size_t)pp->length)
		return NULL;
	return pp->value;
}

DMAE_EXPORT bool dmae_of_device_is_available(const struct device_node *np)
{
	struct property *pp;
	const char *status;

	if (!np)
		return false;
	pp = dmae_of_find_property(np, "status", NULL);
	if (!pp)
		return true;
	status = of_prop_string(pp);
	return status && (!strcmp(status, "okay") || !strcmp(status, "ok"));
}

DMAE_EXPORT struct device_node *dmae_of_get_child_by_name(const struct device_node *np,
							  const char *name)
{
	struct device_node *child;

	if (!np || !name)
		return NULL;
	for_each_child_of_node(np, child)
		if (dmae_of_node_name_eq(child, name))
			return child;
	return NULL;
}

DMAE_EXPORT int dmae_of_get_child_count(const struct device_node *np)
{
	struct device_node *child;
	int n = 0;

	if (!np)
		return 0;
	for_each_child_of_node(np, child)
		n++;
	return n;
}

DMAE_EXPORT bool dmae_of_node_name_eq(const struct device_node *np, const char *name)
{
	return np && name && !strcmp(np->name, name);
}

DMAE_EXPORT int dmae_of_alias_get_id(const struct device_node *np, const char *stem)
{
	const struct dmae_of_tree *tree;

	if (!np || !stem)
		return -ENODEV;
	tree = np->tree;
	for (unsigned int i = 0; i < tree->nr_alias_ids; i++)
		if (tree->alias_ids[i].np == np && !strcmp(tree->alias_ids[i].stem, stem))
			return tree->alias_ids[i].id;
	return -ENODEV;
}

/* ------------------------------------------------------------- properties */

DMAE_EXPORT struct property *dmae_of_find_property(const struct device_node *np,
						   const char *name, int *lenp)
{
	if (!np || !name)
		return NULL;
	for (struct property *pp = np->properties; pp; pp = pp->next) {
		if (!strcmp(pp->name, name)) {
			if (lenp)
				*lenp = pp->length;
			return pp;
		}
	}
	return NULL;
}

/*
 * of_value_of_size - the value of @name if it holds at least @min bytes
 * (the kernel's of_find_property_value_of_size). -EINVAL missing, -ENODATA
 * no value, -EOVERFLOW shorter than @min.
 */
static int of_value_of_size(const struct device_node *np, const char *name, u64 min,
			    const __be32 **val)
{
	struct property *pp = dmae_of_find_property(np, name, NULL);

	if (!pp)
		return -EINVAL;
	if (!pp->value)
		return -ENODATA;
	if ((u64)pp->length < min)
		return -EOVERFLOW;
	*val = pp->value;
	return 0;
}

DMAE_EXPORT int dmae_of_property_read_u32_array(const struct device_node *np, const char *name,
						u32 *out, size_t sz)
{
	const __be32 *val;
	int ret;

	if (sz && !out)
		return -EINVAL;
	ret = of_value_of_size(np, name, sz > UINT32_MAX ? UINT64_MAX : (u64)sz * 4, &val);
	if (ret)
		return ret;
	for (size_t i = 0; i < sz; i++)
		out[i] = be32_to_cpup(val + i);
	return 0;
}

DMAE_EXPORT int dmae_of_property_read_u32_index(const struct device_node *np, const char *name,
						u32 index, u32 *out)
{
	const __be32 *val;
	int ret;

	if (!out)
		return -EINVAL;
	ret = of_value_of_size(np, name, ((u64)index + 1) * 4, &val);
	if (ret)
		return ret;
	*out = be32_to_cpup(val + index);
	return 0;
}

DMAE_EXPORT int dmae_of_property_read_u64(const struct device_node *np, const char *name,
					  u64 *out)
{
	const __be32 *val;
	int ret;

	if (!out)
		return -EINVAL;
	ret = of_value_of_size(np, name, 8, &val);
	if (ret)
		return ret;
	*out = dmae__of_read_number(val, 2);
	return 0;
}

DMAE_EXPORT int dmae_of_property_count_elems_of_size(const struct device_node *np,
						     const char *name, int elem_size)
{
	struct property *pp = dmae_of_find_property(np, name, NULL);
	char path[OF_PATH_MAX];

	if (!pp)
		return -EINVAL;
	if (!pp->value)
		return -ENODATA;
	if (elem_size <= 0) {
		pr_err("OF: element size %d of %s in node %s is not positive", elem_size, name,
		       dmae_of_node_path(np, path, sizeof(path)));
		return -EINVAL;
	}
	if (pp->length % elem_size) {
		pr_err("OF: size of %s in node %s is not a multiple of %d", name,
		       dmae_of_node_path(np, path, sizeof(path)), elem_size);
		return -EINVAL;
	}
	return pp->length / elem_size;
}

DMAE_EXPORT int dmae_of_property_read_string_helper(const struct device_node *np,
						    const char *name, const char **out,
						    size_t sz, int skip)
{
	struct property *pp = dmae_of_find_property(np, name, NULL);
	const char *p, *end;
	size_t i;

	if (!pp)
		return -EINVAL;
	if (!pp->value)
		return -ENODATA;
	if (skip < 0)
		return -EINVAL;
	p = pp->value;
	end = p + pp->length;
	for (i = 0; p < end && (!out || i < (size_t)skip + sz); i++) {
		size_t l = strnlen(p, (size_t)(end - p)) + 1;

		if (l > (size_t)(end - p))
			return -EILSEQ;
		if (out && i >= (size_t)skip)
			*out++ = p;
		p += l;
	}
	if (i <= (size_t)skip)
		return -ENODATA;
	i -= (size_t)skip;
	return i > INT_MAX ? INT_MAX : (int)i;
}

DMAE_EXPORT int dmae_of_property_match_string(const struct device_node *np, const char *name,
					      const char *string)
{
	struct property *pp = dmae_of_find_property(np, name, NULL);
	const char *p, *end;

	if (!pp)
		return -EINVAL;
	if (!pp->value)
		return -ENODATA;
	if (!string)
		return -EINVAL;
	p = pp->value;
	end = p + pp->length;
	for (int i = 0; p < end && i < INT_MAX; i++) {
		size_t l = strnlen(p, (size_t)(end - p)) + 1;

		if (l > (size_t)(end - p))
			return -EILSEQ;
		if (!strcmp(string, p))
			return i;
		p += l;
	}
	return -ENODATA;
}

const char *dmae__of_next_string(const struct property *pp, const char *cur)
{
	const char *end, *p;

	if (!pp || !pp->value)
		return NULL;
	end = (const char *)pp->value + pp->length;
	p = cur ? cur + strlen(cur) + 1 : pp->value;
	if (p >= end || strnlen(p, (size_t)(end - p)) >= (size_t)(end - p))
		return NULL;
	return p;
}

/* ------------------------------------------------------------ compatibles */

static bool of_node_is_type(const struct device_node *np, const char *type)
{
	const char *match = of_prop_string(dmae_of_find_property(np, "device_type", NULL));

	return match && type && !strcmp(match, type);
}

/*
 * of_compat_score - the kernel's __of_device_is_compatible: 0 for no match;
 * a compatible match scores by its position (earlier is better), a type
 * match adds 2, a name match 1.
 */
static int of_compat_score(const struct device_node *np, const char *compat, const char *type,
			   const char *name)
{
	int score = 0;

	if (compat && compat[0]) {
		struct property *pp = dmae_of_find_property(np, "compatible", NULL);
		int index = 0;

		for (const char *cp = dmae__of_next_string(pp, NULL); cp;
		     cp = dmae__of_next_string(pp, cp), index++) {
			if (!strcasecmp(cp, compat)) {
				score = index < INT_MAX / 8 ? INT_MAX / 2 - (index << 2) : 4;
				break;
			}
		}
		if (!score)
			return 0;
	}
	if (type && type[0]) {
		if (!of_node_is_type(np, type))
			return 0;
		score += 2;
	}
	if (name && name[0]) {
		if (!dmae_of_node_name_eq(np, name))
			return 0;
		score++;
	}
	return score;
}

DMAE_EXPORT int dmae_of_device_is_compatible(const struct device_node *np, const char *compat)
{
	return np ? of_compat_score(np, compat, NULL, NULL) : 0;
}

DMAE_EXPORT const struct of_device_id *dmae_of_match_node(const struct of_device_id *matches,
							  const struct device_node *np)
{
	const struct of_device_id *best = NULL;
	int best_score = 0;

	if (!matches || !np)
		return NULL;
	for (; matches->name[0] || matches->type[0] || matches->compatible[0]; matches++) {
		int score = of_compat_score(np, matches->compatible, matches->type, matches->name);

		if (score > best_score) {
			best = matches;
			best_score = score;
		}
	}
	return best;
}

/* --------------------------------------------------------------- phandles */

/* The kernel's struct of_phandle_iterator, over one phandle list. */
struct of_phandle_it {
	const struct device_node *parent; /* the node holding the list */
	const char *list_name;		  /* the list's property name */
	const char *cells_name;		  /* "#foo-cells" of the targets, or NULL */
	int cell_count;			  /* fixed count, or the fallback; < 0: none */
	const __be32 *cur;		  /* the current entry's arguments */
	const __be32 *next;		  /* the next entry */
	const __be32 *end;		  /* one past the list's last cell */
	phandle ph;			  /* the current entry's phandle (0: empty) */
	struct device_node *node;	  /* its target, or NULL */
	u32 count;			  /* its argument cells */
};

static int of_phandle_it_init(struct of_phandle_it *it, const struct device_node *np,
			      const char *list_name, const char *cells_name, int cell_count)
{
	struct property *pp;

	memset(it, 0, sizeof(*it));
	if (cell_count < 0 && !cells_name)
		return -EINVAL;
	if (!list_name)
		return -EINVAL;
	pp = dmae_of_find_property(np, list_name, NULL);
	if (!pp)
		return -ENOENT;
	it->parent = np;
	it->list_name = list_name;
	it->cells_name = cells_name;
	it->cell_count = cell_count;
	it->next = pp->value;
	it->end = it->next + pp->length / 4;
	return 0;
}

/* of_phandle_it_cells - how many argument cells follow the current phandle. */
static int of_phandle_it_cells(struct of_phandle_it *it)
{
	char path[OF_PATH_MAX], target[OF_PATH_MAX];

	if (!it->cells_name) {
		it->count = (u32)it->cell_count;
		return 0;
	}
	if (!it->node) {
		pr_err("OF: %s: could not find phandle %u in %s",
		       dmae_of_node_path(it->parent, path, sizeof(path)), it->ph, it->list_name);
		return -EINVAL;
	}
	if (!of_property_read_u32(it->node, it->cells_name, &it->count))
		return 0;
	if (it->cell_count >= 0) {
		it->count = (u32)it->cell_count;
		return 0;
	}
	pr_err("OF: %s: could not get %s for %s", dmae_of_node_path(it->parent, path, sizeof(path)),
	       it->cells_name, dmae_of_node_path(it->node, target, sizeof(target)));
	return -EINVAL;
}

/* of_phandle_it_next - step to the next entry: 0, -ENOENT at the end, -EINVAL malformed. */
static int of_phandle_it_next(struct of_phandle_it *it)
{
	char path[OF_PATH_MAX];
	int ret;

	if (!it->next || it->next >= it->end)
		return -ENOENT;
	it->cur = it->next;
	it->ph = be32_to_cpup(it->cur++);
	it->node = NULL;
	it->count = 0;
	if (it->ph) {
		it->node = dmae__of_find_phandle(it->parent->tree, it->ph);
		ret = of_phandle_it_cells(it);
		if (ret)
			return ret;
		if (it->count > (size_t)(it->end - it->cur)) {
			pr_err("OF: %s: %s: phandle %u needs %u cells, found %td",
			       dmae_of_node_path(it->parent, path, sizeof(path)), it->list_name,
			       it->ph, it->count, it->end - it->cur);
			it->node = NULL;
			return -EINVAL;
		}
	}
	it->next = it->cur + it->count;
	return 0;
}

/* of_phandle_it_args - the current entry as @out; -EINVAL where the kernel would warn. */
static int of_phandle_it_args(const struct of_phandle_it *it, struct of_phandle_args *out)
{
	char path[OF_PATH_MAX];

	if (!it->node) {
		pr_err("OF: %s: could not find phandle %u in %s",
		       dmae_of_node_path(it->parent, path, sizeof(path)), it->ph, it->list_name);
		return -EINVAL;
	}
	if (it->count > MAX_PHANDLE_ARGS) {
		pr_err("OF: %s: %s: phandle %u has %u argument cells, more than %d",
		       dmae_of_node_path(it->parent, path, sizeof(path)), it->list_name, it->ph,
		       it->count, MAX_PHANDLE_ARGS);
		return -EINVAL;
	}
	if (!out)
		return 0;
	out->np = it->node;
	out->args_count = (int)it->count;
	for (u32 i = 0; i < it->count; i++)
		out->args[i] = be32_to_cpup(it->cur + i);
	return 0;
}

DMAE_EXPORT int dmae_of_parse_phandle_with_args(const struct device_node *np,
						const char *list_name, const char *cells_name,
						int cell_count, int index,
						struct of_phandle_args *out_args)
{
	struct of_phandle_it it;
	int ret, cur = 0;

	if (index < 0)
		return -EINVAL;
	ret = of_phandle_it_init(&it, np, list_name, cells_name, cell_count);
	if (ret)
		return ret;
	while (!(ret = of_phandle_it_next(&it))) {
		if (cur++ != index)
			continue;
		if (!it.ph)
			return -ENOENT;
		return of_phandle_it_args(&it, out_args);
	}
	return ret;
}

DMAE_EXPORT int dmae_of_count_phandle_with_args(const struct device_node *np,
						const char *list_name, const char *cells_name)
{
	struct of_phandle_it it;
	int ret, count = 0;

	if (!cells_name) {
		struct property *pp = dmae_of_find_property(np, list_name, NULL);

		return pp ? pp->length / 4 : -ENOENT;
	}
	ret = of_phandle_it_init(&it, np, list_name, cells_name, -1);
	if (ret)
		return ret;
	while (!(ret = of_phandle_it_next(&it)))
		count++;
	return ret == -ENOENT ? count : ret;
}

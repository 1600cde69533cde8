// SPDX-License-Identifier: MIT
/*
 * of_util.c - the shared fixtures of the device-tree tests (see of_test.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "platform/of_test.h"

void *of_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long len = -1;

	if (!f)
		fail_msg("cannot open %s", path);
	if (!fseek(f, 0, SEEK_END))
		len = ftell(f);
	if (len < 0 || fseek(f, 0, SEEK_SET))
		fail_msg("cannot size %s", path);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		fail_msg("cannot read %s", path);
	fclose(f);
	*size = (size_t)len;
	return buf;
}

struct dmae_of_tree *of_load_file(const char *path)
{
	struct dmae_of_tree *tree = NULL;
	size_t size;
	void *blob = of_read_file(path, &size);
	int ret = dmae_of_tree_load(blob, size, path, &tree);

	free(blob);
	if (ret)
		fail_msg("%s does not load: %d (%s)", path, ret, log_line(0));
	assert_non_null(tree);
	return tree;
}

struct dmae_of_tree *of_fixture(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.dtb", DMAE_OF_FIXTURE_DIR, name);
	return of_load_file(path);
}

struct device_node *of_node(const struct dmae_of_tree *tree, const char *path)
{
	struct device_node *np = dmae__of_find_path(tree, path);

	if (!np)
		fail_msg("no node %s in %s", path, dmae_of_tree_origin(tree));
	return np;
}

void of_assert_args(const struct of_phandle_args *args, const struct device_node *np, int n,
		    va_list ap)
{
	assert_ptr_equal(args->np, np);
	assert_int_equal(args->args_count, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(args->args[i], va_arg(ap, unsigned int));
}

size_t of_trees_loaded(void)
{
	size_t n;

	dmae__of_trees_lock();
	n = list_count_nodes(dmae__of_trees());
	dmae__of_trees_unlock();
	return n;
}

struct dmae_of_tree *of_tree(void **state)
{
	return *state;
}

int of_setup_plain(void **state)
{
	*state = NULL;
	log_capture_start();
	if (of_trees_loaded()) {
		print_error("%zu tree(s) still loaded before the test\n", of_trees_loaded());
		return -1;
	}
	return 0;
}

int of_setup_fixture(void **state, const char *name)
{
	if (of_setup_plain(state))
		return -1;
	*state = of_fixture(name);
	log_reset();
	return 0;
}

int of_teardown(void **state)
{
	dmae_of_tree_free(*state);
	*state = NULL;
	log_capture_stop();
	if (of_trees_loaded()) {
		print_error("%zu tree(s) left loaded by the test\n", of_trees_loaded());
		return -1;
	}
	return 0;
}

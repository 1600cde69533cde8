// SPDX-License-Identifier: MIT
/*
 * of_fdt_load.c - loading trees: a good blob, the copy it keeps, blobs that
 * are not device trees (empty, truncated, bad magic, bad version, a corrupt
 * structure, random bytes, two roots: -EINVAL, one line naming the origin
 * and libfdt's reason, nothing loaded), several trees at once and the
 * finders that search them all, loading and searching from several threads.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libfdt.h>

#include <dmaengine/os.h>

#include "common/rng.h"
#include "platform/of_test.h"

static char fixture_path[512];

static const char *props_path(void)
{
	snprintf(fixture_path, sizeof(fixture_path), "%s/props.dtb", DMAE_OF_FIXTURE_DIR);
	return fixture_path;
}

static void test_load_good(void **state)
{
	size_t size, tree_size;
	void *blob = of_read_file(props_path(), &size);
	struct dmae_of_tree *tree = NULL;
	struct device_node *root;
	const void *copy;
	const char *model;

	assert_int_equal(dmae_of_tree_load(blob, size, "props", &tree), 0);
	assert_non_null(tree);
	assert_int_equal(log_lines(), 0);
	assert_string_equal(dmae_of_tree_origin(tree), "props");
	copy = dmae_of_tree_blob(tree, &tree_size);
	assert_int_equal(tree_size, size);
	assert_ptr_not_equal(copy, blob);
	assert_memory_equal(copy, blob, size);
	/* The tree is a copy: the caller's buffer may go. */
	memset(blob, 0, size);
	free(blob);
	root = dmae_of_tree_root(tree);
	assert_string_equal(root->full_name, "/");
	assert_string_equal(root->name, "");
	assert_null(root->parent);
	assert_ptr_equal(root->tree, tree);
	assert_int_equal(of_property_read_string(root, "model", &model), 0);
	assert_string_equal(model, "props fixture");
	assert_ptr_equal(of_find_node_by_path("/"), root);
	assert_int_equal(of_trees_loaded(), 1);
	dmae_of_tree_free(tree);
	assert_int_equal(of_trees_loaded(), 0);
	assert_null(of_find_node_by_path("/"));
}

/* Every node has a "name" property, as the kernel adds for version 16+ blobs. */
static void test_load_name_property(void **state)
{
	struct dmae_of_tree *tree = of_fixture("props");
	struct device_node *np = of_node(tree, "/parent/child@1");
	const char *name;

	assert_int_equal(of_property_read_string(np, "name", &name), 0);
	assert_string_equal(name, "child");
	assert_string_equal(np->name, "child");
	assert_string_equal(np->full_name, "child@1");
	assert_int_equal(of_property_read_string(dmae_of_tree_root(tree), "name", &name), 0);
	assert_string_equal(name, "");
	dmae_of_tree_free(tree);
}

static void test_load_null_arguments(void **state)
{
	size_t size;
	void *blob = of_read_file(props_path(), &size);
	struct dmae_of_tree *tree = (void *)0x1;

	assert_int_equal(dmae_of_tree_load(blob, size, "props", NULL), -EINVAL);
	assert_one_line("props");
	log_reset();
	assert_int_equal(dmae_of_tree_load(NULL, size, "nothing", &tree), -EINVAL);
	assert_one_line("nothing", "empty");
	log_reset();
	assert_int_equal(dmae_of_tree_load(blob, 0, "zero", &tree), -EINVAL);
	assert_one_line("zero", "empty");
	assert_ptr_equal(tree, (void *)0x1);
	free(blob);
	assert_int_equal(of_trees_loaded(), 0);
	dmae_of_tree_free(NULL);
	assert_null(dmae_of_tree_root(NULL));
	assert_null(dmae_of_tree_origin(NULL));
	assert_null(dmae_of_tree_blob(NULL, &size));
	assert_int_equal(size, 0);
}

/* Loading @blob fails with -EINVAL and one line naming @origin and @why; nothing loaded. */
static void expect_not_a_tree(const void *blob, size_t size, const char *origin, const char *why)
{
	struct dmae_of_tree *tree = (void *)0x1;

	log_reset();
	assert_int_equal(dmae_of_tree_load(blob, size, origin, &tree), -EINVAL);
	if (why)
		assert_one_line(origin, "not a device tree", why);
	else
		assert_one_line(origin, "not a device tree");
	assert_ptr_equal(tree, (void *)0x1);
	assert_int_equal(of_trees_loaded(), 0);
	assert_null(of_find_node_by_path("/"));
}

static void test_load_truncated(void **state)
{
	size_t size;
	unsigned char *blob = of_read_file(props_path(), &size);

	expect_not_a_tree(blob, size - 1, "truncated", fdt_strerror(-FDT_ERR_TRUNCATED));
	expect_not_a_tree(blob, size / 2, "half", fdt_strerror(-FDT_ERR_TRUNCATED));
	expect_not_a_tree(blob, 20, "header", fdt_strerror(-FDT_ERR_TRUNCATED));
	expect_not_a_tree(blob, 3, "three bytes", fdt_strerror(-FDT_ERR_TRUNCATED));
	/* The header says the blob is longer than the buffer. */
	fdt_set_totalsize(blob, (uint32_t)size + 64);
	expect_not_a_tree(blob, size, "long header", fdt_strerror(-FDT_ERR_TRUNCATED));
	free(blob);
}

static void test_load_bad_magic_version(void **state)
{
	size_t size;
	unsigned char *blob = of_read_file(props_path(), &size);

	blob[0] ^= 0xff;
	expect_not_a_tree(blob, size, "magic", fdt_strerror(-FDT_ERR_BADMAGIC));
	blob[0] ^= 0xff;
	fdt_set_version(blob, 1);
	fdt_set_last_comp_version(blob, 1);
	expect_not_a_tree(blob, size, "version", fdt_strerror(-FDT_ERR_BADVERSION));
	free(blob);
}

static void test_load_bad_structure(void **state)
{
	size_t size;
	unsigned char *blob = of_read_file(props_path(), &size);
	uint32_t *tag = (uint32_t *)(blob + fdt_off_dt_struct(blob));

	/* The root's FDT_BEGIN_NODE becomes a tag libfdt does not know. */
	*tag = cpu_to_fdt32(0x7f);
	expect_not_a_tree(blob, size, "structure", NULL);
	free(blob);
}

static void test_load_random_bytes(void **state)
{
	unsigned char buf[4096];
	size_t size;
	unsigned char *good = of_read_file(props_path(), &size);

	seed = 0x0f0f;
	rng_init(1);
	for (int round = 0; round < 50; round++) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)rnd();
		expect_not_a_tree(buf, sizeof(buf), "random", NULL);
		/* A real header over random contents. */
		memcpy(buf, good, 40);
		expect_not_a_tree(buf, sizeof(buf), "random body", NULL);
	}
	free(good);
}

/* A blob with two top-level nodes, written with libfdt's sequential writer. */
static void test_load_two_roots(void **state)
{
	char buf[256];

	assert_int_equal(fdt_create(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	expect_not_a_tree(buf, fdt_totalsize(buf), "two roots", NULL);
}

/* Several trees: the finders search them all, oldest first. */
static void test_several_trees(void **state)
{
	struct dmae_of_tree *first = of_fixture("props");
	struct dmae_of_tree *second = of_fixture("props");
	struct dmae_of_tree *phandles = of_fixture("phandles");
	struct device_node *np, *in_second = of_node(second, "/compat");
	phandle p1 = of_node(phandles, "/provider1")->phandle;
	int n = 0;

	assert_int_equal(of_trees_loaded(), 3);
	assert_ptr_equal(of_find_node_by_path("/compat"), of_node(first, "/compat"));
	assert_ptr_equal(of_find_node_by_path("/consumer"), of_node(phandles, "/consumer"));
	assert_ptr_equal(of_find_node_by_phandle(p1), of_node(phandles, "/provider1"));
	for_each_compatible_node(np, NULL, "test,first") {
		assert_ptr_equal(np, n ? in_second : of_node(first, "/compat"));
		n++;
	}
	assert_int_equal(n, 2);
	assert_ptr_equal(of_find_compatible_node(in_second, NULL, "test,first"), NULL);
	assert_ptr_equal(of_find_node_by_name(of_node(first, "/untyped"), "compat"), in_second);
	dmae_of_tree_free(first);
	assert_ptr_equal(of_find_node_by_path("/compat"), in_second);
	assert_ptr_equal(of_find_compatible_node(NULL, NULL, "test,first"), in_second);
	dmae_of_tree_free(second);
	assert_null(of_find_node_by_path("/compat"));
	assert_null(of_find_compatible_node(NULL, NULL, "test,first"));
	dmae_of_tree_free(phandles);
	assert_null(of_find_node_by_phandle(p1));
}

#define LOADERS 4
#define LOADS 200

static void *shared_blob;
static size_t shared_size;

/* One thread: load, search (its own tree and all of them), free; again and again. */
static void loader(void *arg)
{
	int *failures = arg;

	for (int i = 0; i < LOADS; i++) {
		struct dmae_of_tree *tree;

		if (dmae_of_tree_load(shared_blob, shared_size, "threads", &tree)) {
			(*failures)++;
			continue;
		}
		if (!dmae__of_find_path(tree, "/compat") || !of_find_node_by_path("/parent") ||
		    !of_find_compatible_node(NULL, NULL, "test,second"))
			(*failures)++;
		dmae_of_tree_free(tree);
	}
}

static void test_threads(void **state)
{
	struct dmae_thread *threads[LOADERS];
	int failures[LOADERS] = { 0 };

	shared_blob = of_read_file(props_path(), &shared_size);
	for (int i = 0; i < LOADERS; i++)
		assert_int_equal(dmae_thread_create(&threads[i], loader, &failures[i], "of-load"), 0);
	for (int i = 0; i < LOADERS; i++) {
		dmae_thread_join(threads[i]);
		assert_int_equal(failures[i], 0);
	}
	free(shared_blob);
	assert_int_equal(log_lines(), 0);
}

int of_fdt_load_tests(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_good, of_setup_plain, of_teardown),
		cmocka_unit_test_setup_teardown(test_load_name_property, of_setup_plain,
						of_teardown),
		cmocka_unit_test_setup_teardown(test_load_null_arguments, of_setup_plain,
						of_teardown),
		cmocka_unit_test_setup_teardown(test_load_truncated, of_setup_plain, of_teardown),
		cmocka_unit_test_setup_teardown(test_load_bad_magic_version, of_setup_plain,
						of_teardown),
		cmocka_unit_test_setup_teardown(test_load_bad_structure, of_setup_plain,
						of_teardown),
		cmocka_unit_test_setup_teardown(test_load_random_bytes, of_setup_plain,
						of_teardown),
		cmocka_unit_test_setup_teardown(test_load_two_roots, of_setup_plain, of_teardown),
		cmocka_unit_test_setup_teardown(test_several_trees, of_setup_plain, of_teardown),
		cmocka_unit_test_setup_teardown(test_threads, of_setup_plain, of_teardown),
	};

	return cmocka_run_group_tests_name("of_fdt_load", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * of_test.h - private to the device-tree tests: loading fixtures, finding
 * nodes in one tree, the kernel's device names, per-test setup and
 * teardown.
 */
#ifndef DMAE_TESTS_PLATFORM_OF_TEST_H
#define DMAE_TESTS_PLATFORM_OF_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dmaengine/of.h>

#include "common/log_capture.h"
#include "platform/of_private.h"

/* The bytes of file @path (malloc'd; the test fails if it cannot be read). */
void *of_read_file(const char *path, size_t *size);
/* Load blob @name.dtb of the fixtures (DMAE_OF_FIXTURE_DIR); fails the test if it does not load. */
struct dmae_of_tree *of_fixture(const char *name);
/* Load @path (a .dtb); fails the test if it does not load. */
struct dmae_of_tree *of_load_file(const char *path);
/* The node at @path in @tree; fails the test if there is none. */
struct device_node *of_node(const struct dmae_of_tree *tree, const char *path);
/* Fail unless @args is @np with @n cells, the next @n unsigned ints of @ap. */
void of_assert_args(const struct of_phandle_args *args, const struct device_node *np, int n,
		    va_list ap);
/* The number of trees loaded now. */
size_t of_trees_loaded(void);

/* The tree of the current test, loaded by the group's setup and freed by of_teardown. */
struct dmae_of_tree *of_tree(void **state);
/* Setup for a group over fixture @name: capture logs, load it into *state. */
int of_setup_fixture(void **state, const char *name);
/* Free the tree in *state, check no tree is left loaded, stop capturing. */
int of_teardown(void **state);
/* Capture logs only (tests that load their own trees). */
int of_setup_plain(void **state);

int of_fdt_load_tests(void);
int of_props_tests(void);
int of_phandle_tests(void);
int of_address_tests(void);
int of_irq_tests(void);

#endif /* DMAE_TESTS_PLATFORM_OF_TEST_H */

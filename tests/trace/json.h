/* SPDX-License-Identifier: MIT */
/*
 * json.h - private to the trace tests: a strict JSON parser (RFC 8259) into
 * a tree, enough to check that a trace file is valid JSON and to read it.
 */
#ifndef TRACE_TEST_JSON_H
#define TRACE_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;  /* what it is */
	bool boolean;	      /* JSON_BOOL */
	double number;	      /* JSON_NUMBER */
	char *string;	      /* JSON_STRING (UTF-8, NUL-terminated) */
	size_t n;	      /* entries of an array or object */
	struct json **items;  /* array elements, or object values */
	char **keys;	      /* object keys, in file order */
};

/**
 * json_parse - the tree of @text (NUL-terminated), or NULL when it is not
 * exactly one JSON value (surrounding white space allowed); then @err says
 * where and why.
 */
struct json *json_parse(const char *text, char *err, size_t errlen);
/** The value of @key in object @obj, or NULL (also when @obj is not an object). */
const struct json *json_get(const struct json *obj, const char *key);
/** The string of @key in @obj, or NULL. */
const char *json_get_str(const struct json *obj, const char *key);
/** The number of @key in @obj, or @def. */
double json_get_num(const struct json *obj, const char *key, double def);
void json_free(struct json *v);

#endif /* TRACE_TEST_JSON_H */

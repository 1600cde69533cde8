// SPDX-License-Identifier: MIT
/*
 * json.c - a strict recursive-descent JSON parser for the trace tests:
 * objects, arrays, strings with every escape (\uXXXX into UTF-8, surrogate
 * pairs joined), numbers in JSON's own grammar, true, false, null. Anything
 * else (trailing commas, single quotes, control characters in strings, bare
 * words, a second value) is an error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_MAX_DEPTH 64

struct json_parser {
	const char *p;	   /* next character */
	const char *start; /* the text, for error offsets */
	char *err;	   /* where the first error goes */
	size_t errlen;	   /* room in err */
	bool failed;	   /* an error was found */
};

static struct json *json_value(struct json_parser *ps, int depth);

static void json_fail(struct json_parser *ps, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "offset %zu: %s", (size_t)(ps->p - ps->start), why);
}

/* The next character, consumed unless it is the terminating NUL. */
static char json_take(struct json_parser *ps)
{
	char c = *ps->p;

	if (c)
		ps->p++;
	return c;
}

static void json_ws(struct json_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static struct json *json_new(enum json_type type)
{
	struct json *v = calloc(1, sizeof(*v));

	if (v)
		v->type = type;
	return v;
}

/* Append @c (a code point) to @buf as UTF-8. */
static size_t json_utf8(char *buf, unsigned long c)
{
	if (c < 0x80) {
		buf[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		buf[0] = (char)(0xc0 | (c >> 6));
		buf[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		buf[0] = (char)(0xe0 | (c >> 12));
		buf[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | (c >> 18));
	buf[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static bool json_hex4(struct json_parser *ps, unsigned long *out)
{
	unsigned long v = 0;

	for (int i = 0; i < 4; i++) {
		char c = json_take(ps);

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned long)(c - 'A' + 10);
		else
			return json_fail(ps, "bad \\u escape"), false;
	}
	*out = v;
	return true;
}

/* \u escape after the "\u": one code point, a surrogate pair joined. */
static bool json_unicode(struct json_parser *ps, unsigned long *c)
{
	unsigned long lo;

	if (!json_hex4(ps, c))
		return false;
	if (*c < 0xd800 || *c > 0xdfff)
		return true;
	if (*c > 0xdbff || ps->p[0] != '\\' || ps->p[1] != 'u')
		return json_fail(ps, "lone surrogate"), false;
	ps->p += 2;
	if (!json_hex4(ps, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return json_fail(ps, "bad surrogate pair"), false;
	*c = 0x10000 + ((*c - 0xd800) << 10) + (lo - 0xdc00);
	return true;
}

/* A string, after its opening quote: a malloc'ed copy with escapes resolved. */
static char *json_string_body(struct json_parser *ps)
{
	size_t cap = 16, len = 0;
	char *buf = malloc(cap);

	while (buf && !ps->failed) {
		unsigned char c = (unsigned char)json_take(ps);
		unsigned long code;

		if (len + 5 > cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb)
				break;
			buf = nb;
		}
		if (c == '"') {
			buf[len] = '\0';
			return buf;
		}
		if (c < 0x20) {
			json_fail(ps, c ? "control character in a string" : "unterminated string");
			break;
		}
		if (c != '\\') {
			buf[len++] = (char)c;
			continue;
		}
		c = (unsigned char)json_take(ps);
		switch (c) {
		case '"': case '\\': case '/': buf[len++] = (char)c; break;
		case 'b': buf[len++] = '\b'; break;
		case 'f': buf[len++] = '\f'; break;
		case 'n': buf[len++] = '\n'; break;
		case 'r': buf[len++] = '\r'; break;
		case 't': buf[len++] = '\t'; break;
		case 'u':
			if (json_unicode(ps, &code))
				len += json_utf8(buf + len, code);
			break;
		default: json_fail(ps, "bad escape \\%c", c); break;
		}
	}
	free(buf);
	return NULL;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static struct json *json_number(struct json_parser *ps)
{
	const char *s = ps->p, *q = s;
	struct json *v;

	if (*q == '-')
		q++;
	if (*q == '0')
		q++;
	else if (*q >= '1' && *q <= '9')
		while (*q >= '0' && *q <= '9')
			q++;
	else
		return json_fail(ps, "bad number"), NULL;
	if (*q == '.') {
		if (!(*++q >= '0' && *q <= '9'))
			return json_fail(ps, "bad fraction"), NULL;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	if (*q == 'e' || *q == 'E') {
		q++;
		if (*q == '+' || *q == '-')
			q++;
		if (!(*q >= '0' && *q <= '9'))
			return json_fail(ps, "bad exponent"), NULL;
		while (*q >= '0' && *q <= '9')
			q++;
	}
	v = json_new(JSON_NUMBER);
	if (v)
		v->number = strtod(s, NULL);
	ps->p = q;
	return v;
}

/* Add @item (and @key, for objects) to @v. */
static bool json_append(struct json *v, struct json *item, char *key)
{
	struct json **items = realloc(v->items, (v->n + 1) * sizeof(*items));

	if (!items)
		return false;
	v->items = items;
	if (v->type == JSON_OBJECT) {
		char **keys = realloc(v->keys, (v->n + 1) * sizeof(*keys));

		if (!keys)
			return false;
		v->keys = keys;
		keys[v->n] = key;
	}
	items[v->n++] = item;
	return true;
}

/* An array or object, after its opening bracket. */
static struct json *json_container(struct json_parser *ps, int depth, bool object)
{
	struct json *v = json_new(object ? JSON_OBJECT : JSON_ARRAY);
	char close = object ? '}' : ']';

	json_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return v;
	}
	while (v && !ps->failed) {
		char *key = NULL;
		struct json *item;

		json_ws(ps);
		if (object) {
			if (json_take(ps) != '"' || !(key = json_string_body(ps)))
				break;
			json_ws(ps);
			if (json_take(ps) != ':') {
				free(key);
				break;
			}
		}
		item = json_value(ps, depth + 1);
		if (!item || !json_append(v, item, key)) {
			json_free(item);
			free(key);
			break;
		}
		json_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (json_take(ps) == close)
			return v;
		break;
	}
	json_fail(ps, object ? "bad object" : "bad array");
	json_free(v);
	return NULL;
}

static struct json *json_word(struct json_parser *ps, const char *word, enum json_type type,
			      bool b)
{
	struct json *v;

	if (strncmp(ps->p, word, strlen(word)))
		return json_fail(ps, "unexpected character '%c'", *ps->p), NULL;
	ps->p += strlen(word);
	v = json_new(type);
	if (v)
		v->boolean = b;
	return v;
}

static struct json *json_value(struct json_parser *ps, int depth)
{
	struct json *v;

	if (depth > JSON_MAX_DEPTH)
		return json_fail(ps, "too deep"), NULL;
	json_ws(ps);
	switch (*ps->p) {
	case '{':
		ps->p++;
		return json_container(ps, depth, true);
	case '[':
		ps->p++;
		return json_container(ps, depth, false);
	case '"':
		ps->p++;
		v = json_new(JSON_STRING);
		if (v && !(v->string = json_string_body(ps))) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
		return json_word(ps, "true", JSON_BOOL, true);
	case 'f':
		return json_word(ps, "false", JSON_BOOL, false);
	case 'n':
		return json_word(ps, "null", JSON_NULL, false);
	default:
		return json_number(ps);
	}
}

struct json *json_parse(const char *text, char *err, size_t errlen)
{
	struct json_parser ps = { text, text, err, errlen, false };
	struct json *v = json_value(&ps, 0);

	json_ws(&ps);
	if (v && *ps.p) {
		json_fail(&ps, "text after the value");
		json_free(v);
		return NULL;
	}
	if (!v)
		json_fail(&ps, "out of memory");
	return v;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->items[i];
	return NULL;
}

const char *json_get_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v && v->type == JSON_STRING ? v->string : NULL;
}

double json_get_num(const struct json *obj, const char *key, double def)
{
	const struct json *v = json_get(obj, key);

	return v && v->type == JSON_NUMBER ? v->number : def;
}

void json_free(struct json *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->string);
	free(v);
}

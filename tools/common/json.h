/* SPDX-License-Identifier: MIT */
/*
 * json.h - private to tools/: what dmactl and dmatest both need to print
 * JSON.
 */
#ifndef DMAE_TOOLS_JSON_H
#define DMAE_TOOLS_JSON_H

#include <stdio.h>

/**
 * json_write_string - @s to @f as a JSON string: quoted, with quotes,
 * backslashes and control characters escaped.
 */
void json_write_string(FILE *f, const char *s);

#endif /* DMAE_TOOLS_JSON_H */

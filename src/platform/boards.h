/* SPDX-License-Identifier: MIT */
/*
 * boards.h - the boards built into the library: private to src/platform.
 * The build compiles boards/default.dts with dtc and embeds the blob
 * (cmake/embed-dtb.cmake writes the array).
 */
#ifndef DMAE_PLATFORM_BOARDS_H
#define DMAE_PLATFORM_BOARDS_H

#include <stddef.h>

/* The default platform's flattened tree: the cpu provider's node alone. */
extern const unsigned char dmae__board_default_dtb[];
extern const size_t dmae__board_default_dtb_size;

#endif /* DMAE_PLATFORM_BOARDS_H */

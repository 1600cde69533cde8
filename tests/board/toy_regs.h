/* SPDX-License-Identifier: MIT */
/*
 * toy_regs.h - private to the board tests: the toy device's registers,
 * shared by its model (toy_hw.c) and its driver (toy.c), as a reference
 * manual is.
 *
 * The toy's registers (32-bit only):
 *   0x00 ID      read-only TOY_ID
 *   0x04 CTRL    bit 0 IE: the interrupt line follows STATUS
 *   0x08 STATUS  bit 0 DONE, bit 1 ERR (write 1 to clear); line = STATUS && IE
 *   0x0c TIMER   write N: DONE after N cycles of the toy's clock
 *   0x10 SRC, 0x14 DST, 0x18 LEN: a copy, as a bus master
 *   0x1c GO      write 1: the copy happens LEN cycles later, then DONE (or ERR)
 */
#ifndef DMAE_TEST_TOY_REGS_H
#define DMAE_TEST_TOY_REGS_H

#include <dmaengine/os.h>

#define TOY_ID 0x70790001u
#define TOY_ID_REG 0x00
#define TOY_CTRL 0x04
#define TOY_CTRL_IE 0x1u
#define TOY_STATUS 0x08
#define TOY_STATUS_DONE 0x1u
#define TOY_STATUS_ERR 0x2u
#define TOY_TIMER 0x0c
#define TOY_SRC 0x10
#define TOY_DST 0x14
#define TOY_LEN 0x18
#define TOY_GO 0x1c

#define TOY_LOG 256

/* What the toy model saw: every access and event, with its virtual time. */
struct toy_log {
	spinlock_t lock;
	unsigned int n;
	char line[TOY_LOG][64];
};

void toy_log_reset(void);
extern struct toy_log toy_log;

#endif /* DMAE_TEST_TOY_REGS_H */

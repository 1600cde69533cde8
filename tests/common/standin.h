/* SPDX-License-Identifier: MIT */
/*
 * standin.h - private to the tests: the peripheral stand-in
 * (standin_hw.c), a data register and a request line for slave and cyclic
 * DMA tests, and what a test can ask of it.
 */
#ifndef DMAE_TEST_STANDIN_H
#define DMAE_TEST_STANDIN_H

#include <dmaengine/types.h>

struct dmae_hw;

#define STANDIN_REG_DR 0x0	   /* data register: read RX, write TX */
#define STANDIN_REG_CTRL 0x4	   /* bit 0 RX on, bit 1 TX on */
#define STANDIN_CTRL_RX_ON 0x1u
#define STANDIN_CTRL_TX_ON 0x2u

struct standin_state {
	u32 rx_sent;  /* items the DMA took from DR */
	u32 rx_lost;  /* items that arrived while DR was still full */
	u32 tx_count; /* items written to DR */
	bool request; /* the request line's level */
};

/** standin_item - item @index of the RX pattern (and what a TX test sends). */
u32 standin_item(u32 index, u32 width);
/** standin_state - a snapshot (taken under the board's bus lock). -EINVAL: not a stand-in. */
int standin_state(struct dmae_hw *hw, struct standin_state *st);
/** standin_tx_item - item @index written to DR (0 when there is none). */
u32 standin_tx_item(struct dmae_hw *hw, u32 index);

#endif /* DMAE_TEST_STANDIN_H */

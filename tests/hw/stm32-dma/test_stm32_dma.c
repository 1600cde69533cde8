// SPDX-License-Identifier: MIT
/*
 * test_stm32_dma.c - the STM32 DMA model (hw/stm32-dma) through its
 * registers, one test per rule of the reference: registers and their reset
 * values, protection and forced bits (dma_regs.c); the FIFO, its threshold
 * and packing (dma_fifo.c); circular, double-buffer and the transfer's end
 * (dma_modes.c); the error flags (dma_errors.c); arbitration, timing and
 * exactness in the middle of a run (dma_timing.c); runs worked out at once
 * against beat by beat (dma_runs.c); a DMAMUX request generator feeding a
 * stream, served and acknowledged (dma_dmamux.c). Each test loads the test
 * board afresh and drives DMA1 as a driver would.
 */
#include "hw/stm32-dma/dma_test.h"

#define T_(name) cmocka_unit_test_setup_teardown(name, dmat_setup, dmat_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_(test_reset_values),
		T_(test_32bit_accesses),
		T_(test_writable_bits),
		T_(test_write_protection),
		T_(test_forced_bits),
		T_(test_en_reads_1_until_stopped),
		T_(test_threshold_burst),
		T_(test_packing_byte_to_word),
		T_(test_unpacking_word_to_byte),
		T_(test_packing_odd_length),
		T_(test_flush_on_disable),
		T_(test_fifo_status_live),
		T_(test_pinc_minc_pincos),
		T_(test_en_autoclear),
		T_(test_circular_reload),
		T_(test_double_buffer),
		T_(test_htif_at_half),
		T_(test_m2p_prefetch),
		T_(test_teif_bus_error),
		T_(test_teif_register_in_use),
		T_(test_dmeif),
		T_(test_feif_overrun),
		T_(test_feif_underrun),
		T_(test_arbitration),
		T_(test_request_interleave),
		T_(test_m2m_64k_timing),
		T_(test_periph_paced_timing),
		T_(test_read_mid_run),
		T_(test_pause_mid_run),
		T_(test_irq_line_or),
		T_(test_mdma_pulse),
		T_(test_runs_are_exact),
		T_(test_dmamux_generator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

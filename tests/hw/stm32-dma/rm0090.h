/* SPDX-License-Identifier: MIT */
/*
 * rm0090.h - private to the STM32 DMA model's tests and benchmark, which
 * drive it as a driver would: its registers and bits as RM0090 (10.5) names
 * them, written from the manual again rather than taken from the model.
 */
#ifndef DMAE_TEST_STM32_DMA_RM0090_H
#define DMAE_TEST_STM32_DMA_RM0090_H

/* Registers (RM0090 10.5) */
#define LISR 0x00
#define HISR 0x04
#define LIFCR 0x08
#define HIFCR 0x0c
#define SCR(n) (0x10 + 0x18 * (n))
#define SNDTR(n) (0x14 + 0x18 * (n))
#define SPAR(n) (0x18 + 0x18 * (n))
#define SM0AR(n) (0x1c + 0x18 * (n))
#define SM1AR(n) (0x20 + 0x18 * (n))
#define SFCR(n) (0x24 + 0x18 * (n))
#define ISR(n) ((n) < 4 ? LISR : HISR)
#define IFCR(n) ((n) < 4 ? LIFCR : HIFCR)
#define FLAG_SHIFT(n) (((n) & 1) * 6 + (((n) & 2) ? 16 : 0))

/* Flags of a stream, unshifted */
#define FEIF 0x01u
#define DMEIF 0x04u
#define TEIF 0x08u
#define HTIF 0x10u
#define TCIF 0x20u
#define ALLF 0x3du

/* SxCR */
#define EN (1u << 0)
#define DMEIE (1u << 1)
#define TEIE (1u << 2)
#define HTIE (1u << 3)
#define TCIE (1u << 4)
#define PFCTRL (1u << 5)
#define P2M (0u << 6)
#define M2P (1u << 6)
#define M2M (2u << 6)
#define CIRC (1u << 8)
#define PINC (1u << 9)
#define MINC (1u << 10)
#define PSIZE(x) ((u32)(x) << 11) /* 0 byte, 1 half-word, 2 word */
#define MSIZE(x) ((u32)(x) << 13)
#define PINCOS (1u << 15)
#define PL(x) ((u32)(x) << 16)
#define DBM (1u << 18)
#define CT (1u << 19)
#define PBURST(x) ((u32)(x) << 21) /* 0 single, 1 INCR4, 2 INCR8, 3 INCR16 */
#define MBURST(x) ((u32)(x) << 23)
#define B8 0
#define B16 1
#define B32 2

/* SxFCR */
#define FTH(x) ((u32)(x)) /* 0 1/4, 1 1/2, 2 3/4, 3 full */
#define DMDIS (1u << 2)
#define FS(fcr) (((fcr) >> 3) & 7)
#define FEIE (1u << 7)
#define FS_EMPTY 4
#define FS_FULL 5

#endif /* DMAE_TEST_STM32_DMA_RM0090_H */

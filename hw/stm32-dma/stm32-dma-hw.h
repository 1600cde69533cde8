/* SPDX-License-Identifier: MIT */
/*
 * stm32-dma-hw.h - private to the STM32 DMA model (hw/stm32-dma): its
 * registers as RM0090 names them, a stream's state, and the interface
 * between the model's files: the registers (stm32-dma.c), the transfer
 * engine (stm32-dma-engine.c) and the data path (stm32-dma-bus.c).
 * docs/hw-stm32-dma.md describes the model.
 */
#ifndef DMAE_HW_STM32_DMA_H
#define DMAE_HW_STM32_DMA_H

#include <errno.h>

#include <dmaengine/hw/model.h>

/* ------------------------------------------------- registers (RM0090 10.5) */

#define DMA_LISR 0x00  /* low interrupt status: streams 0-3 */
#define DMA_HISR 0x04  /* high interrupt status: streams 4-7 */
#define DMA_LIFCR 0x08 /* low interrupt flag clear */
#define DMA_HIFCR 0x0c /* high interrupt flag clear */
#define DMA_S0 0x10    /* stream 0's registers; stream x's are 0x18 x further */
#define DMA_SxSTRIDE 0x18
#define DMA_SxCR 0x00	/* configuration, from the stream's base */
#define DMA_SxNDTR 0x04 /* number of data items */
#define DMA_SxPAR 0x08	/* peripheral address */
#define DMA_SxM0AR 0x0c /* memory 0 address */
#define DMA_SxM1AR 0x10 /* memory 1 address */
#define DMA_SxFCR 0x14	/* FIFO control */
#define DMA_REGS_END (DMA_S0 + 8 * DMA_SxSTRIDE) /* 0xd0: reserved from there on */

/* A stream's flags in its group of xISR / xIFCR (10.5.1-10.5.4). */
#define DMA_FEIF (1u << 0)  /* FIFO error */
#define DMA_DMEIF (1u << 2) /* direct mode error */
#define DMA_TEIF (1u << 3)  /* transfer error */
#define DMA_HTIF (1u << 4)  /* half transfer */
#define DMA_TCIF (1u << 5)  /* transfer complete */
#define DMA_FLAGS 0x3du
/* Where stream @x's group starts in its register: 0, 6, 16, 22. */
#define DMA_FLAGS_SHIFT(x) ((((x) & 2u) << 3) | (((x) & 1u) * 6))
#define DMA_xISR_MASK 0x0f7d0f7du /* the four groups' flags */

/* SxCR (10.5.5; bit 20 TRBUFF from the STM32MP1 CMSIS header) */
#define DMA_SxCR_EN (1u << 0)
#define DMA_SxCR_DMEIE (1u << 1)
#define DMA_SxCR_TEIE (1u << 2)
#define DMA_SxCR_HTIE (1u << 3)
#define DMA_SxCR_TCIE (1u << 4)
#define DMA_SxCR_PFCTRL (1u << 5)
#define DMA_SxCR_DIR_Pos 6
#define DMA_SxCR_DIR_Msk (3u << DMA_SxCR_DIR_Pos)
#define DMA_SxCR_CIRC (1u << 8)
#define DMA_SxCR_PINC (1u << 9)
#define DMA_SxCR_MINC (1u << 10)
#define DMA_SxCR_PSIZE_Pos 11
#define DMA_SxCR_PSIZE_Msk (3u << DMA_SxCR_PSIZE_Pos)
#define DMA_SxCR_MSIZE_Pos 13
#define DMA_SxCR_MSIZE_Msk (3u << DMA_SxCR_MSIZE_Pos)
#define DMA_SxCR_PINCOS (1u << 15)
#define DMA_SxCR_PL_Pos 16
#define DMA_SxCR_PL_Msk (3u << DMA_SxCR_PL_Pos)
#define DMA_SxCR_DBM (1u << 18)
#define DMA_SxCR_CT (1u << 19)
#define DMA_SxCR_TRBUFF (1u << 20)
#define DMA_SxCR_PBURST_Pos 21
#define DMA_SxCR_PBURST_Msk (3u << DMA_SxCR_PBURST_Pos)
#define DMA_SxCR_MBURST_Pos 23
#define DMA_SxCR_MBURST_Msk (3u << DMA_SxCR_MBURST_Pos)
#define DMA_SxCR_CHSEL_Pos 25 /* REQ on the STM32MP1: stored, unused (requests come from the DMAMUX) */
#define DMA_SxCR_CHSEL_Msk (7u << DMA_SxCR_CHSEL_Pos)
#define DMA_SxCR_IE (DMA_SxCR_DMEIE | DMA_SxCR_TEIE | DMA_SxCR_HTIE | DMA_SxCR_TCIE)

#define DMA_DIR_P2M 0u /* peripheral to memory */
#define DMA_DIR_M2P 1u /* memory to peripheral */
#define DMA_DIR_M2M 2u /* memory to memory */

/* SxNDTR (10.5.6) */
#define DMA_SxNDTR_NDT 0xffffu

/* SxFCR (10.5.10) */
#define DMA_SxFCR_FTH_Msk 3u
#define DMA_SxFCR_DMDIS (1u << 2)
#define DMA_SxFCR_FS_Pos 3
#define DMA_SxFCR_FS_Msk (7u << DMA_SxFCR_FS_Pos)
#define DMA_SxFCR_FEIE (1u << 7)
#define DMA_SxFCR_RESET 0x21u /* FS = empty, FTH = 1/2 */
#define DMA_FS_EMPTY 4u
#define DMA_FS_FULL 5u

/* ------------------------------------------------------------ the model */

#define STM32_DMA_HW_STREAMS 8
#define STM32_DMA_HW_FIFO 16u /* bytes: four words per stream (10.3.12) */
#define STM32_DMA_HW_RAM 16  /* RAM ranges of the board the model knows of */
#define STM32_DMA_HW_NONE UINT64_MAX

enum stm32_dma_hw_state {
	STM32_DMA_HW_IDLE, /* EN reads 0 */
	STM32_DMA_HW_RUN,  /* enabled */
	STM32_DMA_HW_STOP, /* EN written 0: finishing its burst and flushing; EN reads 1 */
};

enum stm32_dma_hw_port {
	STM32_DMA_HW_PPORT, /* the AHB peripheral port: SxPAR's side */
	STM32_DMA_HW_MPORT, /* the AHB memory port: SxM0AR / SxM1AR's side */
};

/* Timing, in cycles of the controller's clock (docs/hw-stm32-dma.md has the sources). */
struct stm32_dma_hw_timing {
	u32 arbitration;  /* the arbiter's grant of a port, per single or burst */
	u32 burst;	  /* the address phase of each single or burst's first beat */
	u32 beat;	  /* one data beat to memory */
	u32 reg_beat;	  /* one data beat to a peripheral's register */
};

/* A stream's configuration, latched at enable once the hardware forced its bits. */
struct stm32_dma_hw_cfg {
	u8 dir;		/* DMA_DIR_* */
	u8 psize, msize; /* bytes per item on the peripheral / memory side */
	u8 pburst, mburst; /* beats per burst (1: single) */
	u8 pstep;	/* the peripheral address's step per item: 0, PSIZE, or 4 (PINCOS) */
	u8 fth;		/* FIFO threshold in bytes */
	u8 pl;		/* priority level */
	bool minc;	/* the memory address steps by MSIZE */
	bool direct;	/* direct mode */
	bool circ;	/* circular (forced by DBM) */
	bool dbm;	/* double buffer */
	u32 mtot;	/* bytes of a buffer on the memory side: NDT x PSIZE */
};

/* The single or burst a stream has on a port. Beat k (1..beats) ends at start + lead + k x beat. */
struct stm32_dma_hw_xfer {
	u64 start;   /* cycle of the grant */
	u32 lead;    /* cycles from the grant to the first beat */
	u32 beat;    /* cycles per beat */
	u8 port;     /* enum stm32_dma_hw_port */
	bool fill;   /* into the FIFO, from the source; else out of it, to the destination */
	bool regs;   /* the beats reach a peripheral's registers: each one at its own time */
	u8 beats;    /* beats of it */
	u8 done;     /* beats completed */
	u8 width;    /* bytes per beat on the bus */
	u8 take;     /* bytes per beat through the FIFO (less than width: a partial last unit) */
	u8 split;    /* bytes of the burst a 1 KB boundary split into singles, 0 */
};

struct stm32_dma_hw_stream {
	/* registers as software sees them */
	u32 cr;		/* SxCR; EN reads 1 until the stream has stopped */
	u32 ndtr;	/* SxNDTR: items left on the peripheral side */
	u32 ndt;	/* the NDT programmed: loaded at enable, reloaded in circular mode */
	u32 par, m0ar, m1ar; /* never advanced by the hardware */
	u32 fcr;	/* SxFCR without FS (computed when read) */
	u8 flags;	/* DMA_FEIF..DMA_TCIF, unshifted */
	/* the stream's machine */
	u8 state;	/* enum stm32_dma_hw_state */
	bool req;	/* its request line's level */
	bool busy;	/* xf is on a port */
	u8 drain;	/* FIFO mode to memory: bytes still to go since the threshold was reached */
	bool refill;	/* FIFO mode from memory: reloading since the level fell to the threshold */
	bool ht;	/* HTIF was set in this buffer */
	bool starved;	/* in an over/underrun (FEIF was set when it began) */
	bool irq;	/* its interrupt line as driven (or, in a plan, as it would be) */
	bool warned;	/* the 1 KB-crossing warning was given */
	bool lines_dirty; /* flags or enables changed since its line was last driven */
	u8 head;	/* the FIFO's oldest byte */
	u8 level;	/* bytes in the FIFO */
	u32 mofs;	/* bytes the memory side moved in its current buffer */
	u32 epoch;	/* bumped at each buffer end, flag or state change: a run's pattern breaks */
	struct stm32_dma_hw_cfg cfg;	/* latched at enable */
	struct stm32_dma_hw_xfer xf;	/* valid while busy */
	u8 fifo[STM32_DMA_HW_FIFO];	/* the FIFO, a ring in arrival order */
};

/* What moves: copied whole to plan ahead without touching the bus. */
struct stm32_dma_hw_engine {
	u64 now;	/* the cycle everything has been brought to */
	u64 kick;	/* a cycle where the streams must be arbitrated again (an input), or NONE */
	s8 owner[2];	/* the stream on each port, -1 when free */
	u8 active;	/* the streams not idle, a bit each */
	struct stm32_dma_hw_stream s[STM32_DMA_HW_STREAMS];
};

struct stm32_dma_hw_ram {
	u64 start, end; /* [start, end) of a RAM region of the board */
};

struct stm32_dma_hw {
	struct dmae_hw *hw;		/* the instance */
	struct dmae_sim *sim;		/* its board's time */
	u64 hz;				/* the controller's clock */
	struct stm32_dma_hw_timing t;	/* cycle costs */
	bool step_beats;		/* dmaengine,step-beats: no runs skipped (to check them) */
	struct stm32_dma_hw_engine e;	/* the streams */
	struct dmae_sim_event ev;	/* the next thing that must happen at its time */
	struct dmae_hw_port requests;	/* "requests": line n is stream n's request input */
	bool in_engine;			/* applying: a re-entrant call only notes its input */
	u8 tc;				/* streams whose TCIF an apply set (for the MDMA) */
	bool links_looked;		/* the DMAMUX and the MDMA were looked for */
	const struct dmae_hw_port *mdma; /* the MDMA's request port, or NULL */
	unsigned int mdma_base;		/* this controller's first MDMA request line */
	const struct dmae_hw_port *acks; /* the DMAMUX's "acks" port, or NULL: no DMAMUX */
	unsigned int acks_base;		/* our stream 0's line on it (its output) */
	struct stm32_dma_hw_ram ram[STM32_DMA_HW_RAM]; /* the board's RAM, a hint */
	unsigned int nr_ram;		/* entries of ram */
	u64 mask;			/* the controller's DMA mask */
};

/*
 * stm32_dma_hw_acks - whether stream @s acknowledges each single or burst on
 * its peripheral port: it is served requests (not memory-to-memory) and
 * behind a DMAMUX, which hears the acknowledges.
 */
static inline bool stm32_dma_hw_acks(const struct stm32_dma_hw *d,
				     const struct stm32_dma_hw_stream *s)
{
	return d->acks && s->cfg.dir != DMA_DIR_M2M;
}

/* ----------------------------------------------------- stm32-dma-engine.c */

/** stm32_dma_hw_enable - EN written 1 to an idle stream: forced bits, checks, start. */
void stm32_dma_hw_enable(struct stm32_dma_hw *d, unsigned int n);
/** stm32_dma_hw_disable - EN written 0 to a running stream: it finishes and flushes. */
void stm32_dma_hw_disable(struct stm32_dma_hw *d, unsigned int n);
/** stm32_dma_hw_abort - a transfer error: TEIF, the stream stops at once. */
void stm32_dma_hw_abort(struct stm32_dma_hw_engine *e, unsigned int n);
/** stm32_dma_hw_apply - bring the streams to cycle @until, data and bus accesses included. */
void stm32_dma_hw_apply(struct stm32_dma_hw *d, u64 until);
/** stm32_dma_hw_plan - the first cycle after now at which something must happen, or NONE. */
u64 stm32_dma_hw_plan(struct stm32_dma_hw *d);
/** stm32_dma_hw_fifo_status - SxFCR.FS of stream @s. */
u32 stm32_dma_hw_fifo_status(const struct stm32_dma_hw_stream *s);
/** stm32_dma_hw_line - whether stream @s's interrupt line should be high. */
bool stm32_dma_hw_line(const struct stm32_dma_hw_stream *s);

/* -------------------------------------------------------- stm32-dma-bus.c */

/** stm32_dma_hw_ram_scan - learn the board's RAM from the tree (a hint for planning). */
void stm32_dma_hw_ram_scan(struct stm32_dma_hw *d);
/** stm32_dma_hw_is_ram - whether [@addr, @addr + @len) lies in one RAM region under the mask. */
bool stm32_dma_hw_is_ram(const struct stm32_dma_hw *d, u64 addr, u64 len);
/** stm32_dma_hw_fifo_push - @len bytes at the FIFO's tail. */
void stm32_dma_hw_fifo_push(struct stm32_dma_hw_stream *s, const u8 *buf, unsigned int len);
/** stm32_dma_hw_fifo_peek - the @len bytes from the FIFO's head (stale ones past its level). */
void stm32_dma_hw_fifo_peek(const struct stm32_dma_hw_stream *s, u8 *buf, unsigned int len);
/**
 * stm32_dma_hw_bus - @len bytes at @addr in beats of @width, read into or
 * written from @buf. 0 or -EFAULT (the model's bus error).
 */
int stm32_dma_hw_bus(struct stm32_dma_hw *d, bool write, u64 addr, u8 *buf, unsigned int len,
		     unsigned int width);
/**
 * stm32_dma_hw_stream_copy - move @len bytes from @src to @dst, memory to
 * memory, in pieces; @return the bytes written before a piece failed (@len
 * when none did).
 */
u64 stm32_dma_hw_stream_copy(struct stm32_dma_hw *d, u64 dst, u64 src, u64 len);

#endif /* DMAE_HW_STM32_DMA_H */

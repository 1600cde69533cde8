// SPDX-License-Identifier: MIT
/*
 * stm32-dma.c - the STM32 DMA controller (DMA1/DMA2 of the STM32MP1, F4,
 * F7, H7): 8 streams, each with a 4-word FIFO, a request line from the
 * DMAMUX, and an interrupt of its own. A provider on virt-dma that touches
 * the controller only through its registers and interrupts, as Linux's
 * drivers/dma/stm32/stm32-dma.c does: DMA_SLAVE (slave_sg), DMA_CYCLIC
 * (circular for one period, double buffering for more), DMA_MEMCPY on a
 * controller with st,mem2mem; pause and resume mid-transfer; residue from
 * NDTR at burst granularity; the 4-cell device-tree translation.
 *
 * One deliberate difference (docs/differences.md): a transfer error (TEIF)
 * completes the descriptor with an error result, where Linux's driver only
 * logs it and leaves the client waiting.
 */
#include <stdlib.h>
#include <string.h>

#include <dmaengine/bitfield.h>
#include <dmaengine/clk.h>
#include <dmaengine/dma-mapping.h>
#include <dmaengine/io.h>
#include <dmaengine/of_dma.h>
#include <dmaengine/platform_device.h>
#include <dmaengine/virt-dma.h>

/* ------------------------------------------------------------ registers */

#define STM32_DMA_LISR 0x0000  /* low interrupt status: streams 0-3 */
#define STM32_DMA_HISR 0x0004  /* high interrupt status: streams 4-7 */
#define STM32_DMA_LIFCR 0x0008 /* low interrupt flag clear */
#define STM32_DMA_HIFCR 0x000c /* high interrupt flag clear */
#define STM32_DMA_ISR(n) (((n) & 4) ? STM32_DMA_HISR : STM32_DMA_LISR)
#define STM32_DMA_IFCR(n) (((n) & 4) ? STM32_DMA_HIFCR : STM32_DMA_LIFCR)
/* A stream's six flag bits: streams 1 and 3 six bits up, 2 and 3 sixteen more. */
#define STM32_DMA_FLAGS_SHIFT(n) ((((n) & 2u) << 3) | (((n) & 1u) * 6))
#define STM32_DMA_TCI BIT(5)  /* transfer complete */
#define STM32_DMA_HTI BIT(4)  /* half transfer */
#define STM32_DMA_TEI BIT(3)  /* transfer error */
#define STM32_DMA_DMEI BIT(2) /* direct mode error */
#define STM32_DMA_FEI BIT(0)  /* FIFO error */
#define STM32_DMA_MASKI (STM32_DMA_TCI | STM32_DMA_TEI | STM32_DMA_DMEI | STM32_DMA_FEI)

#define STM32_DMA_SCR(x) (0x0010 + 0x18 * (x))	 /* stream configuration */
#define STM32_DMA_SNDTR(x) (0x0014 + 0x18 * (x)) /* number of data items */
#define STM32_DMA_SPAR(x) (0x0018 + 0x18 * (x))	 /* peripheral address */
#define STM32_DMA_SM0AR(x) (0x001c + 0x18 * (x)) /* memory 0 address */
#define STM32_DMA_SM1AR(x) (0x0020 + 0x18 * (x)) /* memory 1 address */
#define STM32_DMA_SFCR(x) (0x0024 + 0x18 * (x))	 /* FIFO control */

#define STM32_DMA_SCR_REQ GENMASK(27, 25)
#define STM32_DMA_SCR_MBURST GENMASK(24, 23)
#define STM32_DMA_SCR_PBURST GENMASK(22, 21)
#define STM32_DMA_SCR_TRBUFF BIT(20)
#define STM32_DMA_SCR_CT BIT(19)
#define STM32_DMA_SCR_DBM BIT(18)
#define STM32_DMA_SCR_PL GENMASK(17, 16)
#define STM32_DMA_SCR_PINCOS BIT(15)
#define STM32_DMA_SCR_MSIZE GENMASK(14, 13)
#define STM32_DMA_SCR_PSIZE GENMASK(12, 11)
#define STM32_DMA_SCR_MINC BIT(10)
#define STM32_DMA_SCR_PINC BIT(9)
#define STM32_DMA_SCR_CIRC BIT(8)
#define STM32_DMA_SCR_DIR GENMASK(7, 6)
#define STM32_DMA_SCR_PFCTRL BIT(5)
#define STM32_DMA_SCR_TCIE BIT(4)
#define STM32_DMA_SCR_TEIE BIT(2)
#define STM32_DMA_SCR_DMEIE BIT(1)
#define STM32_DMA_SCR_EN BIT(0)
/* What the device tree's third cell may set. */
#define STM32_DMA_SCR_CFG_MASK \
	(STM32_DMA_SCR_PINC | STM32_DMA_SCR_MINC | STM32_DMA_SCR_PINCOS | STM32_DMA_SCR_PL)
#define STM32_DMA_SCR_IRQ_MASK (STM32_DMA_SCR_TCIE | STM32_DMA_SCR_TEIE | STM32_DMA_SCR_DMEIE)

#define STM32_DMA_SFCR_FTH GENMASK(1, 0)
#define STM32_DMA_SFCR_DMDIS BIT(2)
#define STM32_DMA_SFCR_FS GENMASK(5, 3)
#define STM32_DMA_SFCR_FEIE BIT(7)
#define STM32_DMA_SFCR_MASK (STM32_DMA_SFCR_FEIE | STM32_DMA_SFCR_DMDIS)

enum { STM32_DMA_DEV_TO_MEM = 0, STM32_DMA_MEM_TO_DEV = 1, STM32_DMA_MEM_TO_MEM = 2 };
enum { STM32_DMA_BYTE = 0, STM32_DMA_HALF_WORD = 1, STM32_DMA_WORD = 2 };
enum { STM32_DMA_BURST_SINGLE, STM32_DMA_BURST_INCR4, STM32_DMA_BURST_INCR8,
       STM32_DMA_BURST_INCR16 };

/* FIFO thresholds of SFCR.FTH, and none: direct mode. */
#define STM32_DMA_FIFO_THRESHOLD_QUARTER 0
#define STM32_DMA_FIFO_THRESHOLD_FULL 3
#define STM32_DMA_FIFO_THRESHOLD_NONE 4

#define STM32_DMA_MAX_DATA_ITEMS 0xffff
/* Items per segment, kept to a whole FIFO (16 bytes) so a segment never strands bytes. */
#define STM32_DMA_ALIGNED_MAX_DATA_ITEMS ALIGN_DOWN(STM32_DMA_MAX_DATA_ITEMS, 16)
#define STM32_DMA_MAX_CHANNELS 8
#define STM32_DMA_MAX_REQUEST_ID 8
#define STM32_DMA_FIFO_SIZE 16
#define STM32_DMA_MIN_BURST 4
#define STM32_DMA_MAX_BURST 16

/* The fourth device-tree cell. */
#define STM32_DMA_THRESHOLD_FTR_MASK GENMASK(1, 0)
#define STM32_DMA_DIRECT_MODE_MASK BIT(2)
#define STM32_DMA_ALT_ACK_MODE_MASK BIT(4)
#define STM32_DMA_MDMA_STREAM_ID_MASK GENMASK(19, 16)

/* ------------------------------------------------------------- the state */

/* A stream's registers, as one segment programs them. */
struct stm32_dma_regs {
	u32 scr;
	u32 sndtr;
	u32 spar;
	u32 sm0ar;
	u32 sm1ar;
	u32 sfcr;
};

struct stm32_dma_sg {
	u32 len;		    /* bytes */
	struct stm32_dma_regs regs; /* what starts it */
};

struct stm32_dma_desc {
	struct virt_dma_desc vdesc;
	bool cyclic;		  /* a ring of periods */
	u32 nr_sgs;		  /* entries of sg */
	struct stm32_dma_sg sg[]; /* the segments (periods) */
};

/* What the DMA gives the MDMA to chain a stream's transfers (peripheral_config). */
struct stm32_dma_mdma_config {
	u32 stream_id; /* the DMAMUX channel: the MDMA's request line */
	u32 ifcr;      /* bus address of the stream's flag clear register */
	u32 tcf;       /* the stream's TCIF bit there */
};

struct stm32_dma_chan {
	struct virt_dma_chan vchan;
	u32 id;				   /* the stream */
	int irq;			   /* its interrupt */
	bool config_init;		   /* device_config was called */
	bool busy;			   /* a segment is programmed and enabled */
	struct stm32_dma_desc *desc;	   /* the running descriptor; vchan.lock */
	u32 next_sg;			   /* the segment to program next */
	struct dma_slave_config cfg;	   /* from device_config */
	struct stm32_dma_regs regs;	   /* the channel's configuration; at pause, the
					    * registers saved */
	u32 threshold;			   /* FIFO threshold, or NONE for direct mode */
	u32 mem_burst;			   /* beats of the memory burst (0: single) */
	u32 mem_width;			   /* bytes of the memory side */
	enum dma_status status;		   /* DMA_IN_PROGRESS, DMA_PAUSED, DMA_COMPLETE */
	dma_cookie_t error_cookie;	   /* the last cookie a transfer error ended */
	bool trig_mdma;			   /* chained to the MDMA */
	struct stm32_dma_mdma_config mdma; /* for the MDMA */
};

struct stm32_dma_device {
	struct dma_device ddev;
	void __iomem *base;	/* the registers */
	struct clk *clk;	/* the bus clock */
	bool mem2mem;		/* st,mem2mem: memory-to-memory allowed */
	struct stm32_dma_chan chan[STM32_DMA_MAX_CHANNELS];
};

static struct stm32_dma_device *stm32_dma_get_dev(struct stm32_dma_chan *chan)
{
	return container_of(chan->vchan.chan.device, struct stm32_dma_device, ddev);
}

static struct stm32_dma_chan *to_stm32_dma_chan(struct dma_chan *c)
{
	return container_of(c, struct stm32_dma_chan, vchan.chan);
}

static struct stm32_dma_desc *to_stm32_dma_desc(struct virt_dma_desc *vdesc)
{
	return container_of(vdesc, struct stm32_dma_desc, vdesc);
}

static struct device *chan2dev(struct stm32_dma_chan *chan)
{
	return &chan->vchan.chan.dev->device;
}

static u32 stm32_dma_read(struct stm32_dma_device *dmadev, u32 reg)
{
	return readl_relaxed(dmadev->base + reg);
}

static void stm32_dma_write(struct stm32_dma_device *dmadev, u32 reg, u32 val)
{
	writel_relaxed(val, dmadev->base + reg);
}

/* ------------------------------------------------------- widths, bursts */

static int stm32_dma_get_width(struct stm32_dma_chan *chan, enum dma_slave_buswidth width)
{
	switch (width) {
	case DMA_SLAVE_BUSWIDTH_1_BYTE:
		return STM32_DMA_BYTE;
	case DMA_SLAVE_BUSWIDTH_2_BYTES:
		return STM32_DMA_HALF_WORD;
	case DMA_SLAVE_BUSWIDTH_4_BYTES:
		return STM32_DMA_WORD;
	default:
		dev_err(chan2dev(chan), "Dma bus width not supported");
		return -EINVAL;
	}
}

/*
 * The widest memory access for a buffer: a word with a full-FIFO threshold,
 * else a half-word, halved until it divides the length, a byte when the
 * address is not aligned to it.
 */
static enum dma_slave_buswidth stm32_dma_get_max_width(u32 buf_len, dma_addr_t buf_addr,
						       u32 threshold)
{
	enum dma_slave_buswidth w = threshold == STM32_DMA_FIFO_THRESHOLD_FULL ?
					    DMA_SLAVE_BUSWIDTH_4_BYTES : DMA_SLAVE_BUSWIDTH_2_BYTES;

	while ((buf_len < w || buf_len % w) && w > DMA_SLAVE_BUSWIDTH_1_BYTE)
		w >>= 1;
	if (buf_addr & (w - 1))
		w = DMA_SLAVE_BUSWIDTH_1_BYTE;
	return w;
}

/* A FIFO threshold takes a burst when its beats are a whole number of bursts. */
static bool stm32_dma_fifo_threshold_is_allowed(u32 burst, u32 threshold,
						enum dma_slave_buswidth width)
{
	if (threshold == STM32_DMA_FIFO_THRESHOLD_NONE || width == DMA_SLAVE_BUSWIDTH_UNDEFINED)
		return false;
	if (!burst)
		return true;
	return ((STM32_DMA_FIFO_SIZE / width) * (threshold + 1) / 4) % burst == 0;
}

/* A burst strands no bytes in the FIFO only if the length is a multiple of the threshold. */
static bool stm32_dma_is_burst_possible(u32 buf_len, u32 threshold)
{
	if (threshold == STM32_DMA_FIFO_THRESHOLD_NONE)
		return false;
	return buf_len % ((threshold + 1) * 4) == 0;
}

static u32 stm32_dma_get_best_burst(u32 buf_len, u32 max_burst, u32 threshold,
				    enum dma_slave_buswidth width)
{
	u32 best = max_burst;

	if (best == 1 || !stm32_dma_is_burst_possible(buf_len, threshold))
		return 0;
	while ((buf_len < best * width && best > 1) ||
	       !stm32_dma_fifo_threshold_is_allowed(best, threshold, width))
		best = best > STM32_DMA_MIN_BURST ? best >> 1 : 0;
	return best;
}

static int stm32_dma_get_burst(struct stm32_dma_chan *chan, u32 maxburst)
{
	switch (maxburst) {
	case 0:
	case 1:
		return STM32_DMA_BURST_SINGLE;
	case 4:
		return STM32_DMA_BURST_INCR4;
	case 8:
		return STM32_DMA_BURST_INCR8;
	case 16:
		return STM32_DMA_BURST_INCR16;
	default:
		dev_err(chan2dev(chan), "Dma burst size not supported");
		return -EINVAL;
	}
}

/* Direct mode when both sides are single transfers, else FIFO mode. */
static void stm32_dma_set_fifo_config(struct stm32_dma_chan *chan, u32 src_burst, u32 dst_burst)
{
	chan->regs.sfcr &= ~STM32_DMA_SFCR_MASK;
	chan->regs.scr &= ~STM32_DMA_SCR_DMEIE;
	if (!src_burst && !dst_burst)
		chan->regs.scr |= STM32_DMA_SCR_DMEIE;
	else
		chan->regs.sfcr |= STM32_DMA_SFCR_MASK;
}

/* ------------------------------------------------------ flags and stop */

static u32 stm32_dma_irq_status(struct stm32_dma_chan *chan)
{
	u32 isr = stm32_dma_read(stm32_dma_get_dev(chan), STM32_DMA_ISR(chan->id));

	return (isr >> STM32_DMA_FLAGS_SHIFT(chan->id)) & STM32_DMA_MASKI;
}

static void stm32_dma_irq_clear(struct stm32_dma_chan *chan, u32 flags)
{
	flags &= STM32_DMA_MASKI;
	stm32_dma_write(stm32_dma_get_dev(chan), STM32_DMA_IFCR(chan->id),
			flags << STM32_DMA_FLAGS_SHIFT(chan->id));
}

/* Clear EN and wait (up to 1 s of the board's time) until the stream has stopped. */
static int stm32_dma_disable_chan(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	u32 reg = STM32_DMA_SCR(chan->id), scr = stm32_dma_read(dmadev, reg);

	if (!(scr & STM32_DMA_SCR_EN))
		return 0;
	stm32_dma_write(dmadev, reg, scr & ~STM32_DMA_SCR_EN);
	return readl_relaxed_poll_timeout_atomic(dmadev->base + reg, scr,
						 !(scr & STM32_DMA_SCR_EN), 10, 1000000);
}

/* Interrupts off, the stream stopped, its flags cleared. vchan.lock held. */
static void stm32_dma_stop(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	u32 scr, sfcr, status;

	scr = stm32_dma_read(dmadev, STM32_DMA_SCR(chan->id));
	stm32_dma_write(dmadev, STM32_DMA_SCR(chan->id), scr & ~STM32_DMA_SCR_IRQ_MASK);
	sfcr = stm32_dma_read(dmadev, STM32_DMA_SFCR(chan->id));
	stm32_dma_write(dmadev, STM32_DMA_SFCR(chan->id), sfcr & ~STM32_DMA_SFCR_FEIE);
	if (stm32_dma_disable_chan(chan) < 0)
		return;
	status = stm32_dma_irq_status(chan);
	if (status) {
		dev_dbg(chan2dev(chan), "stm32_dma_stop(): clearing interrupt: 0x%08x", status);
		stm32_dma_irq_clear(chan, status);
	}
	chan->busy = false;
	chan->status = DMA_COMPLETE;
}

static int stm32_dma_terminate_all(struct dma_chan *c)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	unsigned long flags;
	LIST_HEAD(head);

	spin_lock_irqsave(&chan->vchan.lock, flags);
	if (chan->desc) {
		dma_cookie_complete(&chan->desc->vdesc.tx);
		vchan_terminate_vdesc(&chan->desc->vdesc);
		if (chan->busy)
			stm32_dma_stop(chan);
		chan->desc = NULL;
	}
	vchan_get_all_descriptors(&chan->vchan, &head);
	spin_unlock_irqrestore(&chan->vchan.lock, flags);
	vchan_dma_desc_free_list(&chan->vchan, &head);
	return 0;
}

static void stm32_dma_synchronize(struct dma_chan *c)
{
	vchan_synchronize(&to_stm32_dma_chan(c)->vchan);
}

static void stm32_dma_dump_reg(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	u32 id = chan->id;

	dev_dbg(chan2dev(chan), "SCR:   0x%08x", stm32_dma_read(dmadev, STM32_DMA_SCR(id)));
	dev_dbg(chan2dev(chan), "NDTR:  0x%08x", stm32_dma_read(dmadev, STM32_DMA_SNDTR(id)));
	dev_dbg(chan2dev(chan), "SPAR:  0x%08x", stm32_dma_read(dmadev, STM32_DMA_SPAR(id)));
	dev_dbg(chan2dev(chan), "SM0AR: 0x%08x", stm32_dma_read(dmadev, STM32_DMA_SM0AR(id)));
	dev_dbg(chan2dev(chan), "SM1AR: 0x%08x", stm32_dma_read(dmadev, STM32_DMA_SM1AR(id)));
	dev_dbg(chan2dev(chan), "SFCR:  0x%08x", stm32_dma_read(dmadev, STM32_DMA_SFCR(id)));
}

/* ---------------------------------------------------------- starting */

static void stm32_dma_sg_inc(struct stm32_dma_chan *chan)
{
	chan->next_sg++;
	if (chan->desc->cyclic && chan->next_sg == chan->desc->nr_sgs)
		chan->next_sg = 0;
}

/* Double buffering: program the idle memory register with the next period. */
static void stm32_dma_configure_next_sg(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	struct stm32_dma_sg *sg = &chan->desc->sg[chan->next_sg];
	u32 id = chan->id, scr = stm32_dma_read(dmadev, STM32_DMA_SCR(id));

	if (scr & STM32_DMA_SCR_CT) {
		stm32_dma_write(dmadev, STM32_DMA_SM0AR(id), sg->regs.sm0ar);
		dev_dbg(chan2dev(chan), "CT=1 <=> SM0AR: 0x%08x",
			stm32_dma_read(dmadev, STM32_DMA_SM0AR(id)));
	} else {
		stm32_dma_write(dmadev, STM32_DMA_SM1AR(id), sg->regs.sm1ar);
		dev_dbg(chan2dev(chan), "CT=0 <=> SM1AR: 0x%08x",
			stm32_dma_read(dmadev, STM32_DMA_SM1AR(id)));
	}
}

/*
 * stm32_dma_start_transfer - program and enable the next segment: of the
 * running descriptor, or of the next issued one. vchan.lock held (called
 * from issue_pending and from the interrupt handler).
 */
static void stm32_dma_start_transfer(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	struct virt_dma_desc *vdesc;
	struct stm32_dma_regs *reg;
	u32 status, id = chan->id;

	if (stm32_dma_disable_chan(chan) < 0)
		return;
	if (!chan->desc) {
		vdesc = vchan_next_desc(&chan->vchan);
		if (!vdesc)
			return;
		list_del(&vdesc->node);
		chan->desc = to_stm32_dma_desc(vdesc);
		chan->next_sg = 0;
	}
	if (chan->next_sg == chan->desc->nr_sgs)
		chan->next_sg = 0;
	reg = &chan->desc->sg[chan->next_sg].regs;
	/* Chained to the MDMA: the MDMA sees the transfer complete, not us. */
	if (chan->trig_mdma && chan->cfg.direction != DMA_MEM_TO_DEV)
		reg->scr &= ~STM32_DMA_SCR_TCIE;
	reg->scr &= ~STM32_DMA_SCR_EN;
	stm32_dma_write(dmadev, STM32_DMA_SCR(id), reg->scr);
	stm32_dma_write(dmadev, STM32_DMA_SPAR(id), reg->spar);
	stm32_dma_write(dmadev, STM32_DMA_SM0AR(id), reg->sm0ar);
	stm32_dma_write(dmadev, STM32_DMA_SFCR(id), reg->sfcr);
	stm32_dma_write(dmadev, STM32_DMA_SM1AR(id), reg->sm1ar);
	stm32_dma_write(dmadev, STM32_DMA_SNDTR(id), reg->sndtr);
	stm32_dma_sg_inc(chan);
	status = stm32_dma_irq_status(chan);
	if (status)
		stm32_dma_irq_clear(chan, status);
	if (chan->desc->cyclic)
		stm32_dma_configure_next_sg(chan);
	stm32_dma_dump_reg(chan);
	chan->busy = true;
	chan->status = DMA_IN_PROGRESS;
	reg->scr |= STM32_DMA_SCR_EN;
	stm32_dma_write(dmadev, STM32_DMA_SCR(id), reg->scr);
	dev_dbg(chan2dev(chan), "vchan %p: started", (void *)&chan->vchan);
}

/* ---------------------------------------------------- pause and resume */

/* Save SCR and NDTR for the resume; a cyclic transfer drops CIRC/DBM until its next TC. */
static void stm32_dma_handle_chan_paused(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	u32 scr = stm32_dma_read(dmadev, STM32_DMA_SCR(chan->id));

	/* Paused again before a reconfiguration after an earlier resume: put the mode back. */
	if (chan->desc && chan->desc->cyclic)
		scr |= chan->desc->nr_sgs == 1 ? STM32_DMA_SCR_CIRC : STM32_DMA_SCR_DBM;
	chan->regs.scr = scr;
	/* With CIRC/DBM on, the resume's NDTR would become the reload value. */
	if (chan->desc && chan->desc->cyclic) {
		scr &= ~(STM32_DMA_SCR_DBM | STM32_DMA_SCR_CIRC);
		stm32_dma_write(dmadev, STM32_DMA_SCR(chan->id), scr);
	}
	chan->regs.sndtr = stm32_dma_read(dmadev, STM32_DMA_SNDTR(chan->id));
	/*
	 * The disable set TCIF. Left for the handler, it would end the
	 * descriptor if a resume came first; NDTR tells whether the segment
	 * had really ended, and the resume acts on that.
	 */
	stm32_dma_irq_clear(chan, stm32_dma_irq_status(chan) & (STM32_DMA_TCI | STM32_DMA_HTI));
	chan->status = DMA_PAUSED;
	dev_dbg(chan2dev(chan), "vchan %p: paused", (void *)&chan->vchan);
}

/* The segment that was running: the one before next_sg. */
static struct stm32_dma_sg *stm32_dma_prev_sg(struct stm32_dma_chan *chan)
{
	u32 i = chan->next_sg ? chan->next_sg - 1 : chan->desc->nr_sgs - 1;

	return &chan->desc->sg[i];
}

/*
 * After the TC that ends a resumed period: restore the period's registers
 * and CIRC/DBM (with CT as it was), and go on. vchan.lock held.
 */
static void stm32_dma_post_resume_reconfigure(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	struct stm32_dma_sg *sg;
	u32 id = chan->id, scr, status;

	scr = stm32_dma_read(dmadev, STM32_DMA_SCR(id));
	status = stm32_dma_irq_status(chan);
	if (status)
		stm32_dma_irq_clear(chan, status);
	sg = stm32_dma_prev_sg(chan);
	stm32_dma_write(dmadev, STM32_DMA_SNDTR(id), sg->regs.sndtr);
	stm32_dma_write(dmadev, STM32_DMA_SPAR(id), sg->regs.spar);
	stm32_dma_write(dmadev, STM32_DMA_SM0AR(id), sg->regs.sm0ar);
	stm32_dma_write(dmadev, STM32_DMA_SM1AR(id), sg->regs.sm1ar);
	if (chan->regs.scr & STM32_DMA_SCR_DBM) {
		scr |= STM32_DMA_SCR_DBM;
		if (chan->regs.scr & STM32_DMA_SCR_CT)
			scr &= ~STM32_DMA_SCR_CT;
		else
			scr |= STM32_DMA_SCR_CT;
	} else if (chan->regs.scr & STM32_DMA_SCR_CIRC) {
		scr |= STM32_DMA_SCR_CIRC;
	}
	stm32_dma_write(dmadev, STM32_DMA_SCR(id), scr);
	stm32_dma_configure_next_sg(chan);
	stm32_dma_dump_reg(chan);
	stm32_dma_write(dmadev, STM32_DMA_SCR(id), scr | STM32_DMA_SCR_EN);
	dev_dbg(chan2dev(chan), "vchan %p: reconfigured after pause/resume", (void *)&chan->vchan);
}

/* A segment or period ended (TC). vchan.lock held. */
static void stm32_dma_handle_chan_done(struct stm32_dma_chan *chan, u32 scr)
{
	if (!chan->desc)
		return;
	if (chan->desc->cyclic) {
		vchan_cyclic_callback(&chan->desc->vdesc);
		if (chan->trig_mdma)
			return;
		stm32_dma_sg_inc(chan);
		if (!(scr & (STM32_DMA_SCR_CIRC | STM32_DMA_SCR_DBM)))
			stm32_dma_post_resume_reconfigure(chan);
		else if ((scr & STM32_DMA_SCR_DBM) && chan->desc->nr_sgs > 2)
			stm32_dma_configure_next_sg(chan);
		return;
	}
	chan->busy = false;
	chan->status = DMA_COMPLETE;
	if (chan->next_sg == chan->desc->nr_sgs) {
		size_t bytes = 0;

		for (u32 i = 0; i < chan->desc->nr_sgs; i++)
			bytes += chan->desc->sg[i].len;
		/* The channel's memcpy_count and bytes_transferred (Linux's driver leaves them 0). */
		dma_chan_stats_add(&chan->vchan.chan, 1, bytes);
		vchan_cookie_complete(&chan->desc->vdesc);
		chan->desc = NULL;
	}
	stm32_dma_start_transfer(chan);
}

static u32 stm32_dma_get_remaining_bytes(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	u32 scr = stm32_dma_read(dmadev, STM32_DMA_SCR(chan->id));
	u32 ndtr = stm32_dma_read(dmadev, STM32_DMA_SNDTR(chan->id));
	u32 bytes = ndtr << FIELD_GET(STM32_DMA_SCR_PSIZE, scr), sfcr, fs, fifo, seg, read;

	/*
	 * NDTR counts the peripheral port's items. Towards memory (periph to
	 * memory, memory to memory) that is the read side: what the FIFO holds
	 * is read but not yet written. Linux's driver leaves it out, so its
	 * residue may claim up to 16 bytes written that are not; here the
	 * FIFO's level (FS, read after NDTR: it can only have drained since)
	 * is added, as an upper bound of each FS range. Disabled, the FIFO is
	 * flushed and reads empty.
	 */
	if (FIELD_GET(STM32_DMA_SCR_DIR, scr) == STM32_DMA_MEM_TO_DEV)
		return bytes;
	sfcr = stm32_dma_read(dmadev, STM32_DMA_SFCR(chan->id));
	if (!(sfcr & STM32_DMA_SFCR_DMDIS))
		return bytes;
	fs = FIELD_GET(STM32_DMA_SFCR_FS, sfcr);
	if (fs == 4 || !chan->desc) /* empty */
		return bytes;
	fifo = fs == 5 ? STM32_DMA_FIFO_SIZE : (fs + 1) * STM32_DMA_FIFO_SIZE / 4 - 1;
	/* It holds no more than the segment read so far (periods are all alike). */
	seg = chan->desc->cyclic ? chan->desc->sg[0].len : stm32_dma_prev_sg(chan)->len;
	read = seg > bytes ? seg - bytes : 0;
	return bytes + (fifo < read ? fifo : read);
}

static size_t stm32_dma_desc_residue(struct stm32_dma_chan *chan, struct stm32_dma_desc *desc,
				     u32 next_sg);

/*
 * A transfer error stopped the stream. Linux's driver only logs it; here the
 * descriptor completes with an error, its residue what was left, and the
 * next one starts. vchan.lock held.
 */
static void stm32_dma_handle_chan_error(struct stm32_dma_chan *chan)
{
	struct stm32_dma_desc *desc = chan->desc;

	if (!desc)
		return;
	desc->vdesc.tx_result.result = chan->cfg.direction == DMA_DEV_TO_MEM ?
					       DMA_TRANS_WRITE_FAILED : DMA_TRANS_READ_FAILED;
	desc->vdesc.tx_result.residue = (u32)stm32_dma_desc_residue(chan, desc, chan->next_sg);
	chan->busy = false;
	chan->status = DMA_COMPLETE;
	chan->error_cookie = desc->vdesc.tx.cookie;
	vchan_cookie_complete(&desc->vdesc);
	chan->desc = NULL;
	stm32_dma_start_transfer(chan);
}

static irqreturn_t stm32_dma_chan_irq(int irq, void *devid)
{
	struct stm32_dma_chan *chan = devid;
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	u32 status, scr, sfcr;

	spin_lock(&chan->vchan.lock);
	status = stm32_dma_irq_status(chan);
	scr = stm32_dma_read(dmadev, STM32_DMA_SCR(chan->id));
	sfcr = stm32_dma_read(dmadev, STM32_DMA_SFCR(chan->id));
	if (status & STM32_DMA_FEI) {
		stm32_dma_irq_clear(chan, STM32_DMA_FEI);
		status &= ~STM32_DMA_FEI;
		if (sfcr & STM32_DMA_SFCR_FEIE) {
			if (!(scr & STM32_DMA_SCR_EN) && !(status & STM32_DMA_TCI))
				dev_err(chan2dev(chan), "FIFO Error");
			else
				dev_dbg(chan2dev(chan), "FIFO over/underrun");
		}
	}
	if (status & STM32_DMA_DMEI) {
		stm32_dma_irq_clear(chan, STM32_DMA_DMEI);
		status &= ~STM32_DMA_DMEI;
		if (scr & STM32_DMA_SCR_DMEIE)
			dev_dbg(chan2dev(chan), "Direct mode overrun");
	}
	if (status & STM32_DMA_TCI) {
		stm32_dma_irq_clear(chan, STM32_DMA_TCI);
		if ((scr & STM32_DMA_SCR_TCIE) && chan->status != DMA_PAUSED)
			stm32_dma_handle_chan_done(chan, scr);
		status &= ~STM32_DMA_TCI;
	}
	if (status & STM32_DMA_HTI) {
		stm32_dma_irq_clear(chan, STM32_DMA_HTI);
		status &= ~STM32_DMA_HTI;
	}
	if (status) {
		stm32_dma_irq_clear(chan, status);
		dev_err(chan2dev(chan), "DMA error: status=0x%08x", status);
		if (!(scr & STM32_DMA_SCR_EN)) {
			dev_err(chan2dev(chan), "chan disabled by HW");
			if (status & STM32_DMA_TEI)
				stm32_dma_handle_chan_error(chan);
		}
	}
	spin_unlock(&chan->vchan.lock);
	return IRQ_HANDLED;
}

static void stm32_dma_issue_pending(struct dma_chan *c)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	unsigned long flags;

	spin_lock_irqsave(&chan->vchan.lock, flags);
	if (vchan_issue_pending(&chan->vchan) && !chan->desc && !chan->busy) {
		dev_dbg(chan2dev(chan), "vchan %p: issued", (void *)&chan->vchan);
		stm32_dma_start_transfer(chan);
	}
	spin_unlock_irqrestore(&chan->vchan.lock, flags);
}

static int stm32_dma_pause(struct dma_chan *c)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	unsigned long flags;
	int ret;

	/* Checked under the lock (Linux's driver does not): a terminate may be racing. */
	spin_lock_irqsave(&chan->vchan.lock, flags);
	if (chan->status != DMA_IN_PROGRESS || !chan->desc) {
		spin_unlock_irqrestore(&chan->vchan.lock, flags);
		return -EPERM;
	}
	ret = stm32_dma_disable_chan(chan);
	if (!ret)
		stm32_dma_handle_chan_paused(chan);
	spin_unlock_irqrestore(&chan->vchan.lock, flags);
	return ret;
}

/*
 * Resume where the pause stopped: the addresses moved on by the items done
 * (the hardware never advances them), NDTR as it was, CIRC/DBM off until the
 * period's TC puts them back.
 */
static int stm32_dma_resume(struct dma_chan *c)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	struct stm32_dma_regs saved;
	u32 id = chan->id, offset;
	struct stm32_dma_sg *sg;
	unsigned long flags;

	spin_lock_irqsave(&chan->vchan.lock, flags);
	if (chan->status != DMA_PAUSED || !chan->desc) {
		spin_unlock_irqrestore(&chan->vchan.lock, flags);
		return -EPERM;
	}
	if (stm32_dma_read(dmadev, STM32_DMA_SCR(id)) & STM32_DMA_SCR_EN) {
		spin_unlock_irqrestore(&chan->vchan.lock, flags);
		dev_warn(chan2dev(chan), "resume: the stream is enabled");
		return -EPERM;
	}
	saved = chan->regs;
	chan->status = DMA_IN_PROGRESS;
	/*
	 * Paused as the segment ended: its TC came while paused and was left
	 * alone, so it is handled now (Linux's driver re-enables a stream with
	 * NDTR 0, and the descriptor never completes).
	 */
	if (!saved.sndtr) {
		stm32_dma_handle_chan_done(chan, saved.scr & ~(STM32_DMA_SCR_CIRC | STM32_DMA_SCR_DBM));
		spin_unlock_irqrestore(&chan->vchan.lock, flags);
		dev_dbg(chan2dev(chan), "vchan %p: resumed at the end of a segment", (void *)&chan->vchan);
		return 0;
	}
	sg = stm32_dma_prev_sg(chan);
	offset = (sg->regs.sndtr - saved.sndtr) << FIELD_GET(STM32_DMA_SCR_PSIZE, saved.scr);
	stm32_dma_write(dmadev, STM32_DMA_SPAR(id),
			sg->regs.spar + ((saved.scr & STM32_DMA_SCR_PINC) ? offset : 0));
	if (!(saved.scr & STM32_DMA_SCR_MINC))
		offset = 0;
	/* In DBM with CT=1 the current target is SM1AR. */
	if ((saved.scr & STM32_DMA_SCR_DBM) && (saved.scr & STM32_DMA_SCR_CT))
		stm32_dma_write(dmadev, STM32_DMA_SM1AR(id), sg->regs.sm1ar + offset);
	else
		stm32_dma_write(dmadev, STM32_DMA_SM0AR(id), sg->regs.sm0ar + offset);
	/* NDTR written back resets the hardware's internal counter. */
	stm32_dma_write(dmadev, STM32_DMA_SNDTR(id), saved.sndtr);
	saved.scr &= ~(STM32_DMA_SCR_CIRC | STM32_DMA_SCR_DBM);
	stm32_dma_dump_reg(chan);
	stm32_dma_write(dmadev, STM32_DMA_SCR(id), saved.scr | STM32_DMA_SCR_EN);
	spin_unlock_irqrestore(&chan->vchan.lock, flags);
	dev_dbg(chan2dev(chan), "vchan %p: resumed", (void *)&chan->vchan);
	return 0;
}

/* ---------------------------------------------------------- preparing */

static int stm32_dma_slave_config(struct dma_chan *c, struct dma_slave_config *config)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);

	chan->cfg = *config;
	/* A client asking for peripheral_config chains the stream to the MDMA. */
	if (config->peripheral_size) {
		config->peripheral_config = &chan->mdma;
		config->peripheral_size = sizeof(chan->mdma);
		chan->trig_mdma = true;
	}
	chan->config_init = true;
	return 0;
}

/* One side's access size and burst, for a device or memory side. */
static int stm32_dma_side(struct stm32_dma_chan *chan, enum dma_slave_buswidth width,
			  u32 burst, int *width_code, int *burst_code)
{
	*width_code = stm32_dma_get_width(chan, width);
	if (*width_code < 0)
		return *width_code;
	*burst_code = stm32_dma_get_burst(chan, burst);
	return *burst_code < 0 ? *burst_code : 0;
}

/*
 * stm32_dma_set_xfer_param - SCR and SFCR for a segment of @buf_len bytes at
 * @buf_addr in @direction: the device side as configured, the memory side as
 * wide and bursty as the buffer allows. *@buswidth: the device's width.
 */
static int stm32_dma_set_xfer_param(struct stm32_dma_chan *chan,
				    enum dma_transfer_direction direction,
				    enum dma_slave_buswidth *buswidth, u32 buf_len,
				    dma_addr_t buf_addr)
{
	bool to_dev = direction == DMA_MEM_TO_DEV;
	enum dma_slave_buswidth dev_width, mem_width;
	int dev_w, dev_b, mem_w, mem_b, ret;
	u32 dev_burst, mem_burst, fifoth = chan->threshold, scr;

	if (direction != DMA_MEM_TO_DEV && direction != DMA_DEV_TO_MEM) {
		dev_err(chan2dev(chan), "Dma direction is not supported");
		return -EINVAL;
	}
	dev_width = to_dev ? chan->cfg.dst_addr_width : chan->cfg.src_addr_width;
	if (stm32_dma_get_width(chan, dev_width) < 0)
		return -EINVAL;
	dev_burst = stm32_dma_get_best_burst(buf_len, to_dev ? chan->cfg.dst_maxburst :
					     chan->cfg.src_maxburst, fifoth, dev_width);
	mem_width = stm32_dma_get_max_width(buf_len, buf_addr, fifoth);
	chan->mem_width = mem_width;
	/* A memory burst needs the address aligned to the whole transfer. */
	mem_burst = stm32_dma_get_best_burst(buf_len, (buf_addr & (buf_len - 1)) ? 1 :
					     STM32_DMA_MAX_BURST, fifoth, mem_width);
	chan->mem_burst = mem_burst;
	ret = stm32_dma_side(chan, dev_width, dev_burst, &dev_w, &dev_b);
	if (!ret)
		ret = stm32_dma_side(chan, mem_width, mem_burst, &mem_w, &mem_b);
	if (ret)
		return ret;
	scr = FIELD_PREP(STM32_DMA_SCR_DIR, to_dev ? STM32_DMA_MEM_TO_DEV : STM32_DMA_DEV_TO_MEM) |
	      FIELD_PREP(STM32_DMA_SCR_PSIZE, dev_w) | FIELD_PREP(STM32_DMA_SCR_MSIZE, mem_w) |
	      FIELD_PREP(STM32_DMA_SCR_PBURST, dev_b) | FIELD_PREP(STM32_DMA_SCR_MBURST, mem_b);
	chan->regs.sfcr &= ~STM32_DMA_SFCR_FTH;
	if (fifoth != STM32_DMA_FIFO_THRESHOLD_NONE)
		chan->regs.sfcr |= FIELD_PREP(STM32_DMA_SFCR_FTH, fifoth);
	chan->regs.spar = (u32)(to_dev ? chan->cfg.dst_addr : chan->cfg.src_addr);
	*buswidth = dev_width;
	stm32_dma_set_fifo_config(chan, to_dev ? mem_burst : dev_burst,
				  to_dev ? dev_burst : mem_burst);
	chan->regs.scr &= ~(STM32_DMA_SCR_DIR | STM32_DMA_SCR_PSIZE | STM32_DMA_SCR_MSIZE |
			    STM32_DMA_SCR_PBURST | STM32_DMA_SCR_MBURST);
	chan->regs.scr |= scr;
	return 0;
}

static struct stm32_dma_desc *stm32_dma_desc_alloc(u32 nr_sgs)
{
	struct stm32_dma_desc *desc = calloc(1, sizeof(*desc) + nr_sgs * sizeof(desc->sg[0]));

	if (desc)
		desc->nr_sgs = nr_sgs;
	return desc;
}

/* Segment @sg from the channel's configuration, for @nb_items at @addr. */
static void stm32_dma_sg_from_chan(struct stm32_dma_chan *chan, struct stm32_dma_sg *sg,
				   u32 len, dma_addr_t addr, u32 nb_items)
{
	sg->len = len;
	memset(&sg->regs, 0, sizeof(sg->regs));
	sg->regs.scr = chan->regs.scr;
	sg->regs.sfcr = chan->regs.sfcr;
	sg->regs.spar = chan->regs.spar;
	sg->regs.sm0ar = (u32)addr;
	sg->regs.sm1ar = (u32)addr + (chan->trig_mdma ? len : 0);
	sg->regs.sndtr = nb_items;
}

static struct dma_async_tx_descriptor *stm32_dma_prep_slave_sg(struct dma_chan *c,
							       struct scatterlist *sgl,
							       unsigned int sg_len,
							       enum dma_transfer_direction direction,
							       unsigned long flags, void *context)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	enum dma_slave_buswidth buswidth;
	struct stm32_dma_desc *desc;
	struct scatterlist *sg;
	u32 nb_data_items;
	int i;

	if (!chan->config_init) {
		dev_err(chan2dev(chan), "dma channel is not configured");
		return NULL;
	}
	if (sg_len < 1) {
		dev_err(chan2dev(chan), "Invalid segment length %d", sg_len);
		return NULL;
	}
	desc = stm32_dma_desc_alloc(sg_len);
	if (!desc)
		return NULL;
	if (chan->cfg.device_fc)
		chan->regs.scr |= STM32_DMA_SCR_PFCTRL;
	else
		chan->regs.scr &= ~STM32_DMA_SCR_PFCTRL;
	/* Chained to the MDMA with several entries: double buffering. */
	if (chan->trig_mdma && sg_len > 1) {
		chan->regs.scr |= STM32_DMA_SCR_DBM;
		chan->regs.scr &= ~STM32_DMA_SCR_CT;
	}
	for_each_sg(sgl, sg, (int)sg_len, i) {
		if (stm32_dma_set_xfer_param(chan, direction, &buswidth, sg_dma_len(sg),
					     sg_dma_address(sg)) < 0)
			goto err;
		nb_data_items = sg_dma_len(sg) / buswidth;
		if (nb_data_items > STM32_DMA_ALIGNED_MAX_DATA_ITEMS) {
			dev_err(chan2dev(chan), "nb items not supported");
			goto err;
		}
		stm32_dma_sg_from_chan(chan, &desc->sg[i], sg_dma_len(sg), sg_dma_address(sg),
				       nb_data_items);
	}
	desc->cyclic = false;
	chan->cfg.direction = direction;
	return vchan_tx_prep(&chan->vchan, &desc->vdesc, flags);
err:
	free(desc);
	return NULL;
}

static struct dma_async_tx_descriptor *stm32_dma_prep_dma_cyclic(struct dma_chan *c,
								 dma_addr_t buf_addr,
								 size_t buf_len, size_t period_len,
								 enum dma_transfer_direction direction,
								 unsigned long flags)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	enum dma_slave_buswidth buswidth;
	struct stm32_dma_desc *desc;
	u32 num_periods, nb_data_items;

	if (!buf_len || !period_len) {
		dev_err(chan2dev(chan), "Invalid buffer/period len");
		return NULL;
	}
	if (!chan->config_init) {
		dev_err(chan2dev(chan), "dma channel is not configured");
		return NULL;
	}
	if (buf_len % period_len) {
		dev_err(chan2dev(chan), "buf_len not multiple of period_len");
		return NULL;
	}
	/* Periods are queued only while the channel is idle; after, terminate first. */
	if (chan->busy) {
		dev_err(chan2dev(chan), "Request not allowed when dma busy");
		return NULL;
	}
	if (period_len > UINT32_MAX || buf_len / period_len > UINT32_MAX) {
		dev_err(chan2dev(chan), "Invalid buffer/period len");
		return NULL;
	}
	if (stm32_dma_set_xfer_param(chan, direction, &buswidth, (u32)period_len, buf_addr) < 0)
		return NULL;
	nb_data_items = (u32)(period_len / buswidth);
	if (nb_data_items > STM32_DMA_ALIGNED_MAX_DATA_ITEMS) {
		dev_err(chan2dev(chan), "number of items not supported");
		return NULL;
	}
	if (buf_len == period_len) {
		chan->regs.scr |= STM32_DMA_SCR_CIRC;
	} else {
		chan->regs.scr |= STM32_DMA_SCR_DBM;
		chan->regs.scr &= ~STM32_DMA_SCR_CT;
	}
	chan->regs.scr &= ~STM32_DMA_SCR_PFCTRL;
	num_periods = (u32)(buf_len / period_len);
	desc = stm32_dma_desc_alloc(num_periods);
	if (!desc)
		return NULL;
	for (u32 i = 0; i < num_periods; i++) {
		stm32_dma_sg_from_chan(chan, &desc->sg[i], (u32)period_len, buf_addr,
				       nb_data_items);
		if (!chan->trig_mdma)
			buf_addr += period_len;
	}
	desc->cyclic = true;
	chan->cfg.direction = direction;
	return vchan_tx_prep(&chan->vchan, &desc->vdesc, flags);
}

static struct dma_async_tx_descriptor *stm32_dma_prep_dma_memcpy(struct dma_chan *c,
								 dma_addr_t dest, dma_addr_t src,
								 size_t len, unsigned long flags)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	struct stm32_dma_desc *desc;
	size_t xfer_count, offset;
	u32 num_sgs, best_burst;
	int dma_burst, i;

	if (!len || len > (size_t)UINT32_MAX * 16) {
		dev_err(chan2dev(chan), "memcpy: invalid length %zu", len);
		return NULL;
	}
	num_sgs = (u32)DIV_ROUND_UP(len, STM32_DMA_ALIGNED_MAX_DATA_ITEMS);
	desc = stm32_dma_desc_alloc(num_sgs);
	if (!desc)
		return NULL;
	for (offset = 0, i = 0; offset < len; offset += xfer_count, i++) {
		struct stm32_dma_regs *r = &desc->sg[i].regs;

		xfer_count = min_t(size_t, len - offset, STM32_DMA_ALIGNED_MAX_DATA_ITEMS);
		best_burst = stm32_dma_get_best_burst((u32)min_t(size_t, len, UINT32_MAX),
						      STM32_DMA_MAX_BURST, chan->threshold,
						      DMA_SLAVE_BUSWIDTH_1_BYTE);
		dma_burst = stm32_dma_get_burst(chan, best_burst);
		if (dma_burst < 0) {
			free(desc);
			return NULL;
		}
		memset(r, 0, sizeof(*r));
		r->scr = FIELD_PREP(STM32_DMA_SCR_DIR, STM32_DMA_MEM_TO_MEM) |
			 FIELD_PREP(STM32_DMA_SCR_PBURST, dma_burst) |
			 FIELD_PREP(STM32_DMA_SCR_MBURST, dma_burst) | STM32_DMA_SCR_MINC |
			 STM32_DMA_SCR_PINC | STM32_DMA_SCR_TCIE | STM32_DMA_SCR_TEIE;
		r->sfcr = STM32_DMA_SFCR_MASK | FIELD_PREP(STM32_DMA_SFCR_FTH, chan->threshold);
		r->spar = (u32)(src + offset);
		r->sm0ar = (u32)(dest + offset);
		r->sndtr = (u32)xfer_count;
		desc->sg[i].len = (u32)xfer_count;
	}
	desc->cyclic = false;
	chan->cfg.direction = DMA_MEM_TO_MEM;
	return vchan_tx_prep(&chan->vchan, &desc->vdesc, flags);
}

/* ------------------------------------------------------------- residue */

/*
 * In double buffering the hardware may have switched buffers just before
 * NDTR was read: whether the idle memory register still holds the next
 * period's address tells.
 */
static bool stm32_dma_is_current_sg(struct stm32_dma_chan *chan)
{
	struct stm32_dma_device *dmadev = stm32_dma_get_dev(chan);
	u32 id = chan->id, scr = stm32_dma_read(dmadev, STM32_DMA_SCR(id)), smar, start;
	struct stm32_dma_sg *sg;

	if (!(scr & STM32_DMA_SCR_DBM))
		return true;
	sg = &chan->desc->sg[chan->next_sg];
	if (scr & STM32_DMA_SCR_CT) {
		smar = stm32_dma_read(dmadev, STM32_DMA_SM0AR(id));
		start = sg->regs.sm0ar;
	} else {
		smar = stm32_dma_read(dmadev, STM32_DMA_SM1AR(id));
		start = sg->regs.sm1ar;
	}
	/* After a pause/resume it may point inside the period. */
	return smar >= start && smar < start + sg->len;
}

static size_t stm32_dma_desc_residue(struct stm32_dma_chan *chan, struct stm32_dma_desc *desc,
				     u32 next_sg)
{
	struct stm32_dma_sg *sg = &chan->desc->sg[chan->next_sg < chan->desc->nr_sgs ?
						  chan->next_sg : 0];
	u32 residue = stm32_dma_get_remaining_bytes(chan), n_sg = next_sg, burst, modulo;

	if ((chan->desc->cyclic || chan->trig_mdma) && !stm32_dma_is_current_sg(chan)) {
		if (++n_sg == chan->desc->nr_sgs)
			n_sg = 0;
		if (!chan->trig_mdma)
			residue = sg->len;
	}
	/* Cyclic: the last period counts NDTR alone; else the segments after it too. */
	if ((!chan->desc->cyclic && !chan->trig_mdma) || n_sg != 0)
		for (u32 i = n_sg; i < desc->nr_sgs; i++)
			residue += desc->sg[i].len;
	if (!chan->mem_burst)
		return residue;
	burst = chan->mem_burst * chan->mem_width;
	modulo = residue % burst;
	return modulo ? residue - modulo + burst : residue;
}

/* A descriptor not started yet: the lengths of all its segments. */
static size_t stm32_dma_desc_len(const struct stm32_dma_desc *desc)
{
	size_t len = 0;

	for (u32 i = 0; i < desc->nr_sgs; i++)
		len += desc->sg[i].len;
	return len;
}

static enum dma_status stm32_dma_tx_status(struct dma_chan *c, dma_cookie_t cookie,
					   struct dma_tx_state *state)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	struct virt_dma_desc *vdesc;
	enum dma_status status;
	unsigned long flags;
	size_t residue = 0;

	status = dma_cookie_status(c, cookie, state);
	if (status == DMA_COMPLETE)
		return cookie == chan->error_cookie ? DMA_ERROR : status;
	/*
	 * Not complete by its cookie: in progress, or paused. Linux's driver
	 * returns chan->status, which passes through DMA_COMPLETE between two
	 * segments and after the previous descriptor, so a poller could take a
	 * copy half done (or not yet issued) for finished.
	 */
	spin_lock_irqsave(&chan->vchan.lock, flags);
	status = chan->status == DMA_PAUSED ? DMA_PAUSED : DMA_IN_PROGRESS;
	if (!state) {
		spin_unlock_irqrestore(&chan->vchan.lock, flags);
		return status;
	}
	vdesc = vchan_find_desc(&chan->vchan, cookie);
	if (chan->desc && cookie == chan->desc->vdesc.tx.cookie)
		residue = stm32_dma_desc_residue(chan, chan->desc, chan->next_sg);
	else if (vdesc)
		residue = stm32_dma_desc_len(to_stm32_dma_desc(vdesc));
	dma_set_residue(state, (u32)residue);
	spin_unlock_irqrestore(&chan->vchan.lock, flags);
	return status;
}

/* ----------------------------------------------------------- channels */

static int stm32_dma_alloc_chan_resources(struct dma_chan *c)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);

	chan->config_init = false;
	return stm32_dma_disable_chan(chan);
}

static void stm32_dma_free_chan_resources(struct dma_chan *c)
{
	struct stm32_dma_chan *chan = to_stm32_dma_chan(c);
	unsigned long flags;

	dev_dbg(chan2dev(chan), "Freeing channel %u", chan->id);
	if (chan->busy) {
		spin_lock_irqsave(&chan->vchan.lock, flags);
		stm32_dma_stop(chan);
		chan->desc = NULL;
		spin_unlock_irqrestore(&chan->vchan.lock, flags);
	}
	vchan_free_chan_resources(to_virt_chan(c));
	memset(&chan->regs, 0, sizeof(chan->regs));
	chan->threshold = 0;
	chan->trig_mdma = false;
}

static void stm32_dma_desc_free(struct virt_dma_desc *vdesc)
{
	free(to_stm32_dma_desc(vdesc));
}

struct stm32_dma_cfg {
	u32 channel_id;	   /* the stream */
	u32 request_line;  /* SCR.REQ (0 behind a DMAMUX) */
	u32 stream_config; /* PINC, MINC, PINCOS, PL */
	u32 features;	   /* threshold, direct mode, alternate ack, MDMA stream */
};

static void stm32_dma_set_config(struct stm32_dma_chan *chan, const struct stm32_dma_cfg *cfg)
{
	memset(&chan->regs, 0, sizeof(chan->regs));
	chan->regs.scr = (cfg->stream_config & STM32_DMA_SCR_CFG_MASK) |
			 FIELD_PREP(STM32_DMA_SCR_REQ, cfg->request_line) |
			 STM32_DMA_SCR_TEIE | STM32_DMA_SCR_TCIE;
	chan->threshold = FIELD_GET(STM32_DMA_THRESHOLD_FTR_MASK, cfg->features);
	if (FIELD_GET(STM32_DMA_DIRECT_MODE_MASK, cfg->features))
		chan->threshold = STM32_DMA_FIFO_THRESHOLD_NONE;
	if (FIELD_GET(STM32_DMA_ALT_ACK_MODE_MASK, cfg->features))
		chan->regs.scr |= STM32_DMA_SCR_TRBUFF;
	chan->mdma.stream_id = FIELD_GET(STM32_DMA_MDMA_STREAM_ID_MASK, cfg->features);
}

static struct dma_chan *stm32_dma_of_xlate(struct of_phandle_args *dma_spec,
					   struct of_dma *ofdma)
{
	struct stm32_dma_device *dmadev = ofdma->of_dma_data;
	struct device *dev = dmadev->ddev.dev;
	struct stm32_dma_chan *chan;
	struct stm32_dma_cfg cfg;
	struct dma_chan *c;

	if (dma_spec->args_count < 4) {
		dev_err(dev, "Bad number of cells");
		return NULL;
	}
	cfg.channel_id = dma_spec->args[0];
	cfg.request_line = dma_spec->args[1];
	cfg.stream_config = dma_spec->args[2];
	cfg.features = dma_spec->args[3];
	if (cfg.channel_id >= STM32_DMA_MAX_CHANNELS ||
	    cfg.request_line >= STM32_DMA_MAX_REQUEST_ID) {
		dev_err(dev, "Bad channel and/or request id");
		return NULL;
	}
	chan = &dmadev->chan[cfg.channel_id];
	c = dma_get_slave_channel(&chan->vchan.chan);
	if (!c) {
		dev_err(dev, "No more channels available");
		return NULL;
	}
	stm32_dma_set_config(chan, &cfg);
	return c;
}

/* -------------------------------------------------------- probe, remove */

static void stm32_dma_release(struct dma_device *ddev)
{
	(void)ddev; /* everything is devm: freed when the driver is unbound */
}

static void stm32_dma_setup_device(struct stm32_dma_device *dmadev, struct platform_device *pdev)
{
	struct dma_device *dd = &dmadev->ddev;
	u32 widths = BIT(DMA_SLAVE_BUSWIDTH_1_BYTE) | BIT(DMA_SLAVE_BUSWIDTH_2_BYTES) |
		     BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);

	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dma_cap_set(DMA_PRIVATE, dd->cap_mask);
	dma_cap_set(DMA_CYCLIC, dd->cap_mask);
	dd->device_alloc_chan_resources = stm32_dma_alloc_chan_resources;
	dd->device_free_chan_resources = stm32_dma_free_chan_resources;
	dd->device_tx_status = stm32_dma_tx_status;
	dd->device_issue_pending = stm32_dma_issue_pending;
	dd->device_prep_slave_sg = stm32_dma_prep_slave_sg;
	dd->device_prep_dma_cyclic = stm32_dma_prep_dma_cyclic;
	dd->device_config = stm32_dma_slave_config;
	dd->device_pause = stm32_dma_pause;
	dd->device_resume = stm32_dma_resume;
	dd->device_terminate_all = stm32_dma_terminate_all;
	dd->device_synchronize = stm32_dma_synchronize;
	dd->device_release = stm32_dma_release;
	dd->src_addr_widths = widths;
	dd->dst_addr_widths = widths;
	dd->directions = BIT(DMA_DEV_TO_MEM) | BIT(DMA_MEM_TO_DEV);
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_BURST;
	dd->copy_align = DMAENGINE_ALIGN_32_BYTES;
	dd->max_burst = STM32_DMA_MAX_BURST;
	dd->max_sg_burst = STM32_DMA_ALIGNED_MAX_DATA_ITEMS;
	dd->descriptor_reuse = true;
	dd->dev = &pdev->dev;
	INIT_LIST_HEAD(&dd->channels);
	if (dmadev->mem2mem) {
		dma_cap_set(DMA_MEMCPY, dd->cap_mask);
		dd->device_prep_dma_memcpy = stm32_dma_prep_dma_memcpy;
		dd->directions |= BIT(DMA_MEM_TO_MEM);
	}
}

static void stm32_dma_setup_chans(struct stm32_dma_device *dmadev, const struct resource *res)
{
	for (u32 i = 0; i < STM32_DMA_MAX_CHANNELS; i++) {
		struct stm32_dma_chan *chan = &dmadev->chan[i];

		chan->id = i;
		chan->vchan.desc_free = stm32_dma_desc_free;
		vchan_init(&chan->vchan, &dmadev->ddev);
		chan->mdma.ifcr = (u32)res->start + STM32_DMA_IFCR(i);
		chan->mdma.tcf = STM32_DMA_TCI << STM32_DMA_FLAGS_SHIFT(i);
	}
}

static int stm32_dma_request_irqs(struct stm32_dma_device *dmadev, struct platform_device *pdev)
{
	for (u32 i = 0; i < STM32_DMA_MAX_CHANNELS; i++) {
		struct stm32_dma_chan *chan = &dmadev->chan[i];
		int ret = platform_get_irq(pdev, i);

		if (ret < 0)
			return ret;
		chan->irq = ret;
		ret = devm_request_irq(&pdev->dev, (unsigned int)chan->irq, stm32_dma_chan_irq, 0,
				       dev_name(chan2dev(chan)), chan);
		if (ret) {
			dev_err(&pdev->dev, "request_irq failed with err %d channel %u", ret, i);
			return ret;
		}
	}
	return 0;
}

static int stm32_dma_probe(struct platform_device *pdev)
{
	struct stm32_dma_device *dmadev;
	struct resource *res;
	int ret;

	dmadev = devm_kzalloc(&pdev->dev, sizeof(*dmadev), GFP_KERNEL);
	if (!dmadev)
		return -ENOMEM;
	dmadev->base = devm_platform_get_and_ioremap_resource(pdev, 0, &res);
	if (IS_ERR(dmadev->base))
		return (int)PTR_ERR(dmadev->base);
	dmadev->clk = devm_clk_get(&pdev->dev, NULL);
	if (IS_ERR(dmadev->clk)) {
		ret = (int)PTR_ERR(dmadev->clk);
		if (ret != -EPROBE_DEFER)
			dev_err(&pdev->dev, "Can't get clock");
		return ret;
	}
	ret = clk_prepare_enable(dmadev->clk);
	if (ret < 0) {
		dev_err(&pdev->dev, "clk_prep_enable error: %d", ret);
		return ret;
	}
	dmadev->mem2mem = of_property_read_bool(pdev->dev.of_node, "st,mem2mem");
	dma_set_max_seg_size(&pdev->dev, STM32_DMA_ALIGNED_MAX_DATA_ITEMS);
	stm32_dma_setup_device(dmadev, pdev);
	stm32_dma_setup_chans(dmadev, res);
	ret = dma_async_device_register(&dmadev->ddev);
	if (ret)
		goto clk_free;
	ret = stm32_dma_request_irqs(dmadev, pdev);
	if (ret)
		goto err_unregister;
	ret = of_dma_controller_register(pdev->dev.of_node, stm32_dma_of_xlate, dmadev);
	if (ret < 0) {
		dev_err(&pdev->dev, "STM32 DMA DMA OF registration failed %d", ret);
		goto err_unregister;
	}
	platform_set_drvdata(pdev, dmadev);
	dev_info(&pdev->dev, "STM32 DMA driver registered");
	return 0;
err_unregister:
	dma_async_device_unregister(&dmadev->ddev);
clk_free:
	clk_disable_unprepare(dmadev->clk);
	return ret;
}

/* Linux's driver cannot be unbound; here a board can be unloaded: stop every stream. */
static void stm32_dma_remove(struct platform_device *pdev)
{
	struct stm32_dma_device *dmadev = platform_get_drvdata(pdev);

	of_dma_controller_free(pdev->dev.of_node);
	for (u32 i = 0; i < STM32_DMA_MAX_CHANNELS; i++) {
		stm32_dma_terminate_all(&dmadev->chan[i].vchan.chan);
		stm32_dma_synchronize(&dmadev->chan[i].vchan.chan);
	}
	dma_async_device_unregister(&dmadev->ddev);
	clk_disable_unprepare(dmadev->clk);
}

static const struct of_device_id stm32_dma_of_match[] = {
	{ .compatible = "st,stm32-dma" },
	{ /* sentinel */ },
};

static struct platform_driver stm32_dma_driver = {
	.probe = stm32_dma_probe,
	.remove = stm32_dma_remove,
	.driver = {
		.name = "stm32-dma",
		.of_match_table = stm32_dma_of_match,
	},
};
module_platform_driver(stm32_dma_driver);

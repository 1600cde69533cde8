/* SPDX-License-Identifier: MIT */
/*
 * board.h - private to src/platform: a loaded board and the pieces the
 * platform's files share (address map, models, devices, clocks).
 */
#ifndef DMAE_PLATFORM_BOARD_H
#define DMAE_PLATFORM_BOARD_H

#include <limits.h>

#include <dmaengine/board.h>
#include <dmaengine/bus.h>
#include <dmaengine/hw/model.h>
#include <dmaengine/list.h>
#include <dmaengine/platform_device.h>
#include <dmaengine/trace.h>

struct dmae_tlb_pool;

/* The GIC's first SPI is hardware line 32; a board's domain holds SGIs, PPIs and SPIs. */
#define DMAE_GIC_SPI_BASE 32
#define DMAE_GIC_LINES (32 + 256)

enum dmae_region_kind {
	DMAE_REGION_RAM = 0,  /* memory, backed by host memory */
	DMAE_REGION_REGS = 1, /* a model's registers */
};

/* One range of the board's physical address space. */
struct dmae_region {
	u64 start;			     /* first address */
	u64 size;			     /* bytes */
	enum dmae_region_kind kind;	     /* what answers */
	u8 *host;			     /* RAM: the host memory behind it */
	const struct dmae_hw_regs_ops *ops;  /* REGS: the model's accesses */
	void *priv;			     /* REGS: their argument */
	struct dmae_hw *hw;		     /* REGS: the model instance */
	const char *name;		     /* for messages: node or device name */
};

/* A claim of a register range by a driver (devm_ioremap_resource). */
struct dmae_claim {
	u64 start, size;	  /* the range */
	struct device *dev;	  /* who claimed it */
	struct dmae_board *board; /* its board */
	struct list_head node;	  /* in the board's claims */
};

struct dmae_hw {
	const struct dmae_hw_model *model; /* what it is */
	struct dmae_board *board;	   /* where it is */
	struct device_node *np;		   /* its node */
	struct device master;		   /* its struct device as a bus master */
	struct device_driver drv;	   /* names the model in the master's messages */
	struct dmae_trace_unit trace;	   /* its process in the trace */
	const struct dmae_hw_port *ports[8]; /* ports it exports */
	struct list_head node;		   /* in the board's models */
	bool created;			   /* create() succeeded */
	u8 priv[] __attribute__((aligned(16))); /* model->priv_size bytes */
};

/* A fixed clock of the board (the fixed-clock nodes). */
struct clk {
	struct device_node *np; /* the clock's node */
	u64 rate;		/* Hz */
	u32 enabled;		/* prepare_enable count */
	const char *name;	/* clock-output-names[0], or the node's name */
};

struct dmae_board {
	char name[64];			  /* what it was loaded as ("stm32mp151") */
	char origin[PATH_MAX];		  /* the file, or "built-in" */
	struct dmae_of_tree *tree;	  /* its device tree */
	struct dmae_sim *sim;		  /* its clock and events, NULL if it has no hardware */
	struct list_head node;		  /* in the list of boards */
	struct list_head devices;	  /* platform devices, device-tree order */
	struct list_head models;	  /* model instances, device-tree order */
	struct list_head claims;	  /* register claims */
	struct dmae_region *regions;	  /* address map, sorted by start */
	unsigned int nr_regions;	  /* entries of regions */
	u8 *window;			  /* the reserved window MMIO cookies point into */
	u64 window_size;		  /* its size (the 32-bit physical space) */
	struct device_node *gic;	  /* the interrupt controller, or NULL */
	struct clk *clocks;		  /* the fixed clocks */
	unsigned int nr_clocks;		  /* entries of clocks */
	struct dmae_bus_space bus;	  /* the board's physical space, for masters */
	struct dmae_tlb_pool *dma_pool;	  /* bounce and coherent memory, in its DDR */
	struct iommu_domain *iommu;	  /* the simulated IOMMU's domain, if a node uses it */
	u64 ddr_start, ddr_size;	  /* its main memory */
	bool unloading;			  /* no more binds */
};

/* Loaded boards, oldest first: under the platform lock (dmae__platform_lock). */
extern struct list_head dmae__boards;

/* platform.c */
void dmae__platform_lock(void);
void dmae__platform_unlock(void);
bool dmae__platform_locked(void); /* by the calling thread */
int dmae__board_populate(struct dmae_board *b);
void dmae__board_depopulate(struct dmae_board *b);
int dmae__platform_irq_of(struct dmae_board *b, const struct device_node *np, int index);

/* mmio.c */
int dmae__board_window_init(struct dmae_board *b);
void dmae__board_window_fini(struct dmae_board *b);
int dmae__board_add_region(struct dmae_board *b, const struct dmae_region *r);
const struct dmae_region *dmae__board_region(const struct dmae_board *b, u64 addr);
void dmae__claims_release_all(struct dmae_board *b);

/* ram.c */
int dmae__board_ram_init(struct dmae_board *b);
void dmae__board_ram_fini(struct dmae_board *b);
void dmae__board_dev_dma_init(struct dmae_board *b, struct device *dev, struct device_node *np);
void dmae__board_dev_dma_fini(struct device *dev);

/* hw.c */
int dmae__board_models_create(struct dmae_board *b);
void dmae__board_models_destroy(struct dmae_board *b);

/* clk.c */
int dmae__board_clocks_init(struct dmae_board *b);
void dmae__board_clocks_fini(struct dmae_board *b);
struct clk *dmae__board_clock(struct dmae_board *b, const struct device_node *np, int index,
			      const char *id);

#endif /* DMAE_PLATFORM_BOARD_H */

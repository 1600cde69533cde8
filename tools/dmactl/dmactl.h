/* SPDX-License-Identifier: MIT */
/*
 * dmactl.h - private to tools/dmactl: the options, the snapshot of the
 * registered devices that list prints, and the demo workload.
 *
 *   main.c      options, commands, --help
 *   snapshot.c  a copy of every device and channel, taken under the registry lock
 *   list.c      the list command: text and JSON
 *   setup.c     --add-cpu devices and the --demo clients (requests and copies)
 */
#ifndef DMACTL_H
#define DMACTL_H

#include <stdio.h>

#include <dmaengine/cpu.h>
#include <dmaengine/dmaengine.h>

#define DMACTL_NAME_MAX 128	 /* device, channel, client and router names */
#define DMACTL_ATTR_MAX 32	 /* one sysfs attribute's text */
#define DMACTL_ADD_CPU_MAX 8	 /* --add-cpu devices */

/* What one channel shows: /sys/class/dma/<name>/ and its summary line. */
struct dmactl_chan {
	char name[DMACTL_NAME_MAX];		  /* dma%dchan%d */
	int chan_id;				  /* index within its device */
	char client[DMACTL_NAME_MAX];		  /* summary client name, "in-use", or "" */
	char router[DMACTL_NAME_MAX];		  /* router device name, or "" */
	char memcpy_count[DMACTL_ATTR_MAX];	  /* the attribute's text ("%lu\n") */
	char bytes_transferred[DMACTL_ATTR_MAX]; /* the attribute's text ("%lu\n") */
	char in_use[DMACTL_ATTR_MAX];		  /* the attribute's text ("%d\n") */
};

/* What one device shows: struct dma_device, its struct device, its slave caps. */
struct dmactl_dev {
	int dev_id;				/* dma%d */
	char name[DMACTL_NAME_MAX];		/* dev_name() */
	char driver[DMACTL_NAME_MAX];		/* dev_driver_string() */
	unsigned int chancnt;			/* number of channels */
	dma_cap_mask_t caps;			/* capability mask */
	unsigned int max_xor;			/* most XOR sources */
	unsigned int max_pq;			/* most PQ sources, without the flag */
	bool pq_continue;			/* DMA_HAS_PQ_CONTINUE */
	unsigned int align[4];			/* copy, xor, pq, fill alignment (log2) */
	bool descriptor_reuse;			/* the device field */
	enum dma_residue_granularity residue;	/* the device field */
	unsigned int metadata_modes;		/* enum dma_desc_metadata_mode bits */
	unsigned long long dma_mask;		/* dma_get_mask() */
	unsigned long long coherent_mask;	/* coherent_dma_mask */
	unsigned int max_seg_size;		/* dma_get_max_seg_size() */
	unsigned long seg_boundary;		/* dma_get_seg_boundary() */
	bool coherent;				/* dev->dma_coherent */
	bool iommu;				/* behind an IOMMU domain */
	int slave_ret;				/* dma_get_slave_caps() on channel 0 */
	struct dma_slave_caps slave;		/* valid when slave_ret == 0 */
	unsigned int nr_chans;			/* entries in chans */
	struct dmactl_chan *chans;		/* the channels, in list order */
};

struct dmactl_snapshot {
	unsigned int nr_devs;	 /* entries in devs */
	struct dmactl_dev *devs; /* in registration order */
};

/* The command line. */
struct dmactl_options {
	const char *command;		/* list, summary, attr */
	const char *args[2];		/* its operands */
	unsigned int nr_args;		/* how many were given */
	bool json;			/* list --json */
	bool help;			/* --help */
	bool demo;			/* --demo: act as clients before the command */
	const char *board;		/* --board=SPEC: the platform (DMAENGINE_PLATFORM) */
	unsigned int demo_channels;	/* --demo=N: memcpy channels to hold (0: all free) */
	unsigned int copies;		/* --copies: copies per held memcpy channel */
	unsigned int size;		/* --size: bytes per copy */
	unsigned int nr_add_cpu;	/* --add-cpu devices */
	struct dma_cpu_params add_cpu[DMACTL_ADD_CPU_MAX]; /* their parameters */
	char add_cpu_names[DMACTL_ADD_CPU_MAX][DMACTL_NAME_MAX]; /* name= storage */
};

/* Print "dmactl: <message>" on standard error. */
void dmactl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/**
 * dmactl_parse_uint - the number @val, within @lo..@hi, into @out; else one
 * line "@prefix@key=@val: expected a number in @lo..@hi".
 * @return 0 or -EINVAL.
 */
int dmactl_parse_uint(const char *prefix, const char *key, const char *val, unsigned int lo,
		      unsigned int hi, unsigned int *out);

int dmactl_snapshot_take(struct dmactl_snapshot *snap);
void dmactl_snapshot_free(struct dmactl_snapshot *snap);
const struct dmactl_dev *dmactl_snapshot_find(const struct dmactl_snapshot *snap,
					      const char *name);

void dmactl_list_text(FILE *f, const struct dmactl_snapshot *snap, const struct dmactl_dev *only);
void dmactl_list_json(FILE *f, const struct dmactl_snapshot *snap, const struct dmactl_dev *only);

int dmactl_parse_add_cpu(struct dmactl_options *opt, const char *spec);
int dmactl_setup(const struct dmactl_options *opt);
void dmactl_teardown(void);

#endif /* DMACTL_H */

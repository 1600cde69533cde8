/* SPDX-License-Identifier: MIT */
/*
 * trace-json.h - private to the core: one recorded trace event, and the
 * writer that turns events into the Chrome trace-event JSON file
 * (trace.c records, trace-json.c writes).
 */
#ifndef DMAE_TRACE_JSON_H
#define DMAE_TRACE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <dmaengine/os.h>
#include <dmaengine/trace.h>

#define DMAE_TRACE_MAX_DEVS 256	 /* dev_id values (the registry's dma_ids) */
#define DMAE_TRACE_MAX_CHANS 256 /* chan_id values of one device */
#define DMAE_TRACE_NAME_MAX 64	 /* a device name kept for the file, with the NUL */

/* One event, as a hook recorded it; also a slot of a trace buffer. */
struct dmae_trace_rec {
	u64 seq;	/* slot sequence of the buffer (see trace.c); atomic */
	u64 ts;		/* CLOCK_MONOTONIC ns; CALLBACK: when it began */
	u64 dur;	/* CALLBACK: ns it ran */
	u64 desc;	/* the descriptor's address; 0 for channel events */
	s32 cookie;	/* its cookie (0 unknown); ISSUE etc.: last submitted */
	u16 dev_id;	/* the channel's device: dma%d */
	u16 chan_id;	/* the channel: chan%d */
	u8 type;	/* enum dmae_trace_event */
	u8 arg;		/* PREP: the operation; COMPLETE: the result */
};

/* Device names, kept as the hooks first meet each device. */
struct dmae_trace_names {
	spinlock_t lock;				  /* serialises writers of the table */
	const void *dev[DMAE_TRACE_MAX_DEVS];		  /* whose name name[] holds; atomic */
	char name[DMAE_TRACE_MAX_DEVS][DMAE_TRACE_NAME_MAX]; /* dev_name() of the device */
};

#define DMAE_TRACE_MAX_UNITS 256 /* board units (boards, model instances) */
#define DMAE_TRACE_UNIT_TRACKS 4 /* registers, interrupts, events, requests */

/* Names of the boards' traced units, kept as the hooks first meet each. */
struct dmae_trace_unit_names {
	spinlock_t lock;					/* serialises writers */
	const void *unit[DMAE_TRACE_MAX_UNITS];			/* whose name name[] holds */
	char name[DMAE_TRACE_MAX_UNITS][DMAE_TRACE_UNIT_NAME];	/* its name */
};

/* The file being written; owned by the writer thread while it runs. */
struct dmae_trace_json {
	int fd;			 /* the open file */
	bool failed;		 /* a write failed: the file is incomplete */
	u64 events;		 /* JSON events written so far */
	u64 records;		 /* recorded events written so far */
	size_t len;		 /* bytes in out */
	char out[1 << 16];	 /* text not yet handed to f */
	u64 seen[DMAE_TRACE_MAX_DEVS][DMAE_TRACE_MAX_CHANS / 64]; /* channels met */
	u8 seen_units[DMAE_TRACE_MAX_UNITS];	/* board units met: a bit per track */
};

/* Open the file: the top-level object and the event array. */
void dmae__trace_json_begin(struct dmae_trace_json *j);
/* Write the JSON events of one recorded event. */
void dmae__trace_json_rec(struct dmae_trace_json *j, const struct dmae_trace_rec *r);
/* Close the file's JSON: names of the devices and channels met, counts; flush. */
void dmae__trace_json_end(struct dmae_trace_json *j, struct dmae_trace_names *names,
			  struct dmae_trace_unit_names *units, u64 dropped);

#endif /* DMAE_TRACE_JSON_H */

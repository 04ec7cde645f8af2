/* json.c: one JSON object per output line, built in a fixed buffer (no allocation, so a
 * warmed child takes no page fault while it reports). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "probe.h"

/* appends s to j, dropping what does not fit (the buffer is far larger than any line) */
static void put(struct jb *j, const char *s)
{
	size_t l = strlen(s);
	if (j->n + l + 3 > sizeof j->buf) l = sizeof j->buf - j->n - 3;
	memcpy(j->buf + j->n, s, l);
	j->n += l;
	j->buf[j->n] = 0;
}

/* appends s as a JSON string literal */
static void put_quoted(struct jb *j, const char *s)
{
	char c[8];
	put(j, "\"");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\') { c[0] = '\\'; c[1] = (char)ch; c[2] = 0; }
		else if (ch < 0x20) snprintf(c, sizeof c, "\\u%04x", ch);
		else { c[0] = (char)ch; c[1] = 0; }
		put(j, c);
	}
	put(j, "\"");
}

static void key(struct jb *j, const char *k)
{
	if (j->fields++) put(j, ",");
	put_quoted(j, k);
	put(j, ":");
}

void jb_begin(struct jb *j) { j->n = 0; j->fields = 0; j->buf[0] = 0; put(j, "{"); }
void jb_str(struct jb *j, const char *k, const char *v) { key(j, k); if (v) put_quoted(j, v); else put(j, "null"); }
void jb_raw(struct jb *j, const char *k, const char *json) { key(j, k); put(j, json); }
void jb_bool(struct jb *j, const char *k, int v) { key(j, k); put(j, v ? "true" : "false"); }
void jb_end(struct jb *j) { put(j, "}"); j->buf[j->n++] = '\n'; j->buf[j->n] = 0; }

void jb_int(struct jb *j, const char *k, long long v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", v);
	key(j, k);
	put(j, b);
}

const char *errno_name(int e)
{
	switch (e) {
	case 0: return NULL;
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENOSYS: return "ENOSYS";
	case EAGAIN: return "EAGAIN";
	case EUSERS: return "EUSERS";
	case EBADF: return "EBADF";
	case ENOTSUP: return "ENOTSUP";
	default: {
		static char b[16];
		snprintf(b, sizeof b, "E%d", e);
		return b;
	}
	}
}

/*
 * An SMTP sink that offers PIPELINING and CHUNKING: the bulk benchmark's BDAT target that is not
 * the cap (the discarding Postfix takes ~700 messages a second on 2 shared cores, whatever the
 * client; smtp-sink does not offer CHUNKING). One process, non-blocking, poll() over every
 * session; replies to pipelined commands leave together once the input read so far is handled.
 *
 *   chunk_sink [-D DUMP_FILE] [-L LIFETIME_S] PORT
 *
 * Listens on 127.0.0.1:PORT, prints "ready", then counter lines on stdout
 *   sess=N quit=N mesg=N bdat=N rcpt=N octets=N bad=N
 * (sessions accepted, QUITs answered, messages accepted, of them those ended by BDAT LAST, their
 * recipients, their octets as received after dot-unstuffing, protocol errors), written when the sink goes idle and at least
 * every 100 ms while it is busy: the last complete line is the count.
 *
 * Strict enough to be honest: MAIL, RCPT, DATA/BDAT in order (503 otherwise, counted as bad);
 * BDAT takes exactly its announced octets (a client that sends more sees its excess parsed as
 * commands, which fail); only BDAT ... LAST or DATA's "." ends a message; DATA after BDAT in one
 * transaction is refused; RSET drops the transaction (and a BDAT message in progress); QUIT
 * closes. Commands longer than 1000 octets or without CRLF are bad.
 *
 * -D appends every accepted message to DUMP_FILE: "X-Mail: <MAIL line>", one "X-Rcpt: <RCPT
 * line>" per recipient, "X-Octets: N", then exactly N octets of the message as received
 * (unstuffed, CRLF kept), then CRLF. It exits after LIFETIME_S (default 3600) or on SIGTERM.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SESSIONS 1024
#define IN_SIZE 65536
#define OUT_SIZE 16384
#define LINE_MAX_OCTETS 1000
#define ENVELOPE_MAX 65536

enum state { CMD, DATA, BDAT };

struct session {
	int fd;
	enum state state;
	char in[IN_SIZE];
	size_t in_len;
	char out[OUT_SIZE];
	size_t out_len, out_off;
	int closing;
	/* the transaction */
	int has_mail, bdat_started, data_bol;
	unsigned long rcpts;
	unsigned long long octets;
	unsigned long long bdat_left;
	int bdat_last, bdat_refused;
	char envelope[ENVELOPE_MAX]; /* the dump's header lines */
	size_t envelope_len;
	FILE *body; /* the message so far, for the dump */
	char *body_buf;
	size_t body_size;
};

static struct session *sessions[MAX_SESSIONS];
static volatile sig_atomic_t stop_requested;
static FILE *dump;
static unsigned long long n_sess, n_quit, n_mesg, n_bdat, n_rcpt, n_octets, n_bad;
static int counters_dirty = 1;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void print_counters(void)
{
	printf("sess=%llu quit=%llu mesg=%llu bdat=%llu rcpt=%llu octets=%llu bad=%llu\n", n_sess,
		   n_quit, n_mesg, n_bdat, n_rcpt, n_octets, n_bad);
	fflush(stdout);
	if (dump) {
		fflush(dump);
	}
	counters_dirty = 0;
}

static void reply(struct session *s, const char *text)
{
	size_t len = strlen(text);
	if (s->out_len + len > OUT_SIZE) {
		s->closing = 1; /* the client does not read its replies: give up on it */
		return;
	}
	memcpy(s->out + s->out_len, text, len);
	s->out_len += len;
}

static void bad(struct session *s, const char *text)
{
	n_bad++;
	counters_dirty = 1;
	reply(s, text);
}

static void reset_transaction(struct session *s)
{
	s->has_mail = s->bdat_started = 0;
	s->rcpts = 0;
	s->octets = 0;
	s->envelope_len = 0;
	if (s->body) {
		fclose(s->body);
		free(s->body_buf);
		s->body = NULL;
		s->body_buf = NULL;
	}
}

static void envelope_line(struct session *s, const char *tag, const char *line, size_t len)
{
	if (!dump) {
		return;
	}
	int n = snprintf(s->envelope + s->envelope_len, ENVELOPE_MAX - s->envelope_len, "%s: %.*s\r\n",
					 tag, (int)len, line);
	if (n > 0 && s->envelope_len + (size_t)n < ENVELOPE_MAX) {
		s->envelope_len += (size_t)n;
	}
}

static void body_bytes(struct session *s, const char *p, size_t len)
{
	s->octets += len;
	if (!dump) {
		return;
	}
	if (!s->body) {
		s->body = open_memstream(&s->body_buf, &s->body_size);
	}
	if (s->body) {
		fwrite(p, 1, len, s->body);
	}
}

static void message_done(struct session *s)
{
	char text[128];
	n_mesg++;
	n_rcpt += s->rcpts;
	n_octets += s->octets;
	counters_dirty = 1;
	if (dump) {
		if (s->body) {
			fflush(s->body);
		}
		fwrite(s->envelope, 1, s->envelope_len, dump);
		fprintf(dump, "X-Octets: %llu\r\n", s->octets);
		if (s->body_buf) {
			fwrite(s->body_buf, 1, s->body_size, dump);
		}
		fputs("\r\n", dump);
	}
	snprintf(text, sizeof text, "250 2.0.0 Ok: queued as %llu\r\n", n_mesg);
	reply(s, text);
	reset_transaction(s);
	s->state = CMD;
}

static void bdat_chunk_done(struct session *s);

static int verb(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word);
	return len >= n && strncasecmp(line, word, n) == 0 && (len == n || line[n] == ' ');
}

/* One command line, CRLF taken off. */
static void command(struct session *s, char *line, size_t len)
{
	if (verb(line, len, "EHLO")) {
		reset_transaction(s);
		reply(s, "250-chunk-sink\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n"
				 "250-ENHANCEDSTATUSCODES\r\n250 SIZE 0\r\n");
	} else if (verb(line, len, "HELO")) {
		reset_transaction(s);
		reply(s, "250 chunk-sink\r\n");
	} else if (len > 10 && strncasecmp(line, "MAIL FROM:", 10) == 0) {
		if (s->has_mail) {
			bad(s, "503 5.5.1 Error: nested MAIL command\r\n");
		} else if (!memchr(line, '<', len) || !memchr(line, '>', len)) {
			bad(s, "501 5.5.4 Syntax: MAIL FROM:<address>\r\n");
		} else {
			s->has_mail = 1;
			envelope_line(s, "X-Mail", line, len);
			reply(s, "250 2.1.0 Ok\r\n");
		}
	} else if (len > 8 && strncasecmp(line, "RCPT TO:", 8) == 0) {
		if (!s->has_mail) {
			bad(s, "503 5.5.1 Error: need MAIL command\r\n");
		} else if (!memchr(line, '<', len) || !memchr(line, '>', len)) {
			bad(s, "501 5.5.4 Syntax: RCPT TO:<address>\r\n");
		} else {
			s->rcpts++;
			envelope_line(s, "X-Rcpt", line, len);
			reply(s, "250 2.1.5 Ok\r\n");
		}
	} else if (verb(line, len, "DATA") && len == 4) {
		if (!s->has_mail || !s->rcpts || s->bdat_started) {
			bad(s, "503 5.5.1 Error: need MAIL and RCPT, and no BDAT, before DATA\r\n");
		} else {
			s->state = DATA;
			s->data_bol = 1;
			reply(s, "354 End data with <CR><LF>.<CR><LF>\r\n");
		}
	} else if (verb(line, len, "BDAT")) {
		char *end;
		unsigned long long size;
		line[len] = '\0';
		if (len < 6 || line[5] < '0' || line[5] > '9') {
			/* the size is unknown, so the bytes that follow cannot be skipped: end here */
			bad(s, "501 5.5.4 Syntax: BDAT size [LAST]\r\n");
			s->closing = 1;
			return;
		}
		size = strtoull(line + 5, &end, 10);
		if (*end != '\0' && strcasecmp(end, " LAST") != 0) {
			bad(s, "501 5.5.4 Syntax: BDAT size [LAST]\r\n");
			s->closing = 1;
			return;
		}
		s->bdat_last = *end != '\0';
		s->bdat_left = size;
		/* RFC 3030: a BDAT without a transaction is refused, but its octets are still read */
		s->bdat_refused = !s->has_mail || !s->rcpts;
		s->bdat_started = 1;
		s->state = BDAT;
		if (size == 0) {
			bdat_chunk_done(s); /* no octets to wait for (e.g. "BDAT 0 LAST") */
		}
	} else if (verb(line, len, "RSET") && len == 4) {
		reset_transaction(s);
		reply(s, "250 2.0.0 Ok\r\n");
	} else if (verb(line, len, "NOOP")) {
		reply(s, "250 2.0.0 Ok\r\n");
	} else if (verb(line, len, "QUIT") && len == 4) {
		n_quit++;
		counters_dirty = 1;
		reply(s, "221 2.0.0 Bye\r\n");
		s->closing = 1;
	} else {
		bad(s, "502 5.5.2 Error: command not recognized\r\n");
	}
}

static void bdat_chunk_done(struct session *s)
{
	char text[96];
	if (s->bdat_refused) {
		bad(s, "503 5.5.1 Error: BDAT without MAIL and RCPT\r\n");
		reset_transaction(s);
		s->state = CMD;
	} else if (s->bdat_last) {
		n_bdat++;
		message_done(s);
	} else {
		snprintf(text, sizeof text, "250 2.0.0 %llu octets so far\r\n", s->octets);
		reply(s, text);
		s->state = CMD;
	}
}

/* Handles what is in s->in; returns how many octets it used (the rest waits for more). */
static size_t handle_input(struct session *s)
{
	size_t used = 0;
	while (used < s->in_len && !s->closing) {
		char *p = s->in + used;
		size_t avail = s->in_len - used;
		if (s->state == BDAT) {
			size_t take = avail < s->bdat_left ? avail : (size_t)s->bdat_left;
			if (!s->bdat_refused) {
				body_bytes(s, p, take);
			}
			s->bdat_left -= take;
			used += take;
			if (s->bdat_left == 0) {
				bdat_chunk_done(s);
			}
		} else if (s->state == DATA) {
			char *nl;
			if (s->data_bol && p[0] == '.') {
				if (avail < 3) {
					break; /* ".\r\n" or a stuffed dot: not known yet */
				}
				if (p[1] == '\r' && p[2] == '\n') {
					used += 3;
					message_done(s);
					continue;
				}
				used++; /* the stuffed dot */
				s->data_bol = 0;
				continue;
			}
			nl = memchr(p, '\n', avail);
			size_t take = nl ? (size_t)(nl - p) + 1 : avail;
			body_bytes(s, p, take);
			used += take;
			s->data_bol = nl != NULL;
		} else {
			char *nl = memchr(p, '\n', avail);
			if (!nl) {
				if (avail > LINE_MAX_OCTETS) {
					bad(s, "500 5.5.2 Error: line too long\r\n");
					s->closing = 1;
				}
				break;
			}
			size_t len = (size_t)(nl - p);
			used += len + 1;
			if (len == 0 || p[len - 1] != '\r' || len - 1 > LINE_MAX_OCTETS) {
				bad(s, "500 5.5.2 Error: bare LF or line too long\r\n");
				continue;
			}
			command(s, p, len - 1);
		}
	}
	return used;
}

static void end_session(int i)
{
	struct session *s = sessions[i];
	reset_transaction(s);
	close(s->fd);
	free(s);
	sessions[i] = NULL;
	counters_dirty = 1;
}

static int flush_out(struct session *s)
{
	while (s->out_off < s->out_len) {
		ssize_t n = send(s->fd, s->out + s->out_off, s->out_len - s->out_off, MSG_NOSIGNAL);
		if (n < 0) {
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		}
		s->out_off += (size_t)n;
	}
	s->out_len = s->out_off = 0;
	return 0;
}

int main(int argc, char **argv)
{
	static struct pollfd fds[MAX_SESSIONS + 1];
	static int owner[MAX_SESSIONS + 1];
	double lifetime = 3600;
	int opt, port, server, one = 1;
	struct sockaddr_in a;
	struct sigaction sa;
	int64_t deadline, last_print = 0;

	while ((opt = getopt(argc, argv, "D:L:")) != -1) {
		if (opt == 'D') {
			dump = fopen(optarg, "ab");
			if (!dump) {
				perror("chunk_sink: -D");
				return 1;
			}
		} else if (opt == 'L') {
			lifetime = atof(optarg);
		} else {
			fprintf(stderr, "usage: chunk_sink [-D DUMP_FILE] [-L LIFETIME_S] PORT\n");
			return 2;
		}
	}
	if (optind != argc - 1 || (port = atoi(argv[optind])) <= 0) {
		fprintf(stderr, "usage: chunk_sink [-D DUMP_FILE] [-L LIFETIME_S] PORT\n");
		return 2;
	}
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	server = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (server < 0 || bind(server, (struct sockaddr *)&a, sizeof a) < 0 ||
		listen(server, 1024) < 0) {
		fprintf(stderr, "chunk_sink: cannot listen on %d: %s\n", port, strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	printf("ready\n");
	print_counters();
	deadline = now_ms() + (int64_t)(lifetime * 1000);

	while (!stop_requested && now_ms() < deadline) {
		int nfds = 1, timeout;
		fds[0] = (struct pollfd){.fd = server, .events = POLLIN};
		for (int i = 0; i < MAX_SESSIONS; i++) {
			struct session *s = sessions[i];
			if (!s) {
				continue;
			}
			short ev = s->out_len ? POLLOUT : 0;
			if (!s->closing && s->in_len < IN_SIZE && !s->out_len) {
				ev |= POLLIN;
			}
			fds[nfds] = (struct pollfd){.fd = s->fd, .events = ev};
			owner[nfds++] = i;
		}
		if (counters_dirty && now_ms() - last_print >= 100) {
			print_counters();
			last_print = now_ms();
		}
		/* idle for 1 ms: the counters now; busy: within 100 ms (above) */
		timeout = counters_dirty ? 1 : 1000;
		int ready = poll(fds, (nfds_t)nfds, timeout);
		if (ready < 0 && errno != EINTR) {
			perror("chunk_sink: poll");
			return 1;
		}
		if (ready == 0 && counters_dirty) {
			print_counters();
			last_print = now_ms();
			continue;
		}
		for (int j = 1; j < nfds; j++) {
			struct session *s = sessions[owner[j]];
			if (!fds[j].revents) {
				continue;
			}
			if (fds[j].revents & POLLIN || (fds[j].revents & (POLLHUP | POLLERR) && !s->out_len)) {
				ssize_t n = read(s->fd, s->in + s->in_len, IN_SIZE - s->in_len);
				if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
					end_session(owner[j]);
					continue;
				}
				if (n > 0) {
					s->in_len += (size_t)n;
					size_t used = handle_input(s);
					memmove(s->in, s->in + used, s->in_len - used);
					s->in_len -= used;
				}
			}
			if (flush_out(s) < 0 || (s->closing && !s->out_len)) {
				end_session(owner[j]);
			}
		}
		if (fds[0].revents & POLLIN) {
			int fd = accept4(server, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
			int slot = -1;
			for (int i = 0; fd >= 0 && i < MAX_SESSIONS; i++) {
				if (!sessions[i]) {
					slot = i;
					break;
				}
			}
			if (fd >= 0 && slot >= 0 && (sessions[slot] = calloc(1, sizeof(struct session)))) {
				struct session *s = sessions[slot];
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
				s->fd = fd;
				n_sess++;
				counters_dirty = 1;
				reply(s, "220 chunk-sink ESMTP\r\n");
				if (flush_out(s) < 0) {
					end_session(slot);
				}
			} else if (fd >= 0) {
				close(fd);
			}
		}
	}
	for (int i = 0; i < MAX_SESSIONS; i++) {
		if (sessions[i]) {
			end_session(i);
		}
	}
	print_counters();
	return 0;
}

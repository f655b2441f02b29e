/*
 * A TCP proxy that holds every chunk it reads for a fixed delay before forwarding it, in each
 * direction, so that a round trip on loopback costs what it costs on a network (5 ms each way: a
 * 10 ms round trip). The benchmark's instrument: it must add the delay and nothing else, so it is
 * C (bench/delay_proxy.php, its predecessor, stamped each chunk when its loop got to it and
 * added 0.3 to 1 ms per round trip; see bench/README.md, "The instruments").
 *
 *   delay_proxy LISTEN_PORT UPSTREAM_PORT [DELAY_MS=5] [LIFETIME_S=1800]
 *   delay_proxy --pingpong PROXY_PORT ECHO_PORT [COUNT=1000] [SIZE=32]
 *
 * Proxy: listens on 127.0.0.1:LISTEN_PORT and connects each client to 127.0.0.1:UPSTREAM_PORT
 * (DELAY_MS may be fractional). Prints "ready" once listening. Each read is stamped with the
 * kernel's receive time (SO_TIMESTAMPNS, moved to CLOCK_MONOTONIC) and written exactly DELAY
 * later (ppoll with a nanosecond timeout, timer slack 1 ns, the learned wake-up latency spun);
 * each direction is a FIFO, so bytes keep their order; an end of stream is forwarded as a
 * half-close (shutdown SHUT_WR) after the same delay, and the connection is closed when both
 * directions are done or one fails. Both sockets set TCP_NODELAY: no Nagle of its own. A
 * direction holding more than 8 MB stops reading until it drains (the sender sees TCP's
 * backpressure). It exits after LIFETIME_S seconds at the latest, or on SIGTERM/SIGINT, and then
 * prints how late its forwards left against their due time (stderr). DELAY_PROXY_TRACE=FILE
 * writes a line per read and per forward (bench/proxy_trace.php reads it).
 *
 * Pingpong: the accuracy check. Listens on 127.0.0.1:ECHO_PORT (start the proxy with that as its
 * UPSTREAM_PORT), connects to PROXY_PORT, echoes back what arrives there, and times COUNT round
 * trips of SIZE bytes through the proxy; prints "pingpong: n=.. mean=..ms p50=.. p99=.. max=..".
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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 512
#define READ_SIZE 65536
#define QUEUE_CAP (8u << 20) /* bytes held per direction before reading pauses */

typedef int64_t nsec_t;

struct chunk {
	struct chunk *next;
	nsec_t due;
	size_t len, off; /* len 0: the end of stream, forwarded as a half-close */
	char data[];
};

struct pipe {
	int from, to;
	struct chunk *head, *tail;
	size_t queued;
	int read_done;  /* end of stream (or error) read from `from` */
	int write_done; /* the half-close was forwarded to `to` */
	int id;         /* for the trace: connection number * 2 + direction (0: from the client) */
};

struct conn {
	int used;
	int client, upstream;
	int connecting; /* upstream's non-blocking connect still in progress */
	struct pipe dir[2];
};

static struct conn conns[MAX_CONNS];
static volatile sig_atomic_t stop_requested;

/* How late each chunk left against its due time, in microseconds (the last bucket: later). */
#define LATE_BUCKETS 10001
static uint64_t late_hist[LATE_BUCKETS];
static uint64_t late_count;
static double late_sum_ns;
/* DELAY_PROXY_TRACE=FILE: one line per read ("r ID ARRIVAL_NS OCTETS") and per forward
 * ("w ID SENT_NS OCTETS"), to split a round trip into client, proxy and server time. */
static FILE *trace;
static int conn_serial;

static nsec_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (nsec_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void tune_socket(int fd)
{
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	/* the kernel's receive time of each read: the stamp is then not late by our own wake-up */
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
}

/* When the bytes just read arrived (CLOCK_MONOTONIC): the kernel's stamp (CLOCK_REALTIME) moved
 * to the monotonic clock, or now when there is none. */
static nsec_t arrival_ns(struct msghdr *msg)
{
	nsec_t now = now_ns();
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts, real;
			nsec_t stamp;
			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			clock_gettime(CLOCK_REALTIME, &real);
			stamp = now - (((nsec_t)real.tv_sec * 1000000000 + real.tv_nsec) -
						   ((nsec_t)ts.tv_sec * 1000000000 + ts.tv_nsec));
			/* a clock step between the two readings: keep now */
			return stamp <= now && stamp > now - 1000000000 ? stamp : now;
		}
	}
	return now;
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int listen_on(int port)
{
	struct sockaddr_in a = loopback(port);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1024) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void free_queue(struct pipe *p)
{
	while (p->head) {
		struct chunk *c = p->head;
		p->head = c->next;
		free(c);
	}
	p->tail = NULL;
	p->queued = 0;
}

static void close_conn(struct conn *c)
{
	free_queue(&c->dir[0]);
	free_queue(&c->dir[1]);
	close(c->client);
	close(c->upstream);
	memset(c, 0, sizeof *c);
}

static void accept_one(int server, int upstream_port)
{
	struct sockaddr_in a = loopback(upstream_port);
	struct conn *c = NULL;
	int client, up;

	client = accept4(server, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (client < 0) {
		return;
	}
	for (int i = 0; i < MAX_CONNS; i++) {
		if (!conns[i].used) {
			c = &conns[i];
			break;
		}
	}
	up = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (!c || up < 0) {
		fprintf(stderr, "delay_proxy: %s\n", c ? strerror(errno) : "too many connections");
		close(client);
		if (up >= 0) {
			close(up);
		}
		return;
	}
	tune_socket(client);
	tune_socket(up);
	memset(c, 0, sizeof *c);
	c->used = 1;
	c->client = client;
	c->upstream = up;
	if (connect(up, (struct sockaddr *)&a, sizeof a) < 0) {
		if (errno != EINPROGRESS) {
			close_conn(c);
			return;
		}
		c->connecting = 1;
	}
	c->dir[0] = (struct pipe){.from = client, .to = up, .id = conn_serial * 2};
	c->dir[1] = (struct pipe){.from = up, .to = client, .id = conn_serial * 2 + 1};
	conn_serial++;
}

/* Reads what is there, stamps it and queues it; returns -1 when the connection failed. */
static int read_side(struct pipe *p, nsec_t delay)
{
	char buf[READ_SIZE];
	char control[CMSG_SPACE(sizeof(struct timespec)) * 2];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
	ssize_t n = recvmsg(p->from, &msg, 0);
	nsec_t due = arrival_ns(&msg) + delay;
	struct chunk *c;

	if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return 0;
	}
	if (n < 0) {
		n = 0; /* a reset: forwarded as an end of stream, after the delay like the bytes */
	}
	c = malloc(sizeof *c + (size_t)n);
	if (!c) {
		return -1;
	}
	memcpy(c->data, buf, (size_t)n);
	c->next = NULL;
	c->due = due;
	c->len = (size_t)n;
	c->off = 0;
	if (p->tail) {
		p->tail->next = c;
	} else {
		p->head = c;
	}
	p->tail = c;
	p->queued += (size_t)n;
	if (trace) {
		fprintf(trace, "r %d %lld %zd\n", p->id, (long long)(due - delay), n);
	}
	if (n == 0) {
		p->read_done = 1;
	}
	return 0;
}

/* Writes what is due; returns -1 when the connection failed. */
static int write_due(struct pipe *p, nsec_t now)
{
	while (p->head && p->head->due <= now) {
		struct chunk *c = p->head;
		if (c->off == 0) {
			nsec_t late = now_ns() - c->due;
			late_hist[late / 1000 < LATE_BUCKETS - 1 ? late / 1000 : LATE_BUCKETS - 1]++;
			late_count++;
			late_sum_ns += (double)late;
		}
		if (c->len == 0) {
			shutdown(p->to, SHUT_WR);
			p->write_done = 1;
		} else {
			ssize_t n = send(p->to, c->data + c->off, c->len - c->off, MSG_NOSIGNAL);
			if (n < 0) {
				return errno == EAGAIN || errno == EINTR ? 0 : -1;
			}
			c->off += (size_t)n;
			if (trace) {
				fprintf(trace, "w %d %lld %zd\n", p->id, (long long)now_ns(), n);
			}
			p->queued -= (size_t)n;
			if (c->off < c->len) {
				return 0; /* the socket is full: POLLOUT says when to go on */
			}
		}
		p->head = c->next;
		if (!p->head) {
			p->tail = NULL;
		}
		free(c);
	}
	return 0;
}

static void print_lateness(void)
{
	uint64_t seen = 0;
	long p50 = -1, p99 = -1, max = 0;
	for (long i = 0; i < LATE_BUCKETS; i++) {
		seen += late_hist[i];
		if (late_hist[i]) {
			max = i;
		}
		if (p50 < 0 && seen * 2 >= late_count && late_count) {
			p50 = i;
		}
		if (p99 < 0 && seen * 100 >= late_count * 99 && late_count) {
			p99 = i;
		}
	}
	fprintf(stderr,
			"delay_proxy: %llu chunks forwarded, late against their due time by mean %.1f us, "
			"p50 %ld us, p99 %ld us, max %ld%s us\n",
			(unsigned long long)late_count,
			late_count ? late_sum_ns / (double)late_count / 1e3 : 0.0, p50 < 0 ? 0 : p50,
			p99 < 0 ? 0 : p99, max, max == LATE_BUCKETS - 1 ? "+" : "");
}

static int run_proxy(int listen_port, int upstream_port, double delay_ms, double lifetime_s)
{
	static struct pollfd fds[1 + 2 * MAX_CONNS];
	static int owner[1 + 2 * MAX_CONNS]; /* conn index, 2 per conn: client then upstream */
	nsec_t delay = (nsec_t)(delay_ms * 1e6);
	/* How late a timed wake-up comes (learned): the sleep ends that much before the due time and
	 * the rest is spun in zero-timeout polls, which keep reading (and stamping) meanwhile. */
	nsec_t early = 50000;
	nsec_t deadline = now_ns() + (nsec_t)(lifetime_s * 1e9);
	struct sigaction sa;
	int server = listen_on(listen_port);

	if (server < 0) {
		fprintf(stderr, "delay_proxy: cannot listen on %d: %s\n", listen_port, strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* the default 50 us slack would be added to every wake-up */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (getenv("DELAY_PROXY_TRACE")) {
		trace = fopen(getenv("DELAY_PROXY_TRACE"), "w");
	}
	printf("ready\n");
	fflush(stdout);

	while (!stop_requested) {
		nsec_t now = now_ns(), wake = deadline;
		struct timespec timeout;
		int nfds = 1;

		if (now >= deadline) {
			break;
		}
		/* forward what is due, close what is finished */
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];
			if (!c->used || c->connecting) {
				continue;
			}
			if (write_due(&c->dir[0], now) < 0 || write_due(&c->dir[1], now) < 0 ||
				(c->dir[0].write_done && c->dir[1].write_done)) {
				close_conn(c);
			}
		}
		fds[0] = (struct pollfd){.fd = server, .events = POLLIN};
		owner[0] = -1;
		for (int i = 0; i < MAX_CONNS; i++) {
			struct conn *c = &conns[i];
			int fd[2] = {c->client, c->upstream};
			if (!c->used) {
				continue;
			}
			for (int k = 0; k < 2; k++) {
				struct pipe *in = &c->dir[k];      /* read from fd[k] */
				struct pipe *out = &c->dir[1 - k]; /* written to fd[k] */
				short ev = 0;
				if (!in->read_done && in->queued < QUEUE_CAP && !(k == 1 && c->connecting)) {
					ev |= POLLIN;
				}
				if (out->head && (out->head->due <= now || (k == 1 && c->connecting))) {
					ev |= POLLOUT; /* due but the socket was full, or the connect to finish */
				} else if (out->head && out->head->due < wake) {
					wake = out->head->due;
				}
				if (k == 1 && c->connecting) {
					ev |= POLLOUT;
				}
				fds[nfds] = (struct pollfd){.fd = ev ? fd[k] : -1, .events = ev};
				owner[nfds++] = i;
			}
		}
		now = now_ns();
		nsec_t until = wake - early, woke;
		if (until < now) {
			until = now;
		}
		timeout.tv_sec = (until - now) / 1000000000;
		timeout.tv_nsec = (until - now) % 1000000000;
		int ready = ppoll(fds, (nfds_t)nfds, &timeout, NULL);
		if (ready < 0 && errno != EINTR) {
			perror("delay_proxy: ppoll");
			return 1;
		}
		woke = now_ns();
		if (ready == 0 && until > now && wake < deadline) {
			nsec_t over = woke - until;
			early += (over - early) / 8;
			early = early < 0 ? 0 : (early > 2000000 ? 2000000 : early);
		}
		for (int j = 1; j < nfds; j++) {
			struct conn *c = &conns[owner[j]];
			int k = (j - 1) % 2;
			if (!c->used || !fds[j].revents) {
				continue;
			}
			if (k == 1 && c->connecting) {
				int err = 0;
				socklen_t len = sizeof err;
				getsockopt(c->upstream, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err) {
					close_conn(c);
					continue;
				}
				c->connecting = 0;
			}
			if ((fds[j].revents & (POLLIN | POLLHUP | POLLERR)) && !c->dir[k].read_done &&
				fds[j].events & POLLIN && read_side(&c->dir[k], delay) < 0) {
				close_conn(c);
			}
		}
		if (fds[0].revents & POLLIN) {
			accept_one(server, upstream_port);
		}
	}
	for (int i = 0; i < MAX_CONNS; i++) {
		if (conns[i].used) {
			close_conn(&conns[i]);
		}
	}
	close(server);
	if (trace) {
		fclose(trace);
	}
	print_lateness();
	return 0;
}

static int cmp_nsec(const void *a, const void *b)
{
	nsec_t x = *(const nsec_t *)a, y = *(const nsec_t *)b;
	return x < y ? -1 : x > y;
}

/* Reads len bytes; *arrived: the kernel's receive time of the last of them. */
static int read_exactly(int fd, char *buf, size_t len, nsec_t *arrived)
{
	size_t got = 0;
	while (got < len) {
		char control[CMSG_SPACE(sizeof(struct timespec)) * 2];
		struct iovec iov = {.iov_base = buf + got, .iov_len = len - got};
		struct msghdr msg = {.msg_iov = &iov,
							 .msg_iovlen = 1,
							 .msg_control = control,
							 .msg_controllen = sizeof control};
		ssize_t n = recvmsg(fd, &msg, 0);
		if (n <= 0) {
			return -1;
		}
		*arrived = arrival_ns(&msg);
		got += (size_t)n;
	}
	return 0;
}

static void print_stats(const char *what, nsec_t *v, int count)
{
	double sum = 0;
	for (int i = 0; i < count; i++) {
		sum += (double)v[i];
	}
	qsort(v, (size_t)count, sizeof *v, cmp_nsec);
	printf("pingpong: %s: n=%d mean=%.3fms p50=%.3fms p99=%.3fms max=%.3fms\n", what, count,
		   sum / count / 1e6, (double)v[count / 2] / 1e6, (double)v[(count * 99) / 100] / 1e6,
		   (double)v[count - 1] / 1e6);
}

static int run_pingpong(int proxy_port, int echo_port, int count, int size)
{
	struct sockaddr_in a = loopback(proxy_port);
	int server = listen_on(echo_port), client, echo;
	char buf[65536];
	nsec_t *rtt, *through;

	if (server < 0 || size < 1 || size > (int)sizeof buf || count < 1) {
		fprintf(stderr, "pingpong: cannot listen on %d, or bad COUNT/SIZE\n", echo_port);
		return 1;
	}
	client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (connect(client, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("pingpong: connect");
		return 1;
	}
	tune_socket(client);
	/* the proxy connects to us when it accepts the client */
	struct pollfd pfd = {.fd = server, .events = POLLIN};
	if (poll(&pfd, 1, 5000) != 1 || (echo = accept4(server, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		fprintf(stderr, "pingpong: the proxy did not connect to port %d\n", echo_port);
		return 1;
	}
	tune_socket(echo);
	rtt = calloc((size_t)count, sizeof *rtt);
	through = calloc((size_t)count, sizeof *through);
	memset(buf, 'x', sizeof buf);
	for (int i = 0; i < count; i++) {
		nsec_t sent = now_ns(), at_echo = 0, echoed, back = 0;
		if (write(client, buf, (size_t)size) != size ||
			read_exactly(echo, buf, (size_t)size, &at_echo) < 0) {
			fprintf(stderr, "pingpong: round trip %d failed\n", i);
			return 1;
		}
		echoed = now_ns();
		if (write(echo, buf, (size_t)size) != size ||
			read_exactly(client, buf, (size_t)size, &back) < 0) {
			fprintf(stderr, "pingpong: round trip %d failed\n", i);
			return 1;
		}
		rtt[i] = now_ns() - sent;
		/* the proxy's part: arrival back less the echo's own turnaround (its wake-up) */
		through[i] = (back - sent) - (echoed - at_echo);
	}
	print_stats("round trip as the client sees it", rtt, count);
	print_stats("the proxy's part (kernel receive stamps, echo turnaround taken out)", through,
				count);
	free(rtt);
	free(through);
	close(client);
	close(echo);
	close(server);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "--pingpong") == 0) {
		return run_pingpong(atoi(argv[2]), atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 1000,
							argc > 5 ? atoi(argv[5]) : 32);
	}
	if (argc < 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: delay_proxy LISTEN_PORT UPSTREAM_PORT [DELAY_MS] [LIFETIME_S]\n"
						"       delay_proxy --pingpong PROXY_PORT ECHO_PORT [COUNT] [SIZE]\n");
		return 2;
	}
	return run_proxy(atoi(argv[1]), atoi(argv[2]), argc > 3 ? atof(argv[3]) : 5,
					 argc > 4 ? atof(argv[4]) : 1800);
}

/* The blocking driver: it waits for one session's connection with poll(), keeping
 * the deadline across signals and early wake-ups. The session never waits itself
 * (its I/O is non-blocking, see mailer_io); a driver for many sessions polls their
 * descriptors together in the same way. */
#include "core/session/session_int.h"
#include "core/util/portable.h"

#include <string.h>

#ifdef _WIN32
#include <winsock2.h>
#define mailer_poll WSAPoll
typedef WSAPOLLFD mailer_pollfd;
typedef SOCKET mailer_pollfd_fd;
#define MAILER_EINTR(x) 0 /* WSAPoll is not interrupted by signals */
#else
#include <errno.h>
#include <poll.h>
#define mailer_poll poll
typedef struct pollfd mailer_pollfd;
typedef int mailer_pollfd_fd;
#define MAILER_EINTR(x) ((x) < 0 && errno == EINTR)
#endif

/* Longest single poll(): a day, which fits an int of milliseconds */
#define MAILER_POLL_MAX_MS 86400000
/* Sessions one mailer_smtp_poll() watches (sendMany()'s connections are fewer) */
#define MAILER_SMTP_POLL_MAX 128

static int poll_descriptor(intptr_t fd, int what, double deadline)
{
	mailer_pollfd p;
	double left;
	int n, i;

	if (fd < 0) {
		return -1;
	}
	/* bounded: each round waits until the deadline unless a signal cuts it short.
	 * Past the deadline it still looks once without waiting: when our own work took
	 * the time (loading a CA bundle under valgrind, a loaded machine), what the
	 * server already sent is an answer, not a timeout. */
	for (i = 0; i < 1000000; i++) {
		left = deadline - mailer_monotonic_seconds();
		memset(&p, 0, sizeof(p));
		p.fd = (mailer_pollfd_fd)fd;
		p.events = what == MAILER_WAIT_WRITE ? POLLOUT : POLLIN;
		n = mailer_poll(&p, 1,
						left <= 0                            ? 0
						: left * 1000.0 > MAILER_POLL_MAX_MS ? MAILER_POLL_MAX_MS
															 : (int)(left * 1000.0) + 1);
		if (n == 0 && left <= 0) {
			return 0;
		}
		if (n > 0) {
			/* an error or hang-up: a reader still reads what is left, and the end;
			 * a writer has nothing to write to */
			return what == MAILER_WAIT_WRITE && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) ? -1
																							 : 1;
		}
		if (n < 0 && !MAILER_EINTR(n)) {
			return -1;
		}
	}
	return -1;
}

int mailer_smtp_wait(mailer_smtp *s, int what, double deadline)
{
	if (s->io->wait) {
		return s->io->wait(s->io_ctx, what, deadline);
	}
	return poll_descriptor(s->io->descriptor(s->io_ctx), what, deadline);
}

mailer_smtp_want mailer_smtp_step(mailer_smtp *s, mailer_smtp_event ev, mailer_error *err)
{
	mailer_smtp_want w;

	if (s->state == MAILER_SMTP_FLIGHT) {
		w = mailer_flight_step(s, ev, err);
	} else if (ev != MAILER_SMTP_GO &&
			   (s->waiting == MAILER_SMTP_WANT_READ || s->waiting == MAILER_SMTP_WANT_WRITE)) {
		w = mailer_smtp_setup_wait_failed(s, ev, err);
	} else {
		w = mailer_smtp_setup_step(s, err);
	}
	s->waiting = w;
	return w;
}

static int is_waiting(const mailer_smtp *s)
{
	return s && s->connected &&
		   (s->waiting == MAILER_SMTP_WANT_READ || s->waiting == MAILER_SMTP_WANT_WRITE);
}

int mailer_smtp_poll(mailer_smtp *const *s, size_t n, double until, int *ev)
{
	mailer_pollfd p[MAILER_SMTP_POLL_MAX];
	size_t i, slot[MAILER_SMTP_POLL_MAX], np = 0;
	double now = mailer_monotonic_seconds(), first = until, left;
	int events = 0, rc, what;

	for (i = 0; i < n; i++) {
		ev[i] = -1;
		if (!is_waiting(s[i])) {
			continue;
		}
		what = s[i]->waiting == MAILER_SMTP_WANT_WRITE ? MAILER_WAIT_WRITE : MAILER_WAIT_READ;
		if (s[i]->io->wait || s[i]->io->descriptor(s[i]->io_ctx) < 0 ||
			np == MAILER_SMTP_POLL_MAX) {
			/* no descriptor to poll (scripted I/O): its own wait, which does not linger */
			rc = s[i]->deadline <= now ? 0
				 : s[i]->io->wait      ? s[i]->io->wait(s[i]->io_ctx, what, s[i]->deadline)
									   : -1;
			ev[i] = rc > 0    ? MAILER_SMTP_GO
					: rc == 0 ? MAILER_SMTP_TIMEOUT
							  : MAILER_SMTP_WAIT_FAILED;
			events++;
		} else {
			memset(&p[np], 0, sizeof(p[np]));
			p[np].fd = (mailer_pollfd_fd)s[i]->io->descriptor(s[i]->io_ctx);
			/* a flight waiting to write reads replies too: a server blocked on
			 * writing them to us stops reading */
			p[np].events =
				(short)(what == MAILER_WAIT_WRITE
							? (POLLOUT | (s[i]->state == MAILER_SMTP_FLIGHT ? POLLIN : 0))
							: POLLIN);
			/* one past its deadline is still looked at (below, without waiting):
			 * an answer that came while we worked wins over the timeout */
			slot[np++] = i;
			if (s[i]->deadline < first) {
				first = s[i]->deadline;
			}
		}
	}
	if (np == 0 || events) {
		/* something to do already: only look, do not wait */
		first = now;
	}
	if (np == 0) {
		return events;
	}
	left = first - now;
	rc = mailer_poll(p, (unsigned)np,
					 left <= 0                            ? 0
					 : left * 1000.0 > MAILER_POLL_MAX_MS ? MAILER_POLL_MAX_MS
														  : (int)(left * 1000.0) + 1);
	if (rc < 0 && !MAILER_EINTR(rc)) {
		for (i = 0; i < np; i++) {
			ev[slot[i]] = MAILER_SMTP_WAIT_FAILED;
		}
		return events + (int)np;
	}
	now = mailer_monotonic_seconds();
	for (i = 0; i < np; i++) {
		if (rc > 0 && p[i].revents) {
			/* an error or hang-up: the step's read sees the end, or its write fails */
			ev[slot[i]] = MAILER_SMTP_GO;
			events++;
		} else if (s[slot[i]]->deadline <= now) {
			ev[slot[i]] = MAILER_SMTP_TIMEOUT;
			events++;
		}
	}
	return events;
}

mailer_status mailer_smtp_run(mailer_smtp *s, mailer_error *err)
{
	mailer_smtp_event ev = MAILER_SMTP_GO;
	mailer_smtp_want w;
	int ready;

	for (;;) {
		w = mailer_smtp_step(s, ev, err);
		if (w == MAILER_SMTP_DONE || w == MAILER_SMTP_FAILED) {
			return w == MAILER_SMTP_DONE ? MAILER_OK : MAILER_FAIL;
		}
		ready = mailer_smtp_wait(
			s, w == MAILER_SMTP_WANT_READ ? MAILER_WAIT_READ : MAILER_WAIT_WRITE, s->deadline);
		ev = ready > 0    ? MAILER_SMTP_GO
			 : ready == 0 ? MAILER_SMTP_TIMEOUT
						  : MAILER_SMTP_WAIT_FAILED;
	}
}

/*
 * http.c - the HTTP handle of http.h: a libcurl easy handle configured
 * from an endpoint (http_settings.c, http_tls.c), run through a private
 * multi handle so that the wait for the network can also wait for the
 * worker's wake fd, and its failures described by http_error.c.
 *
 * Owns the callbacks: the body goes to the caller's sink (never to
 * stdout, libcurl's default), the progress callback checks the wake fd
 * too (poll with no wait), the pre-request callback marks the connection
 * as established and checks the pin on it, the debug callback
 * (http_log.c) writes the redacted trace.  It never interprets a body:
 * that is the driver's job.
 */
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/http_impl.h"
#include "util/log.h"
#include "util/xmalloc.h"

static pthread_once_t	http_once = PTHREAD_ONCE_INIT;
static CURLcode		http_global_rc = CURLE_FAILED_INIT;

/* libcurl's process-wide setup, once, whichever thread comes first. */
static void
http_global_init(void)
{
	http_global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Append a piece of body to a bounded buf (http_sink_buf). */
static int
http_sink_buf_write(void *arg, const void *p, size_t n, struct error *err)
{
	struct buf	*b = arg;

	if (buf_add(b, p, n) == 0)
		return 0;
	return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
	    "the response is larger than %zu bytes", b->max);
}

/* A sink into a bounded buffer. */
void
http_sink_buf(struct http_sink *sink, struct buf *b)
{
	sink->write = http_sink_buf_write;
	sink->arg = b;
}

/* CURLOPT_WRITEFUNCTION: a piece of body to the sink (or nowhere). */
static size_t
http_write_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct http	*h = arg;
	size_t		 n = size * nmemb;

	if (h->sink == NULL || h->sink->write == NULL || n == 0)
		return n;
	if (h->sink->write(h->sink->arg, p, n, &h->sink_err) == 0)
		return n;
	h->sink_failed = true;
	return 0;
}

/* Whether the wake fd is readable now (no wait). */
static bool
http_woken(int wake_fd)
{
	struct pollfd	pfd;

	if (wake_fd < 0)
		return false;
	pfd.fd = wake_fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) != 0;
}

/* CURLOPT_XFERINFOFUNCTION: stop when the worker is woken. */
static int
http_progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct http	*h = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (!http_woken(h->wake_fd))
		return 0;
	h->cancelled = true;
	return 1;
}

/* CURLOPT_PREREQFUNCTION: connected (TLS done); check the pin on it. */
static int
http_prereq_cb(void *arg, char *primary_ip, char *local_ip,
    int primary_port, int local_port)
{
	struct http	*h = arg;

	(void)primary_ip;
	(void)local_ip;
	(void)primary_port;
	(void)local_port;
	h->connected = true;
	if (http_tls_check_conn(h->curl, &h->tls) == -1)
		return CURL_PREREQFUNC_ABORT;
	return CURL_PREREQFUNC_OK;
}

/* Set the callbacks and the options that are ours, not the endpoint's. */
static int
http_callbacks(struct http *h, struct error *err)
{
	CURL		*c = h->curl;
	CURLcode	 rc;

	if ((rc = curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write_cb)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_WRITEDATA, h)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION,
	    http_progress_cb)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_XFERINFODATA, h)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_PREREQFUNCTION,
	    http_prereq_cb)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_PREREQDATA, h)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION,
	    http_log_debug)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_VERBOSE,
	    log_enabled(LOG_TRACE, "http") ? 1L : 0L)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_USERAGENT,
	    "petrel/" PACKAGE_VERSION)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L)))
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "libcurl refused an option: %s (is libcurl older than "
		    "7.80?)", curl_easy_strerror(rc));
	return 0;
}

/* A handle for ep (see http.h). */
struct http *
http_new(const struct transport_endpoint *ep, struct error *err)
{
	struct http_settings	 s;
	struct http		*h;

	if (http_settings_from_endpoint(ep, &s, err) == -1)
		return NULL;
	pthread_once(&http_once, http_global_init);
	if (http_global_rc != CURLE_OK) {
		error_set(err, ERR_SYS, ERR_SCOPE_ACCOUNT, "libcurl: %s",
		    curl_easy_strerror(http_global_rc));
		return NULL;
	}
	h = xcalloc(1, sizeof *h);
	h->wake_fd = s.wake_fd;
	h->connect_timeout_ms = (int)s.connect_timeout_ms;
	h->timeout_ms = s.timeout_ms;
	memcpy(h->proxy_label, s.proxy_label, sizeof h->proxy_label);
	h->proxy_http = s.proxy_type == CURLPROXY_HTTP;
	if (s.tls_limited) {
		h->tls_lo = s.tls_min;
		h->tls_hi = s.tls_max;
	}
	h->tls.pin = s.pin != NULL ? xstrdup(s.pin) : NULL;
	h->tls.seclevel0 = s.tls_seclevel0;
	if ((h->curl = curl_easy_init()) == NULL ||
	    (h->multi = curl_multi_init()) == NULL) {
		error_set(err, ERR_SYS, ERR_SCOPE_ACCOUNT,
		    "libcurl: cannot create a handle");
		goto fail;
	}
	if (http_settings_apply(h->curl, &s, err) == -1 ||
	    http_tls_install(h->curl, &h->tls, err) == -1 ||
	    http_callbacks(h, err) == -1)
		goto fail;
	return h;
fail:
	http_free(h);
	return NULL;
}

/* The libcurl handle, borrowed. */
CURL *
http_curl(struct http *h)
{
	return h->curl;
}

/* Milliseconds on the monotonic clock. */
static long long
http_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Bytes moved so far by the transfer: headers and body, both ways. */
static long long
http_moved(CURL *c)
{
	curl_off_t	dl = 0, ul = 0;
	long		hdr = 0;

	curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &dl);
	curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &ul);
	curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &hdr);
	return (long long)dl + (long long)ul + hdr;
}

/*
 * How long the next wait may be: until the stall limit (no byte moved
 * for timeout_ms once connected), at most a second; -1 once it is passed.
 */
static int
http_stall_wait(struct http *h, long long *moved, long long *since)
{
	long long	now = http_now_ms(), m;

	if (!h->connected || h->timeout_ms <= 0)
		return 1000;
	if ((m = http_moved(h->curl)) != *moved) {
		*moved = m;
		*since = now;
	}
	if (now - *since >= h->timeout_ms)
		return -1;
	return now - *since + 1000 > h->timeout_ms ?
	    (int)(h->timeout_ms - (now - *since)) : 1000;
}

/*
 * Run the transfer in the private multi handle, waiting on libcurl's
 * sockets and the wake fd together; the transfer's result.
 */
static CURLcode
http_run(struct http *h)
{
	struct curl_waitfd	 wfd;
	CURLMsg			*msg;
	CURLcode		 rc = CURLE_FAILED_INIT;
	long long		 moved = -1, since = 0;
	int			 running = 1, left, wait;

	if (curl_multi_add_handle(h->multi, h->curl) != CURLM_OK)
		return CURLE_FAILED_INIT;
	for (;;) {
		if (curl_multi_perform(h->multi, &running) != CURLM_OK ||
		    running == 0)
			break;
		if ((wait = http_stall_wait(h, &moved, &since)) == -1) {
			rc = CURLE_OPERATION_TIMEDOUT;
			break;
		}
		wfd.fd = h->wake_fd;
		wfd.events = CURL_WAIT_POLLIN;
		wfd.revents = 0;
		if (curl_multi_poll(h->multi, &wfd, h->wake_fd >= 0 ? 1 : 0,
		    wait, NULL) != CURLM_OK)
			break;
		if (h->wake_fd >= 0 && (wfd.revents & CURL_WAIT_POLLIN)) {
			h->cancelled = true;
			rc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
	}
	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == h->curl)
			rc = msg->data.result;
	}
	/* Removing an unfinished transfer closes its connection. */
	curl_multi_remove_handle(h->multi, h->curl);
	return rc;
}

/* "host:port" of a URL for messages (never its user or path). */
static void
http_peer(const char *url, char *out, size_t size)
{
	CURLU	*u;
	char	*host = NULL, *port = NULL;

	snprintf(out, size, "?");
	if ((u = curl_url()) == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK)
		snprintf(out, size, "%s:%s", host, port);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

/* Describe the failed transfer (http_error.c does the words). */
static int
http_fail(struct http *h, const char *url, CURLcode rc, struct error *err)
{
	struct http_failure	f;
	char			peer[300];
	long			l = 0;

	memset(&f, 0, sizeof f);
	http_peer(url, peer, sizeof peer);
	f.code = rc;
	f.detail = h->errbuf;
	f.peer = peer;
	f.proxy_label = h->proxy_label;
	f.proxy_http = h->proxy_http;
	curl_easy_getinfo(h->curl, CURLINFO_PROXY_ERROR, &f.proxy_error);
	curl_easy_getinfo(h->curl, CURLINFO_HTTP_CONNECTCODE, &f.connect_code);
	if (curl_easy_getinfo(h->curl, CURLINFO_OS_ERRNO, &l) == CURLE_OK)
		f.os_errno = (int)l;
	f.verify_error = h->tls.verify_error;
	f.fingerprint = h->tls.fingerprint;
	f.pin = h->tls.pin;
	f.pin_mismatch = h->tls.pin_mismatch;
	f.alert = h->tls.alert;
	f.tls_lo = h->tls_lo;
	f.tls_hi = h->tls_hi;
	f.connect_timeout_ms = h->connect_timeout_ms;
	f.timeout_ms = h->timeout_ms;
	f.connected = h->connected;
	f.cancelled = h->cancelled;
	return http_error_map(&f, err);
}

/* One request (see http.h). */
int
http_perform(struct http *h, const char *url, const struct http_sink *sink,
    struct error *err)
{
	CURLcode	rc;
	char		peer[300];

	h->sink = sink;
	h->sink_failed = false;
	error_clear(&h->sink_err);
	h->cancelled = false;
	h->connected = false;
	h->errbuf[0] = '\0';
	http_tls_reset(&h->tls);
	if (curl_easy_setopt(h->curl, CURLOPT_URL, url) != CURLE_OK)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_OP,
		    "malformed URL");
	rc = http_run(h);
	h->sink = NULL;
	if (rc == CURLE_OK) {
		if (log_enabled(LOG_DEBUG, "http")) {
			http_peer(url, peer, sizeof peer);
			log_debug("http", "%s: status %ld, %s", peer,
			    http_status(h), http_tls_version(h));
		}
		return 0;
	}
	if (h->sink_failed && !h->cancelled) {
		*err = h->sink_err;
		return -1;
	}
	return http_fail(h, url, rc, err);
}

/* The last response's status. */
long
http_status(const struct http *h)
{
	long	code = 0;

	if (curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code) !=
	    CURLE_OK)
		return 0;
	return code;
}

/* The last connection's TLS version. */
const char *
http_tls_version(const struct http *h)
{
	return h->tls.version[0] != '\0' ? h->tls.version : "none";
}

/* Free the handle and its connections. */
void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	free(h->tls.pin);
	free(h);
}

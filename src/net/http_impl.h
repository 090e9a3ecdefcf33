/*
 * http_impl.h - what the http*.c files share, and what the unit test
 * (tests/unit/test_http.c) looks at: the handle, the TLS state behind the
 * pin, the description of a failed transfer and its mapping onto a struct
 * error, and the redaction of the trace.  Not for drivers: they use http.h.
 */
#ifndef PETREL_HTTP_IMPL_H
#define PETREL_HTTP_IMPL_H

#include "net/http.h"

/* Room for "sha256:" and 32 bytes as "AB:" (see stream_tls.c). */
#define HTTP_FP_MAX	128

/*
 * The TLS state of a handle, reached from OpenSSL's callbacks through an
 * ex_data slot of the SSL_CTX libcurl makes for each connection.  The
 * fields after pin describe the last handshake (reset before a transfer).
 */
struct http_tls {
	char		*pin;		/* owned copy; NULL: none */
	bool		 seclevel0;	/* OpenSSL security level 0 */
	char		 fingerprint[HTTP_FP_MAX];	/* the leaf's */
	long		 verify_error;	/* first X509_V_ERR_*; 0: none */
	bool		 pin_mismatch;
	char		 alert[64];	/* first fatal alert the server sent */
	char		 version[16];	/* "TLSv1.3", "" before a handshake */
};

struct http {
	CURL		*curl;
	CURLM		*multi;		/* owns the connection cache */
	struct http_tls	 tls;
	char		 proxy_label[HTTP_LABEL_MAX];	/* "" if none */
	bool		 proxy_http;	/* HTTP CONNECT (connect code) */
	int		 tls_lo, tls_hi;	/* set when limited, else 0 */
	int		 connect_timeout_ms;
	int		 timeout_ms;
	int		 wake_fd;
	/* per transfer */
	bool		 cancelled;
	bool		 connected;	/* the request was about to be sent */
	const struct http_sink *sink;
	bool		 sink_failed;
	struct error	 sink_err;
	char		 errbuf[CURL_ERROR_SIZE];
};

/* Apply s to a libcurl handle (every option but the callbacks). */
int	 http_settings_apply(CURL *curl, const struct http_settings *s,
	     struct error *err);

/*
 * Install the SSL_CTX callback that puts t's verify callback (fingerprint,
 * pin) on each new connection; t must outlive the handle's transfers.
 */
int	 http_tls_install(CURL *curl, struct http_tls *t, struct error *err);
/* Forget what the last handshake left in t (not the pin). */
void	 http_tls_reset(struct http_tls *t);
/*
 * On an established connection (before the request): note the TLS
 * version and, with a pin, compare the certificate the connection really
 * has.  -1 on a mismatch (t->pin_mismatch set) or when https has no TLS
 * session to look at.
 */
int	 http_tls_check_conn(CURL *curl, struct http_tls *t);

/* Everything known about a failed transfer; see http_error_map. */
struct http_failure {
	CURLcode	 code;
	const char	*detail;	/* libcurl's error buffer; "" if none */
	const char	*peer;		/* "host:port" of the URL */
	const char	*proxy_label;	/* "SOCKS5 proxy h:p"; "" if none */
	bool		 proxy_http;
	long		 proxy_error;	/* CURLINFO_PROXY_ERROR (CURLPX_*) */
	long		 connect_code;	/* CURLINFO_HTTP_CONNECTCODE */
	int		 os_errno;	/* CURLINFO_OS_ERRNO */
	long		 verify_error;	/* X509_V_ERR_*; 0: none */
	const char	*fingerprint;	/* the leaf's; "" if none */
	const char	*pin;		/* NULL if none */
	bool		 pin_mismatch;
	const char	*alert;		/* a fatal TLS alert received; "" */
	int		 tls_lo, tls_hi;	/* 0: the range was not limited */
	int		 connect_timeout_ms;
	int		 timeout_ms;
	bool		 connected;
	bool		 cancelled;
};

/*
 * Turn a failure into err (code, scope, a message naming the server, the
 * proxy or the TLS reason); always returns -1.  Pure: no I/O, no libcurl
 * state.
 */
int	 http_error_map(const struct http_failure *f, struct error *err);

/* libcurl's debug callback (CURLOPT_DEBUGFUNCTION): the redacted trace. */
int	 http_log_debug(CURL *curl, curl_infotype type, char *data,
	     size_t size, void *arg);
/*
 * If the header line (p, n) carries a credential (Authorization,
 * Proxy-Authorization, Cookie, Set-Cookie), the length of its name and
 * colon, which is all the trace may show of it; else 0.
 */
size_t	 http_log_secret_header(const char *p, size_t n);

#endif

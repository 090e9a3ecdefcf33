/*
 * test_compose.h - the suites of the compose unit tests, split over
 * test_compose.c (subjects, the draft, the main program),
 * test_compose_reply.c (recipients, threading ids),
 * test_compose_quote.c (attribution, quoting, forwarding),
 * test_compose_edit.c (the editor file and running the editor),
 * test_compose_attach.c (attaching files), test_compose_resume.c
 * (resuming a postponed draft) and test_compose_addrbook.c (the address
 * book and aliases files).
 */
#ifndef PETREL_TEST_COMPOSE_H
#define PETREL_TEST_COMPOSE_H

#include <check.h>
#include <string.h>

#include "compose/compose.h"

Suite	*test_compose_reply_suite(void);
Suite	*test_compose_quote_suite(void);
Suite	*test_compose_edit_suite(void);
Suite	*test_compose_attach_suite(void);
Suite	*test_compose_resume_suite(void);
Suite	*test_compose_addrbook_suite(void);

/* The identity the tests write as. */
extern const struct compose_identity test_compose_me;

/* Start a draft of kind from a raw message (a C string); must succeed. */
void	 test_compose_start(struct compose_draft *, enum compose_kind,
	     const char *msg);

/* Compare a field that may be NULL with want (NULL: must be NULL). */
#define ck_assert_field(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (w_ == NULL)							\
		ck_assert_msg(g_ == NULL, "%s: got \"%s\", want NULL",	\
		    #got, g_);						\
	else								\
		ck_assert_msg(g_ != NULL && strcmp(g_, w_) == 0,	\
		    "%s: got \"%s\", want \"%s\"", #got,		\
		    g_ != NULL ? g_ : "(null)", w_);			\
} while (0)

#endif

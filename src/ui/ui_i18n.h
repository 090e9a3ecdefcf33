/*
 * ui_i18n.h - the gettext marker for every string the UI shows.
 *
 * xgettext collects _("...") from the files listed in po/POTFILES.in.  In
 * the C locale the strings stay as written (the tests match on them).
 */
#ifndef PETREL_UI_I18N_H
#define PETREL_UI_I18N_H

#include <libintl.h>

#define _(s)	gettext(s)
#define N_(s)	(s)

#endif
